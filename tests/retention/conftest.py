"""Tenants and rows for the retention tests, written as the tables' owner (no RLS)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import text
from temporalio.testing import ActivityEnvironment

from activities.retention import RetentionActivities, RetentionPolicy
from activities.vector_index import KnowledgeIndex
from agentpaas.runtime.postgres import DatabaseUrls
from agentpaas.seed import SeedResult, seed_demo_tenant
from platform_core.db import Database
from platform_core.models import (
    AgentVersion,
    AuditLog,
    Chat,
    ChatMessage,
    WorkflowExecution,
    WorkflowNodeExecution,
)
from platform_core.settings import Settings
from temporal_workflows import retention_contracts as r
from tests.helpers import DEMO_PASSWORD

NOW = datetime.now(UTC).replace(microsecond=0)


@dataclass
class TenantRefs:
    """A seeded tenant: its admin, its chat agent and that agent's version."""

    tenant_id: uuid.UUID
    user_id: uuid.UUID
    agent_id: uuid.UUID
    version_id: uuid.UUID


@pytest.fixture(scope="session")
async def owner_db(database_urls: DatabaseUrls, seeded: SeedResult) -> AsyncIterator[Database]:
    """The tables' owner (bypasses RLS): sets rows up and checks what is left."""
    db = Database(database_urls.admin_url, connections=4)
    yield db
    await db.dispose()


async def new_tenant(
    owner_db: Database, settings: Settings, *, tenant_settings: dict[str, Any] | None = None
) -> TenantRefs:
    """A tenant seeded like the demo one (users, agents, a knowledge base, …)."""
    name = f"ret-{uuid.uuid4().hex[:8]}"
    copy = settings.model_copy(
        update={
            "demo_tenant": name,
            "demo_admin_email": f"admin@{name}.example.com",
            "demo_admin_password": SecretStr(DEMO_PASSWORD),
            "bcrypt_rounds": 4,
        }
    )
    async with owner_db.system_session() as session:
        seeded = await seed_demo_tenant(session, copy)
        if tenant_settings is not None:
            await session.execute(
                text("UPDATE tenants SET settings = CAST(:s AS jsonb) WHERE id = :t"),
                {"s": _json(tenant_settings), "t": seeded.tenant_id},
            )
        user_id = (
            await session.execute(
                text("SELECT id FROM users WHERE tenant_id = :t AND role = 'admin'"),
                {"t": seeded.tenant_id},
            )
        ).scalar_one()
        version = await session.get(AgentVersion, await _version_of(session, seeded.agent_id))
    assert version is not None
    return TenantRefs(seeded.tenant_id, user_id, seeded.agent_id, version.id)


async def _version_of(session: Any, agent_id: uuid.UUID) -> uuid.UUID:
    return (
        await session.execute(
            text("SELECT id FROM agent_versions WHERE agent_id = :a LIMIT 1"), {"a": agent_id}
        )
    ).scalar_one()


def _json(value: Any) -> str:
    import json

    return json.dumps(value)


async def add_chat(
    owner_db: Database,
    tenant: TenantRefs,
    *,
    expires_at: datetime | None,
    messages: int = 2,
    run_status: str | None = "completed",
    completed_at: datetime | None = None,
    events: int = 3,
) -> tuple[uuid.UUID, uuid.UUID | None]:
    """A chat with messages and (unless ``run_status`` is None) one run with a node
    record and an event log of ``events`` events then `done`; returns (chat id, run id)."""
    chat = Chat(
        tenant_id=tenant.tenant_id,
        user_id=tenant.user_id,
        agent_id=tenant.agent_id,
        agent_version_id=tenant.version_id,
        expires_at=expires_at,
    )
    run_id = None
    async with owner_db.system_session() as session:
        session.add(chat)
        await session.flush()
        first = None
        for i in range(messages):
            message = ChatMessage(
                tenant_id=tenant.tenant_id, chat_id=chat.id, role="user", content=f"m{i}"
            )
            session.add(message)
            await session.flush()
            first = first or message
        if run_status is not None:
            run_id = await add_run(
                session,
                tenant,
                chat_id=chat.id,
                message_id=first.id if first else None,
                status=run_status,
                completed_at=completed_at,
                events=events,
            )
    return chat.id, run_id


