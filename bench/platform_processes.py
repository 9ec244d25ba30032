"""The platform split into processes for the load benchmarks: the API and one worker.

`agentpaas api` (uvicorn) and `agentpaas worker` run as children of the benchmark, each in
its own process group with its output in a log file, on the benchmark's PostgreSQL and
Temporal dev server (bench/environment.py). Being separate processes, their CPU and
memory can be read from /proc, and the benchmark's own client work does not count
against them. The process handling is the chaos suite's (`tests/chaos/cluster.Child`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import resource
import signal
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
from environment import PlatformDatabase
from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the process handling lives with the chaos tests

from agentpaas.runtime.ports import free_port  # noqa: E402
from platform_core.db import Database  # noqa: E402
from platform_core.settings import Settings  # noqa: E402
from tests.chaos.cluster import Child  # noqa: E402

BIN = Path(sys.executable).parent
# The dev server as `agentpaas dev` runs it: a SQLite file in WAL mode.
SQLITE_FLAGS = ("--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=normal")
# What the benchmarks change for their tenant and processes, printed with the results:
# settings and rows of the bench's own database, never the product's defaults.
BENCH_CHANGES = (
    "rate limits off for the bench API process "
    "(AGENTPAAS_RATE_LIMIT_PER_CREDENTIAL=0, AGENTPAAS_RATE_LIMIT_PER_IP=0)",
    "the bench tenant's quotas raised in tenant_quotas "
    "(max_sessions_per_day, max_tokens_per_month: 1e9)",
)


def raise_fd_limit() -> None:
    """Allow this process as many open files (sockets) as the hard limit; children inherit it."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def child_environment(**extra: str) -> dict[str, str]:
    """This process's environment without any AGENTPAAS_/OTEL_ setting, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AGENTPAAS_", "OTEL_"))}
    env.update(
        {"LITELLM_LOCAL_MODEL_COST_MAP": "True", "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1"}
    )
    env.update(extra)
    return env


def platform_environment(
    db: PlatformDatabase, temporal_address: str, task_queue: str, data_dir: Path, **extra: str
) -> dict[str, str]:
    """What `agentpaas api` and `agentpaas worker` read, pointed at the bench's services."""
    settings = {
        "AGENTPAAS_DATABASE_URL": db.app.url,
        "AGENTPAAS_TEMPORAL_ADDRESS": temporal_address,
        "AGENTPAAS_TEMPORAL_TASK_QUEUE": task_queue,
        "AGENTPAAS_RATE_LIMIT_PER_CREDENTIAL": "0",
        "AGENTPAAS_RATE_LIMIT_PER_IP": "0",
        "AGENTPAAS_LOG_LEVEL": "WARNING",
        "AGENTPAAS_DATA_DIR": str(data_dir),
    }
    return child_environment(**{**settings, **extra})


@dataclass
class PlatformProcesses:
    """The API and the worker, and where to reach the API."""

    api: Child
    worker: Child
    api_url: str
    task_queue: str

    def stop(self) -> None:
        """SIGTERM both (a graceful stop), then kill what is left of their groups."""
        stop_children(self.api, self.worker)


def stop_children(*children: Child) -> None:
    """SIGTERM each child, wait a little, then SIGKILL its whole process group."""
    for child in children:
        child.signal(signal.SIGTERM)
    for child in children:
        child.wait_exit(10.0)
        child.kill_group()


async def start_platform_processes(
    workdir: Path,
    db: PlatformDatabase,
    temporal_address: str,
    worker_settings: dict[str, str] | None = None,
    **api_settings: str,
) -> PlatformProcesses:
    """Start `agentpaas api` on a free port and one `agentpaas worker`; wait for both.

    ``api_settings``, ``worker_settings``: more (or other) environment variables for the
    API process and for the worker process.
    """
    task_queue = f"bench-{uuid.uuid4().hex[:8]}"
    port = free_port()
    api = Child(
        "api",
        [str(BIN / "agentpaas"), "api"],
        workdir / "logs" / "api.log",
        env=platform_environment(
            db,
            temporal_address,
            task_queue,
            workdir / "api",
            **{
                "AGENTPAAS_API_HOST": "127.0.0.1",
                "AGENTPAAS_API_PORT": str(port),
                **api_settings,
            },
        ),
    )
    # INFO: the worker logs "worker polling <queue>" once it is up.
    worker = Child(
        "worker",
        [str(BIN / "agentpaas"), "worker"],
        workdir / "logs" / "worker.log",
        env=platform_environment(
            db,
            temporal_address,
            task_queue,
            workdir / "worker",
            **{"AGENTPAAS_LOG_LEVEL": "INFO", **(worker_settings or {})},
        ),
    )
    processes = PlatformProcesses(api, worker, f"http://127.0.0.1:{port}", task_queue)
    api.start()
    worker.start()
    try:
        await asyncio.gather(
            wait_healthy(api, processes.api_url),
            wait_logged(worker, f"worker polling {task_queue}"),
        )
    except BaseException:
        processes.stop()
        raise
    return processes


async def wait_healthy(child: Child, url: str, timeout: float = 120.0) -> None:
    """Until the API answers its health check."""
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(base_url=url, timeout=5) as client:
        while time.monotonic() < deadline and child.alive:
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get("/api/v1/health")).status_code == 200:
                    return
            await asyncio.sleep(0.2)
    raise RuntimeError(f"{child.name} did not come up:\n{child.tail()}")


async def wait_logged(child: Child, marker: str, timeout: float = 120.0) -> None:
    """Until ``marker`` appears in the child's log (a worker's start-up line)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and child.alive:
        if child.log.exists() and marker in child.log.read_text(errors="replace"):
            return
        await asyncio.sleep(0.2)
    raise RuntimeError(f"{child.name} did not come up:\n{child.tail()}")


async def login(http: httpx.AsyncClient) -> str:
    """An access token of the demo admin (the seeded tenant's), as the UI gets one."""
    settings = Settings()
    response = await http.post(
        # The dev seed puts the admin's email in the platform tenant too.
        "/api/auth/login-with-tenant",
        json={
            "tenant": settings.demo_tenant,
            "email": settings.demo_admin_email,
            "password": settings.demo_admin_password.get_secret_value(),
        },
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


async def raise_tenant_quotas(db: PlatformDatabase) -> None:
    """Lift the seeded tenant's daily sessions and monthly tokens (see BENCH_CHANGES)."""
    owner = Database(db.admin_url, connections=2)
    try:
        async with owner.system_session() as session:
            await session.execute(
                text(
                    "UPDATE tenant_quotas SET max_sessions_per_day = 1000000000, "
                    "max_tokens_per_month = 1000000000 WHERE tenant_id = :tenant"
                ),
                {"tenant": db.tenant_id},
            )
    finally:
        await owner.dispose()


async def set_model_params(
    db: PlatformDatabase, agent_id: uuid.UUID, params: dict[str, object]
) -> None:
    """Give the agent's versions model parameters (e.g. the scripted model's latency)."""
    owner = Database(db.admin_url, connections=2)
    try:
        async with owner.system_session() as session:
            await session.execute(
                text(
                    "UPDATE agent_versions SET model_params_override = CAST(:params AS jsonb) "
                    "WHERE agent_id = :agent"
                ),
                {"params": json.dumps(params), "agent": agent_id},
            )
    finally:
        await owner.dispose()
