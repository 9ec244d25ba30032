"""The WebAssembly sandbox: results, limits, and escapes that fail with the host untouched."""

from __future__ import annotations

import dataclasses
import os
import socket
import tempfile
import textwrap
import threading
from pathlib import Path

import pytest

from activities.code_outcome import MAX_RESULT_BYTES
from activities.code_sandbox import DISK_LIMIT_BYTES, PythonSandbox, SandboxLimits, SandboxRun

LIMITS = SandboxLimits(
    fuel=10_000_000_000, memory_bytes=128 << 20, timeout_seconds=20, max_output_bytes=4096
)


@pytest.fixture(scope="module")
def sandbox() -> PythonSandbox:
    """One sandbox for the module (the compiled module is cached on disk)."""
    return PythonSandbox()


def run(sandbox: PythonSandbox, body: str, inputs: object = None, **limits: float) -> SandboxRun:
    code = "def main(inputs):\n" + textwrap.indent(textwrap.dedent(body), "    ")
    chosen = dataclasses.replace(LIMITS, **limits)
    return sandbox.run(code, inputs if inputs is not None else {}, chosen)


def _children() -> set[str]:
    """Child processes of this (test) process, from /proc."""
    found: set[str] = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        found |= set((task / "children").read_text().split())
    return found


def test_a_function_transforms_its_inputs(sandbox: PythonSandbox) -> None:
    result = run(
        sandbox,
        """
        import statistics
        words = inputs["text"].split()
        print("counting", len(words), "words")
        return {"words": len(words), "mean": statistics.mean(inputs["numbers"]), "ü": "ok"}
        """,
        {"text": "the quick brown fox", "numbers": [1, 2, 3, 6]},
    )
    assert result.outcome == "ok", result.error
    assert result.result == {"words": 4, "mean": 3, "ü": "ok"}
    assert result.stdout == "counting 4 words\n" and not result.stdout_truncated
    assert 0 < result.fuel_consumed < LIMITS.fuel and result.memory_bytes > 0


def test_an_exception_comes_back_with_the_developers_traceback(sandbox: PythonSandbox) -> None:
    result = run(
        sandbox, "values = inputs['values']\nreturn values[0] / values[1]", {"values": [1, 0]}
    )
    assert result.outcome == "error"
    assert 'File "<code node>", line 3, in main' in result.error
    assert "return values[0] / values[1]" in result.error  # the source line is shown
    assert result.error.endswith("ZeroDivisionError: division by zero")
    assert "runner.py" not in result.error


def test_results_must_be_json(sandbox: PythonSandbox) -> None:
    result = run(sandbox, "return {1, 2}")
    assert result.outcome == "error" and "not JSON data" in result.error
    assert run(sandbox, "raise SystemExit(3)").outcome == "error"


def test_an_infinite_loop_is_stopped_by_the_fuel_limit(sandbox: PythonSandbox) -> None:
    result = run(sandbox, "while True:\n    pass", fuel=2_000_000_000)
    assert result.outcome == "fuel"
    assert result.fuel_consumed == 2_000_000_000


def test_an_infinite_loop_is_stopped_by_the_time_limit(sandbox: PythonSandbox) -> None:
    result = run(sandbox, "while True:\n    pass", fuel=10**12, timeout_seconds=0.5)
    assert result.outcome == "timeout"
    assert result.fuel_consumed < 10**12


def test_sleeping_fails_at_once_instead_of_blocking_the_worker(sandbox: PythonSandbox) -> None:
    result = run(sandbox, "import time\ntime.sleep(3600)")
    assert result.outcome == "error" and "Not supported" in result.error


def test_cancellation_interrupts_the_guest(sandbox: PythonSandbox) -> None:
    cancel = threading.Event()
    cancel.set()
    code = "def main(inputs):\n    while True:\n        pass\n"
    result = sandbox.run(code, {}, dataclasses.replace(LIMITS, fuel=10**12), cancel)
    assert result.outcome == "cancelled"


def test_a_socket_cannot_reach_the_host(sandbox: PythonSandbox) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.setblocking(False)
        port = listener.getsockname()[1]
        result = run(
            sandbox,
            f"""
            import socket
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.connect(("127.0.0.1", {port}))
            s.sendall(b"escaped")
            return "connected"
            """,
        )
        with pytest.raises(BlockingIOError):
            listener.accept()  # nobody connected
    assert result.outcome == "error" and result.result is None
    assert "OSError" in result.error


