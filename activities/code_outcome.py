"""What a sandbox call left behind (exit status, logs, the runner's result) → SandboxRun.

The scratch directory is the guest's: it can hold links that point out of it (WASI
lets the guest create them, only not follow them). The host must not follow them
either, so the result is opened component by component with O_NOFOLLOW.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

# "ok", "error" (the code raised or exited), or the limit that stopped it.
Outcome = Literal["ok", "error", "fuel", "memory", "timeout", "disk", "result_size", "cancelled"]
MAX_RESULT_BYTES = 1024 * 1024
ERROR_TAIL_CHARS = 4000
RESULT_PATH = (".agentpaas", "result.json")  # under the scratch directory


@dataclass
class Execution:
    """How the guest stopped, as the host saw it."""

    trapped: bool
    trap_message: str
    exit_code: int
    fuel_left: int
    memory_bytes: int
    stop_reason: Outcome | None  # set by the watchdog when it interrupted the guest


@dataclass
class SandboxRun:
    """How a call ended, with its result or error and its (capped) stdout/stderr."""

    outcome: Outcome
    result: Any = None
    error: str = ""
    stdout: str = ""
    stderr: str = ""
    stdout_truncated: bool = False
    stderr_truncated: bool = False
    fuel_consumed: int = 0
    memory_bytes: int = 0
    duration_ms: int = 0

    def logs(self) -> dict[str, Any]:
        """stdout/stderr and their truncation flags, as written to a node's logs_key."""
        return {
            "stdout": self.stdout,
            "stderr": self.stderr,
            "stdout_truncated": self.stdout_truncated,
            "stderr_truncated": self.stderr_truncated,
        }


def read_outcome(execution: Execution, call_dir: Path, max_output_bytes: int) -> SandboxRun:
    """Classify the call and collect its result, error and logs."""
    stdout, stdout_cut = _read_head(call_dir / "stdout.log", max_output_bytes)
    stderr, stderr_cut = _read_head(call_dir / "stderr.log", max_output_bytes)
    run = SandboxRun("ok", None, "", stdout, stderr, stdout_cut, stderr_cut)
    tail = _read_tail(call_dir / "stderr.log", ERROR_TAIL_CHARS)
    if execution.trapped:
        run.outcome, run.error = _trap_outcome(execution, tail)
        return run
    try:
        raw = _read_private(call_dir / "scratch", RESULT_PATH, MAX_RESULT_BYTES)
    except ResultTooLarge:
        run.outcome = "result_size"
        return run
    outcome = _json_object(raw)
    if outcome is None:
        run.outcome = "memory" if "MemoryError" in tail else "error"
        status = f"the code exited with status {execution.exit_code} before main returned"
        run.error = tail or status
    elif outcome.get("ok") is True and "result" in outcome:
        run.result = outcome["result"]
    else:
        error = outcome.get("error")
        error = error if isinstance(error, dict) else {}
        kind = str(error.get("type") or "Error")
        run.outcome = "memory" if kind == "MemoryError" else "error"
        text = str(error.get("traceback") or "") or f"{kind}: {error.get('message', '')}"
        run.error = text[-ERROR_TAIL_CHARS:]
    return run


def _trap_outcome(execution: Execution, stderr_tail: str) -> tuple[Outcome, str]:
    if execution.stop_reason is not None:
        return execution.stop_reason, ""
    if execution.fuel_left == 0:
        return "fuel", ""
    message = execution.trap_message
    if "exceeds memory limits" in message:  # the cap is below the module's initial memory
        return "memory", message.splitlines()[0]
    cause = message.split("Caused by:")[-1].strip().splitlines()
    reason = cause[0] if cause else "the sandbox trapped"
    return "error", f"{stderr_tail}\nthe interpreter stopped: {reason}".strip()


class ResultTooLarge(Exception):
    """The runner's result file is over MAX_RESULT_BYTES."""


def _read_private(root: Path, parts: tuple[str, ...], limit: int) -> bytes | None:
    """A regular file under `root`, no link followed (None if there is none)."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC
    fds = []
    try:
        fds.append(os.open(root, flags | os.O_DIRECTORY))
        for part in parts[:-1]:
            fds.append(os.open(part, flags | os.O_DIRECTORY, dir_fd=fds[-1]))
        fds.append(os.open(parts[-1], flags | os.O_NONBLOCK, dir_fd=fds[-1]))
        info = os.fstat(fds[-1])
        if not stat.S_ISREG(info.st_mode):
            return None
        if info.st_size > limit:
            raise ResultTooLarge
        with os.fdopen(os.dup(fds[-1]), "rb") as f:
            return f.read(limit + 1)
    except OSError:  # missing, or a link (ELOOP / ENOTDIR)
        return None
    finally:
        for fd in fds:
            os.close(fd)


def _json_object(raw: bytes | None) -> dict[str, Any] | None:
    if raw is None:
        return None
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _read_head(path: Path, limit: int) -> tuple[str, bool]:
    try:
        with path.open("rb") as f:
            data = f.read(limit + 1)
    except OSError:
        return "", False
    return data[:limit].decode("utf-8", errors="replace"), len(data) > limit


def _read_tail(path: Path, limit: int) -> str:
    try:
        with path.open("rb") as f:
            f.seek(max(0, os.fstat(f.fileno()).st_size - limit))
            return f.read(limit).decode("utf-8", errors="replace").strip()
    except OSError:
        return ""
