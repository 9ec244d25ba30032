"""The ``code`` node activity: a developer's main(inputs) run in the WebAssembly sandbox.

Everything the code can do wrong is final, so it fails the node without retries
(``non_retryable``), with an error type naming what happened: ``CodeError`` (it
raised or exited; the message ends with its traceback), ``CodeFuelExhausted``,
``CodeMemoryExceeded``, ``CodeTimeout``, ``CodeDiskExceeded``, ``CodeResultTooLarge``,
``CodeOutputInvalid`` (the result does not fit output_schema or outputs) or
``CodeInputError`` (an input expression failed on the state). Limit errors name the
``limits`` field to raise. Only the platform's own faults (the database) are retried.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any, NoReturn

from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.code_outcome import MAX_RESULT_BYTES, SandboxRun
from activities.code_sandbox import DISK_LIMIT_BYTES, DISK_LIMIT_FILES, PythonSandbox, SandboxLimits
from activities.infrastructure import infrastructure_is_not_the_node
from activities.records import NodeRecorder
from node_types import code as code_node
from node_types.errors import NodeTypesError
from temporal_workflows.contracts import NodeActivityInput, NodeActivityResult, node_activity_name

HEARTBEAT_EVERY_SECONDS = 5.0
ERROR_TYPES = {
    "error": "CodeError",
    "fuel": "CodeFuelExhausted",
    "memory": "CodeMemoryExceeded",
    "timeout": "CodeTimeout",
    "disk": "CodeDiskExceeded",
    "result_size": "CodeResultTooLarge",
    "cancelled": "CodeCancelled",
}


class CodeNodeActivities:
    """Runs ``code`` nodes; built once by the worker with its recorder and sandbox."""

    def __init__(
        self,
        recorder: NodeRecorder,
        sandbox: PythonSandbox | None = None,
        *,
        max_concurrent: int = 2,
    ) -> None:
        self._recorder = recorder
        # The compiled module is cached on disk (wasm_module_cache), so the first call
        # of a new worker loads it in milliseconds; only a first-ever call compiles.
        self._sandbox = sandbox or PythonSandbox()
        # Each call may take its memory cap and a core: bound them per worker.
        self._slots = asyncio.Semaphore(max_concurrent)

    @activity.defn(name=node_activity_name("code"))
    @infrastructure_is_not_the_node
    async def run_code_node(self, data: NodeActivityInput) -> NodeActivityResult:
        """Run the node's code on inputs taken from state; return the state update."""
        attempt = activity.info().attempt
        if (recorded := await self._recorder.recorded_outcome(data, attempt)) is not None:
            return recorded
        await self._recorder.started(data, attempt)
        try:
            job = code_node.prepare(data.config, data.node_input)
        except NodeTypesError as exc:
            await self._fail(data, f"the code node's inputs failed: {exc}", "CodeInputError")
        limits = SandboxLimits.from_config(job["limits"])
        run = await self._run(job, limits)
        calls = [_service_call(run)]
        if run.stdout_truncated or run.stderr_truncated:
            activity.logger.warning("code node output cut to %d bytes", limits.max_output_bytes)
        if run.outcome != "ok":
            await self._fail(data, _message(run, limits), ERROR_TYPES[run.outcome], calls)
        try:
            update = code_node.to_update(data.config, run.result, run.logs())
        except NodeTypesError as exc:
            await self._fail(data, str(exc), "CodeOutputInvalid", calls)
        await self._recorder.finished(data, status="completed", output=update, service_calls=calls)
        return NodeActivityResult(update=update, duration_ms=run.duration_ms)

    async def _run(self, job: dict[str, Any], limits: SandboxLimits) -> SandboxRun:
        """The sandbox call off the event loop, heartbeating; cancellation stops the guest."""
        cancel = threading.Event()
        call = asyncio.ensure_future(self._in_slot(job, limits, cancel))
        try:
            while True:  # heartbeats cover the wait for a slot too
                done, _ = await asyncio.wait({call}, timeout=HEARTBEAT_EVERY_SECONDS)
                if done:
                    return call.result()
                activity.heartbeat()
        except asyncio.CancelledError:
            cancel.set()  # the watchdog interrupts the guest within milliseconds
            call.cancel()
            raise

    async def _in_slot(
        self, job: dict[str, Any], limits: SandboxLimits, cancel: threading.Event
    ) -> SandboxRun:
        async with self._slots:
            return await asyncio.to_thread(
                self._sandbox.run, job["code"], job["inputs"], limits, cancel
            )

    async def _fail(
        self,
        data: NodeActivityInput,
        message: str,
        error_type: str,
        service_calls: list[dict[str, Any]] | None = None,
    ) -> NoReturn:
        await self._recorder.finished(
            data, status="failed", output=None, error=message, service_calls=service_calls
        )
        raise ApplicationError(message, type=error_type, non_retryable=True)


def _message(run: SandboxRun, limits: SandboxLimits) -> str:
    if run.outcome == "error":
        return f"the code failed:\n{run.error}"
    if run.outcome == "memory":
        detail = f"\n{run.error}" if run.error else ""
        cap = limits.memory_bytes >> 20
        return f"the code ran out of memory (limits.memory_mb = {cap}){detail}"
    return {
        "fuel": f"the code used up its fuel (limits.fuel = {limits.fuel} instructions)",
        "timeout": f"the code ran past its time limit "
        f"(limits.timeout_seconds = {limits.timeout_seconds:g})",
        "disk": f"the code wrote more than {DISK_LIMIT_BYTES >> 20} MiB or "
        f"{DISK_LIMIT_FILES} files (scratch files, stdout and stderr)",
        "result_size": f"main's result is larger than {MAX_RESULT_BYTES} bytes as JSON",
        "cancelled": "the code node was cancelled",
    }[run.outcome]


def _service_call(run: SandboxRun) -> dict[str, Any]:
    return {
        "service": "code_sandbox",
        "outcome": run.outcome,
        "fuel_consumed": run.fuel_consumed,
        "memory_bytes": run.memory_bytes,
        "duration_ms": run.duration_ms,
        **run.logs(),
    }