async def add_run(
    session: Any,
    tenant: TenantRefs,
    *,
    chat_id: uuid.UUID | None = None,
    message_id: uuid.UUID | None = None,
    status: str = "completed",
    completed_at: datetime | None = None,
    events: int = 3,
) -> uuid.UUID:
    """A run with a node record and an event log (``events`` events, then `done` unless
    the run is still going)."""
    run_id = uuid.uuid4()
    workflow_id = f"exec-{run_id}"
    session.add(
        WorkflowExecution(
            execution_id=run_id,
            tenant_id=tenant.tenant_id,
            chat_id=chat_id,
            message_id=message_id,
            agent_id=tenant.agent_id,
            agent_version_id=tenant.version_id,
            user_id=tenant.user_id,
            workflow_id=workflow_id,
            thread_id=workflow_id,
            status=status,
            completed_at=completed_at,
        )
    )
    await session.flush()
    session.add(
        WorkflowNodeExecution(
            tenant_id=tenant.tenant_id,
            execution_id=run_id,
            node_name="llm",
            task_id="llm:1",
            status="completed",
        )
    )
    finished = status in ("completed", "failed", "cancelled")
    log = [{"event": "message", "text": f"t{i}"} for i in range(events)]
    if finished:
        log.append({"event": "done", "status": status})
    await session.execute(
        text("INSERT INTO run_event_streams (stream_id, tenant_id, next_seq) VALUES (:s, :t, :n)"),
        {"s": workflow_id, "t": tenant.tenant_id, "n": len(log)},
    )
    for seq, event in enumerate(log):
        await session.execute(
            text(
                "INSERT INTO run_events (stream_id, seq, tenant_id, event) "
                "VALUES (:s, :q, :t, CAST(:e AS jsonb))"
            ),
            {"s": workflow_id, "q": seq, "t": tenant.tenant_id, "e": _json(event)},
        )
    return run_id


async def add_audit_rows(
    owner_db: Database, tenant: TenantRefs, age: timedelta, count: int, action: str
) -> None:
    """``count`` audit rows written ``age`` before :data:`NOW`."""
    async with owner_db.system_session() as session:
        for _ in range(count):
            session.add(AuditLog(tenant_id=tenant.tenant_id, action=action, created_at=NOW - age))


async def count(owner_db: Database, sql: str, **params: Any) -> int:
    """The single number ``sql`` answers."""
    async with owner_db.system_session() as session:
        return int((await session.execute(text(sql), params)).scalar_one())


def sweeper(
    app_db: Database, index: KnowledgeIndex | None = None, **policy: Any
) -> RetentionActivities:
    """The sweeps as the worker builds them (the app role), with a test policy."""
    return RetentionActivities(app_db, RetentionPolicy(**policy), index)


async def sweep_tenant(
    activities: RetentionActivities, sweep: str, tenant: TenantRefs, now: datetime = NOW
) -> int:
    """Run ``sweep`` for one tenant the way the workflow does (listing gives the cutoff;
    the activity is called until it says it is done); the rows it deleted."""
    env = ActivityEnvironment()
    work = await tenant_work(activities, sweep, tenant, now)
    if work is None:
        return 0
    deleted = 0
    while True:
        result = await env.run(getattr(activities, sweep), work)
        deleted += result.deleted
        if not result.more:
            return deleted


async def tenant_work(
    activities: RetentionActivities, sweep: str, tenant: TenantRefs, now: datetime = NOW
) -> r.TenantWork | None:
    """The tenant's share of ``sweep`` as the listing activity hands it out (None: skipped)."""
    env = ActivityEnvironment()
    after: str | None = None
    while True:
        page = await env.run(
            activities.list_tenants, r.TenantPageInput(sweep, now.isoformat(), after, 500)
        )
        for work in page.tenants:
            if work.tenant_id == str(tenant.tenant_id):
                return work
        if page.complete:
            return None
        after = page.last_tenant_id
