"""Store search's index-backed matching (migration 0014) runs as the table owner, outside
row-level security: it must still answer for the current tenant's published agents only."""

from __future__ import annotations

import uuid

import asyncpg
import pytest
from sqlalchemy import text

from agentpaas.runtime.postgres import DatabaseUrls
from platform_core.db import Database, to_plain_url


@pytest.fixture
async def two_tenants(database_urls: DatabaseUrls) -> dict[str, tuple[uuid.UUID, uuid.UUID]]:
    """Two fresh tenants, each with a published "Zebra Summarizer" and a draft "Zebra Draft"
    (name: tenant id, published agent id)."""
    made: dict[str, tuple[uuid.UUID, uuid.UUID]] = {}
    conn = await asyncpg.connect(to_plain_url(database_urls.admin_url))
    try:
        for name in ("a", "b"):
            tenant, user, agent = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
            await conn.execute(
                "INSERT INTO tenants (id, name, display_name, plan, status, settings) "
                "VALUES ($1, $2, $2, 'free', 'active', '{}')",
                tenant,
                f"zebra-{name}-{tenant.hex[:6]}",
            )
            await conn.execute(
                "INSERT INTO users (id, tenant_id, email, password_hash, role, status, "
                "token_version, preferences) VALUES ($1, $2, $3, '!', 'developer', 'active', "
                "0, '{}')",
                user,
                tenant,
                f"dev@{tenant.hex[:8]}.test",
            )
            for agent_id, title, status in (
                (agent, "Zebra Summarizer", "published"),
                (uuid.uuid4(), "Zebra Draft", "draft"),
            ):
                await conn.execute(
                    "INSERT INTO agents (id, tenant_id, name, description, developer_id, status, "
                    "download_count, rating_count) VALUES ($1, $2, $3, 'stripes', $4, $5, 0, 0)",
                    agent_id,
                    tenant,
                    title,
                    user,
                    status,
                )
            made[name] = (tenant, agent)
    finally:
        await conn.close()
    return made


async def _matches(app_db: Database, tenant: uuid.UUID | None, query: str) -> set[uuid.UUID]:
    statement = text("SELECT agentpaas_store_matches(:q)")
    if tenant is None:
        async with app_db.system_session() as session:
            return set((await session.execute(statement, {"q": query})).scalars())
    async with app_db.tenant_session(tenant) as session:
        return set((await session.execute(statement, {"q": query})).scalars())


async def test_matches_are_the_current_tenants_published_agents_only(
    app_db: Database, two_tenants: dict[str, tuple[uuid.UUID, uuid.UUID]]
) -> None:
    (tenant_a, agent_a), (tenant_b, agent_b) = two_tenants["a"], two_tenants["b"]
    # Full text, a typo (trigram), a word inside the name, a substring: each finds the
    # tenant's own published agent and nothing of the other tenant or of drafts.
    for query in ("stripes", "zebra sumarizer", "summarizer", "ebra summ"):
        assert await _matches(app_db, tenant_a, query) == {agent_a}, query
        assert await _matches(app_db, tenant_b, query) == {agent_b}, query
    assert await _matches(app_db, tenant_a, "giraffe") == set()
    # No tenant set (a session outside any tenant): nothing at all.
    assert await _matches(app_db, None, "zebra") == set()
