"""The ``tool`` node activity: MCP tool calls through fastmcp's Client over streamable HTTP.

Per call: the tool must be active in the run's registry (the version's own servers
first, then the tenant's shared ones, narrowed by ``tool_dependencies``), granted by
the run's user when it acts on their behalf, and given arguments valid against its
input schema — otherwise the server is never contacted. The call runs with the tool's
``max_execution_time`` as its timeout, forwards progress notifications to the run's
event stream, and counts on the server's statistics.

Errors: a refused call (unknown tool, SSRF, no grant, invalid arguments) or a tool's own
error result goes back to the model as that call's result in ``tool_calls`` mode and is
a non-retryable node error in ``direct`` mode; connection failures and timeouts are
retryable (the node's retry policy decides), except on the last attempt of a
``tool_calls`` node, where the model is told instead.

Retries never repeat a finished call: each call's result is kept in the activity's
heartbeat details, which Temporal hands to the next attempt of the same activity, and
an attempt takes the results found there instead of calling again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any

from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.infrastructure import carry_on_outage, infrastructure_is_not_the_node
from activities.llm import heartbeating
from activities.records import NodeRecorder
from activities.run_events import RunEvents
from activities.tool_results import argument_errors, bounded
from activities.tool_runtime import RunTools, ToolRuntime, ToolTarget
from node_types import tool as tool_node
from node_types.errors import NodeOutputError
from temporal_workflows.contracts import (
    EVENT_TOOL_PROGRESS,
    NodeActivityInput,
    NodeActivityResult,
    node_activity_name,
)

REFUSED = "ToolCallRefused"
TOOL_ERROR = "ToolError"
UNAVAILABLE = "ToolUnavailable"

logger = logging.getLogger(__name__)


class CallRefused(Exception):
    """A call that must not reach the server; the message is for the model and the user."""


class CallFailed(Exception):
    """The server could not be reached or did not answer in time (retryable)."""


class ToolNodeActivities:
    """Runs ``tool`` nodes; built once by the worker with its recorder and tool runtime."""

    def __init__(self, recorder: NodeRecorder, runtime: ToolRuntime, max_result_bytes: int) -> None:
        self._recorder = recorder
        self._runtime = runtime
        self._max_result_bytes = max_result_bytes

    @activity.defn(name=node_activity_name("tool"))
    @infrastructure_is_not_the_node
    async def run_tool_node(self, data: NodeActivityInput) -> NodeActivityResult:
        """Make the node's tool calls and return the tool messages (or the direct result)."""
        started = time.monotonic()
        attempt = activity.info().attempt
        if (recorded := await self._recorder.recorded_outcome(data, attempt)) is not None:
            return recorded  # its calls were all made and recorded: none is made again
        await self._recorder.started(data, attempt)
        direct = {**tool_node.DEFAULT_CONFIG, **data.config}["mode"] == "direct"
        calls_made: list[dict[str, Any]] = []
        # Results of calls an earlier attempt finished (its heartbeats), or an earlier
        # scheduling stopped by an outage (carried by the workflow), by call key.
        done = {
            **finished_calls(data.carried),
            **finished_calls(activity.info().heartbeat_details),
        }
        carry_on_outage(lambda: (dict(done),))
        try:
            calls = tool_node.prepare(data.config, data.node_input)
            run = await self._resolve(data)
            last_attempt = attempt >= data.max_attempts
            results = []
            async with (
                self._recorder.run_events(data) as events,
                heartbeating(lambda: (dict(done),)),
            ):
                for index, call in enumerate(calls):
                    key = call_key(index, call)
                    if key in done:
                        result = done[key]
                    else:
                        result = await self._one(
                            data, run, call, events, direct, last_attempt, done
                        )
                        done[key] = result
                        activity.heartbeat(dict(done))  # recorded before the next call starts
                    calls_made.append(_record(call, result))
                    results.append(result)
            update = tool_node.to_update(data.config, calls, results)
        except NodeOutputError as exc:
            await self._fail(data, str(exc), calls_made)
            raise ApplicationError(str(exc), type="NodeOutputError", non_retryable=True) from None
        except ApplicationError as exc:
            await self._fail(data, exc.message, calls_made)
            raise
        await self._recorder.finished(
            data, status="completed", output=update, service_calls=calls_made
        )
        return NodeActivityResult(
            update=update, duration_ms=int((time.monotonic() - started) * 1000)
        )

    async def _resolve(self, data: NodeActivityInput) -> RunTools:
        try:
            return await self._runtime.for_run(
                data.tenant_id, data.execution_id, server_id=data.config.get("server")
            )
        except ValueError as exc:  # the registry cannot serve this run: a retry will not help
            raise ApplicationError(str(exc), type=REFUSED, non_retryable=True) from None

    async def _fail(
        self, data: NodeActivityInput, message: str, calls_made: list[dict[str, Any]]
    ) -> None:
        await self._recorder.finished(
            data, status="failed", output=None, error=message, service_calls=calls_made
        )

    async def _one(
        self,
        data: NodeActivityInput,
        run: RunTools,
        call: dict[str, Any],
        events: RunEvents,
        direct: bool,
        last_attempt: bool,
        done: dict[str, Any],
    ) -> dict[str, Any] | None:
        """One call's result, or an ApplicationError when the node must fail."""
        if call.get("error"):
            return None  # to_update reports prepare's own refusal to the model
        name = call["name"]
        try:
            target = await self._admit(data, run, call)
            outcome = await self._call(data, target, call, events, done)
        except CallRefused as exc:
            if direct:
                raise ApplicationError(str(exc), type=REFUSED, non_retryable=True) from None
            return {"content": str(exc), "is_error": True, "status": "refused"}
        except CallFailed as exc:
            if direct or not last_attempt:
                raise ApplicationError(str(exc), type=UNAVAILABLE) from None
            return {"content": str(exc), "is_error": True, "status": "failed"}
        if outcome["is_error"] and direct:
            raise ApplicationError(
                f"tool {name!r} failed: {outcome['content']}", type=TOOL_ERROR, non_retryable=True
            )
        return {**outcome, "content": bounded(outcome["content"], self._max_result_bytes)}

    async def _admit(
        self, data: NodeActivityInput, run: RunTools, call: dict[str, Any]
    ) -> ToolTarget:
        """The call's tool, once every check that keeps a bad call off the server passed."""
        name = call["name"]
        target = run.tools.get(name)
        if target is None:
            raise CallRefused(
                f"tool {name!r} is not available to this agent "
                f"(available: {', '.join(sorted(run.tools)) or 'none'})"
            )
        if target.acts_on_behalf_of_user:
            granted = run.user_id is not None and await self._runtime.is_granted(
                data.tenant_id, user_id=run.user_id, agent_id=run.agent_id, tool_id=target.tool_id
            )
            if not granted:
                raise CallRefused(
                    f"tool {name!r} acts on the user's behalf and the user has not granted "
                    "this agent its use (grant it under tool grants, then ask again)"
                )
        problems = argument_errors(target.input_schema, call["arguments"])
        if problems:
            raise CallRefused(f"invalid arguments for tool {name!r}: " + "; ".join(problems))
        return target

    async def _call(
        self,
        data: NodeActivityInput,
        target: ToolTarget,
        call: dict[str, Any],
        events: RunEvents,
        done: dict[str, Any],
    ) -> dict[str, Any]:
        async def progress(progress: float, total: float | None, message: str | None) -> None:
            activity.heartbeat(dict(done))  # a bare heartbeat would drop finished calls
            events.publish(
                EVENT_TOOL_PROGRESS,
                flush_now=True,
                node=data.node_name,
                tool=target.name,
                call_id=call["id"],
                progress=progress,
                total=total,
                message=message,
            )

        logger.info("calling tool %s on server %s", target.name, target.server_id)
        started = time.monotonic()
        outcome = await self._runtime.call(data.tenant_id, target, call["arguments"], progress)
        logger.info(
            "tool %s answered %s in %d ms",
            target.name,
            outcome.status,
            int((time.monotonic() - started) * 1000),
        )
        if outcome.status == "refused":
            raise CallRefused(str(outcome.content))
        if outcome.status == "failed":
            raise CallFailed(str(outcome.content))
        return {
            "content": outcome.content,
            "is_error": outcome.status == "tool_error",
            "status": outcome.status,
            "server_id": target.server_id,
        }


def call_key(index: int, call: dict[str, Any]) -> str:
    """The call's key among the node's calls: its position and the model's call id."""
    return f"{index}:{call.get('id')}"


def finished_calls(details: Sequence[Any]) -> dict[str, Any]:
    """The results an earlier attempt or scheduling recorded (heartbeat or error details)."""
    recorded = details[0] if details else None
    return dict(recorded) if isinstance(recorded, dict) else {}


def _record(call: dict[str, Any], result: dict[str, Any] | None) -> dict[str, Any]:
    """What the node's record keeps about one call (no content: it may be large)."""
    record: dict[str, Any] = {"service": "mcp", "tool": call.get("name"), "call_id": call.get("id")}
    if result is None:
        return {**record, "status": "refused", "error": call.get("error")}
    return {**record, "status": result.get("status"), "server_id": result.get("server_id")}