def test_host_files_are_out_of_reach(sandbox: PythonSandbox, tmp_path: Path) -> None:
    marker = tmp_path / "written-by-guest"
    result = run(
        sandbox,
        f"""
        import os
        attempts = {{}}
        for name, action in [
            ("read passwd", lambda: open("/etc/passwd").read()),
            ("climb out", lambda: open("../../../etc/passwd").read()),
            ("list root", lambda: os.listdir("/")),
            ("write host", lambda: open({str(marker)!r}, "w").write("x")),
            ("symlink out", lambda: os.symlink("/etc/passwd", "link")),
        ]:
            try:
                attempts[name] = repr(action())
            except OSError as exc:
                attempts[name] = type(exc).__name__
        attempts["scratch"] = os.getcwd()
        return attempts
        """,
    )
    assert result.outcome == "ok", result.error
    attempts = result.result
    assert attempts.pop("scratch") == "/scratch"
    assert set(attempts.values()) <= {"FileNotFoundError", "PermissionError"}, attempts
    assert not marker.exists()
    assert "root:" not in str(result.result) + result.stdout + result.stderr


def test_processes_cannot_be_started(sandbox: PythonSandbox, tmp_path: Path) -> None:
    marker = tmp_path / "made-by-a-process"
    before = _children()
    result = run(
        sandbox,
        f"""
        import os, subprocess
        command = ["touch", {str(marker)!r}]
        attempts = {{}}
        for name, action in [
            ("system", lambda: os.system(" ".join(command))),
            ("subprocess", lambda: subprocess.run(command)),
            ("fork", lambda: os.fork()),
            ("exec", lambda: os.execv("/usr/bin/touch", command)),
            ("spawn", lambda: os.posix_spawn("/usr/bin/touch", command, {{}})),
        ]:
            try:
                attempts[name] = repr(action())
            except (OSError, AttributeError) as exc:
                attempts[name] = type(exc).__name__
        return attempts
        """,
    )
    assert result.outcome == "ok", result.error
    assert set(result.result.values()) <= {"OSError", "AttributeError"}, result.result
    assert not marker.exists()
    assert _children() <= before  # no new child process appeared


def test_allocating_beyond_the_memory_cap_fails_inside(sandbox: PythonSandbox) -> None:
    cap = 64 << 20
    big = run(sandbox, "return len(bytearray(256 * 1024 * 1024))", memory_bytes=cap)
    assert big.outcome == "memory", big.error
    assert "MemoryError" in big.error and big.memory_bytes <= cap
    growing = run(
        sandbox, "chunks = []\nwhile True:\n    chunks.append('x' * 1_000_000)", memory_bytes=cap
    )
    assert growing.outcome == "memory" and growing.memory_bytes <= cap
    tiny = run(sandbox, "return 1", memory_bytes=1 << 20)  # below the interpreter's own need
    assert tiny.outcome == "memory"


def test_output_beyond_the_limit_is_truncated_and_flagged(sandbox: PythonSandbox) -> None:
    result = run(
        sandbox,
        "import sys\nprint('o' * 10_000)\nprint('e' * 10, file=sys.stderr)\nreturn 'done'",
        max_output_bytes=1000,
    )
    assert result.outcome == "ok" and result.result == "done"
    assert result.stdout == "o" * 1000 and result.stdout_truncated
    assert result.stderr == "e" * 10 + "\n" and not result.stderr_truncated


def test_writing_too_much_is_stopped(sandbox: PythonSandbox) -> None:
    files = run(sandbox, "f = open('big', 'wb')\nwhile True:\n    f.write(b'x' * 1_000_000)")
    assert files.outcome == "disk"
    noisy = run(sandbox, "s = 'y' * 1_000_000\nwhile True:\n    print(s)", fuel=10**12)
    assert noisy.outcome == "disk" and noisy.stdout_truncated
    assert len(noisy.stdout) == LIMITS.max_output_bytes < DISK_LIMIT_BYTES


def test_scratch_is_private_to_each_call(sandbox: PythonSandbox) -> None:
    first = run(
        sandbox,
        "open('note.txt', 'w').write('first')\nreturn sorted(__import__('os').listdir('.'))",
    )
    assert first.result == [".agentpaas", "note.txt"]
    second = run(sandbox, "import os\nreturn os.path.exists('note.txt')")
    assert second.outcome == "ok" and second.result is False


def test_links_out_of_scratch_are_never_followed_by_the_host(
    sandbox: PythonSandbox, tmp_path: Path
) -> None:
    planted = tmp_path / "planted"
    planted.mkdir()
    (planted / "result.json").write_text('{"ok": true, "result": "host file"}')
    # The guest may create links pointing out of /scratch (it cannot follow them itself):
    # it swaps its result directory for one, then exits before the runner writes.
    target = "../../" + os.path.relpath(planted, tempfile.gettempdir())
    result = run(
        sandbox,
        """
        import os, shutil
        shutil.rmtree(".agentpaas")
        os.symlink(inputs["target"], ".agentpaas")
        os._exit(0)
        """,
        {"target": target},
    )
    assert result.outcome == "error" and result.result is None
    assert "host file" not in result.error


def test_a_result_over_the_size_cap_is_refused(sandbox: PythonSandbox) -> None:
    result = run(sandbox, f"return 'r' * {MAX_RESULT_BYTES + 1}")
    assert result.outcome == "result_size" and result.result is None
