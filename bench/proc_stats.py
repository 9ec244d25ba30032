"""CPU time and resident memory of a process, read from /proc (Linux only)."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds the process has used (its threads included)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    # Fields after the command name, which is in parentheses and may hold spaces.
    fields = stat.rsplit(")", 1)[1].split()
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / CLOCK_TICKS


def rss_bytes(pid: int) -> int:
    """The process's resident set size."""
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE


@dataclass(frozen=True)
class CpuWindow:
    """CPU used by a process over a stretch of wall-clock time."""

    cpu_seconds: float
    wall_seconds: float

    @property
    def percent_of_a_core(self) -> float:
        """CPU seconds per wall second, in percent of one core."""
        return 100.0 * self.cpu_seconds / self.wall_seconds if self.wall_seconds else 0.0


class CpuMeter:
    """Start a window with :meth:`start`, read it with :meth:`stop`."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self._cpu = 0.0
        self._wall = 0.0

    def start(self) -> None:
        """Note the process's CPU time and the clock now."""
        self._cpu = cpu_seconds(self.pid)
        self._wall = time.monotonic()

    def stop(self) -> CpuWindow:
        """The CPU and wall time since :meth:`start`."""
        return CpuWindow(cpu_seconds(self.pid) - self._cpu, time.monotonic() - self._wall)


def find_process(*words: str) -> int | None:
    """The pid of a running process whose command line holds every one of ``words``."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if all(word in cmdline for word in words):
            return int(entry.name)
    return None
