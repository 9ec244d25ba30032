"""CPU of the profiled processes, per process and per thread, and py-spy around a window.

Part of bench/profile_run.py. CPU is utime+stime from /proc; PostgreSQL's is its
postmaster's, its live backends' and its reaped children's together.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from proc_stats import cpu_seconds

PY_SPY = Path(sys.executable).parent / "py-spy"


@dataclass
class Targets:
    """The processes of the setup, by name (pid)."""

    pids: dict[str, int] = field(default_factory=dict)

    def postgres(self) -> list[int]:
        """The postmaster and its children now (backends come and go)."""
        root = self.pids.get("postgres")
        if root is None:
            return []
        children = Path(f"/proc/{root}/task/{root}/children")
        found = [root]
        with contextlib.suppress(OSError):
            found += [int(p) for p in children.read_text().split()]
        return found


def own_child(*words: str) -> int:
    """The pid of a child of this process whose command line holds every one of ``words``
    (the dev server: other sessions on the machine run their own)."""
    children = [
        pid
        for task in Path(f"/proc/{os.getpid()}/task").iterdir()  # any thread may have forked it
        for pid in (task / "children").read_text().split()
    ]
    for pid in children:
        with contextlib.suppress(OSError):
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            if all(word in cmdline for word in words):
                return int(pid)
    raise RuntimeError(f"no child process with {words} in its command line")


def thread_cpu(pid: int) -> dict[str, tuple[str, float]]:
    """CPU seconds of each thread of a process: tid → (thread name, seconds)."""
    out: dict[str, tuple[str, float]] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            name = (task / "comm").read_text().strip()
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
            seconds = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            out[task.name] = (name, seconds)
    return out


def cpu_snapshot(targets: Targets) -> dict[str, Any]:
    """CPU seconds of each process (PostgreSQL: postmaster, its live children and reaped
    children), and per thread name for the Python processes."""
    snap: dict[str, Any] = {"processes": {}, "threads": {}}
    for name, pid in targets.pids.items():
        if name == "postgres":
            continue
        with contextlib.suppress(OSError):
            snap["processes"][name] = cpu_seconds(pid)
            if name in ("api", "worker", "raw-worker"):
                snap["threads"][name] = thread_cpu(pid)
    total = 0.0
    for pid in targets.postgres():
        with contextlib.suppress(OSError):
            total += cpu_seconds(pid)
    root = targets.pids.get("postgres")
    if root:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{root}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")
    snap["processes"]["postgres"] = total
    return snap


def cpu_delta(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """CPU seconds used between two snapshots: per process, per thread (tid) and per thread
    name (threads that ended in between are not counted per thread)."""
    processes = {
        k: after["processes"][k] - before["processes"].get(k, 0.0) for k in after["processes"]
    }
    tids: dict[str, dict[str, float]] = {}
    names: dict[str, dict[str, float]] = {}
    for proc, threads in after["threads"].items():
        earlier = before["threads"].get(proc, {})
        tids[proc] = {}
        names[proc] = {}
        for tid, (name, seconds) in threads.items():
            used = seconds - earlier.get(tid, (name, 0.0))[1]
            tids[proc][tid] = used
            names[proc][name] = names[proc].get(name, 0.0) + used
    return {"processes": processes, "threads": names, "tids": tids}


class Spy:
    """``py-spy record`` on some processes until :meth:`stop` (SIGINT makes it write)."""

    def __init__(self, outdir: Path, label: str, pids: dict[str, int], rate: int, idle: bool):
        self.files = {name: outdir / f"{label}-{name}.raw" for name in pids}
        self._pids = pids
        self._rate = rate
        self._idle = idle
        self._procs: dict[str, asyncio.subprocess.Process] = {}

    async def start(self) -> None:
        """Attach to every process; returns once py-spy runs."""
        for name, pid in self._pids.items():
            args = [str(PY_SPY), "record", "--pid", str(pid), "--rate", str(self._rate)]
            args += ["--format", "raw", "--threads", "--output", str(self.files[name])]
            if self._idle:
                args.append("--idle")
            self._procs[name] = await asyncio.create_subprocess_exec(
                *args, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
            )
        await asyncio.sleep(1.0)  # py-spy attaches and starts sampling

    async def stop(self) -> dict[str, str]:
        """Stop sampling and wait for the files; py-spy's last words per process."""
        said: dict[str, str] = {}
        for proc in self._procs.values():
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGINT)
        for name, proc in self._procs.items():
            try:
                _, err = await asyncio.wait_for(proc.communicate(), timeout=60)
            except TimeoutError:
                proc.kill()
                err = b"killed"
            lines = err.decode(errors="replace").strip().splitlines()
            said[name] = lines[-1] if lines else ""
        return said

    @property
    def pids(self) -> list[int]:
        """py-spy's own pids (its CPU is reported too)."""
        return [p.pid for p in self._procs.values()]
