"""The reviewer inbox pages in the database: most urgent first, no overlap, filters intact.

A tenant of its own holds two agents' runs with open and closed tasks; the service reads
them as the app role under row-level security.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from agentpaas.runtime.postgres import DatabaseUrls
from platform_api.auth.caller import Caller
from platform_api.human_tasks.service import list_tasks
from platform_api.paging import PageParams
from platform_core.db import Database, to_plain_url

OPEN = 25


@pytest.fixture
async def inbox(database_urls: DatabaseUrls) -> tuple[Caller, list[uuid.UUID]]:
    """A fresh tenant: an admin, two agents with a run each, 25 open and 5 closed tasks."""
    tenant, user = uuid.uuid4(), uuid.uuid4()
    agents = [uuid.uuid4(), uuid.uuid4()]
    conn = await asyncpg.connect(to_plain_url(database_urls.admin_url))
    try:
        async with conn.transaction():
            await conn.execute(
                "INSERT INTO tenants (id, name, display_name, plan, status, settings) "
                "VALUES ($1, $2, $2, 'free', 'active', '{}')",
                tenant,
                f"inbox-{tenant.hex[:8]}",
            )
            await conn.execute(
                "INSERT INTO users (id, tenant_id, email, password_hash, role, status, "
                "token_version, preferences) VALUES ($1, $2, $3, '!', 'admin', 'active', 0, '{}')",
                user,
                tenant,
                f"admin@{tenant.hex[:8]}.test",
            )
            for n, agent in enumerate(agents):
                version, run = uuid.uuid4(), uuid.uuid4()
                await conn.execute(
                    "INSERT INTO agents (id, tenant_id, name, developer_id, status, "
                    "download_count, rating_count) VALUES ($1, $2, $3, $4, 'published', 0, 0)",
                    agent,
                    tenant,
                    f"agent {n}",
                    user,
                )
                await conn.execute(
                    "INSERT INTO agent_versions (id, tenant_id, agent_id, version, status, "
                    "workflow_definition, plan_hash, rag_enabled, is_current) "
                    "VALUES ($1, $2, $3, '1.0.0', 'published', '{}', 'x', false, true)",
                    version,
                    tenant,
                    agent,
                )
                await conn.execute(
                    "INSERT INTO workflow_executions (execution_id, tenant_id, agent_id, "
                    "agent_version_id, user_id, workflow_id, thread_id, checkpointer_schema, "
                    "status, total_nodes, completed_nodes, failed_nodes, tokens_consumed) "
                    "VALUES ($1, $2, $3, $4, $5, $6, $6, 'temporal', 'interrupted', 1, 0, 0, 0)",
                    run,
                    tenant,
                    agent,
                    version,
                    user,
                    f"exec-{run}",
                )
                now = datetime.now(UTC)
                for t in range(n, OPEN + 5, 2):  # agent 0: even tasks, agent 1: odd ones
                    await conn.execute(
                        "INSERT INTO human_intervention_tasks (task_id, tenant_id, "
                        "execution_id, node_name, node_task_id, instruction, status, priority, "
                        "due_at, created_at) VALUES ($1, $2, $3, 'approve', 'approve:1', 'ok?', "
                        "$4, $5, $6, $7)",
                        uuid.uuid4(),
                        tenant,
                        run,
                        "pending" if t < OPEN else "completed",
                        1 + t % 10,
                        now + timedelta(hours=t % 7),
                        now - timedelta(minutes=t),
                    )
    finally:
        await conn.close()
    return Caller(user_id=user, tenant_id=tenant, role="admin", email="a@b.c"), agents


async def test_pages_are_ordered_disjoint_and_counted(
    app_db: Database, inbox: tuple[Caller, list[uuid.UUID]]
) -> None:
    caller, agents = inbox
    seen = []
    async with app_db.tenant_session(caller.tenant_id) as session:
        for offset in (0, 10, 20):
            page = await list_tasks(
                session=session,
                caller=caller,
                status=None,
                min_priority=None,
                agent_id=None,
                due_within_hours=None,
                mine=False,
                page=PageParams(limit=10, offset=offset),
            )
            assert page.total == OPEN
            seen += page.items
    assert len(seen) == OPEN and len({t.task_id for t in seen}) == OPEN
    keys = [(-t.priority, t.due_at) for t in seen]
    assert keys == sorted(keys)
    assert {t.agent_id for t in seen} == set(agents)


async def test_the_agent_filter_keeps_its_agents_tasks_only(
    app_db: Database, inbox: tuple[Caller, list[uuid.UUID]]
) -> None:
    caller, agents = inbox
    async with app_db.tenant_session(caller.tenant_id) as session:
        page = await list_tasks(
            session=session,
            caller=caller,
            status=None,
            min_priority=None,
            agent_id=agents[1],
            due_within_hours=None,
            mine=False,
            page=PageParams(limit=50, offset=0),
        )
    assert page.total == len(range(1, OPEN, 2))
    assert {t.agent_id for t in page.items} == {agents[1]}
