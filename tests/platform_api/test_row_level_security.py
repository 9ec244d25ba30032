"""Row-level security: the app role sees only the transaction's tenant, whatever it asks."""

from __future__ import annotations

import uuid

import asyncpg
from sqlalchemy import text

from agentpaas.runtime.postgres import DatabaseUrls
from platform_core.db import Database, to_plain_url
from platform_core.models import TENANT_OPTIONAL_TABLES, TENANT_OWNED_TABLES, metadata
from tests.helpers import make_tenant_with_user


async def _make_tenant(admin_url: str, name: str) -> uuid.UUID:
    return (await make_tenant_with_user(admin_url, name))[0]


async def test_foreign_rows_are_invisible_without_any_filter(
    database_urls: DatabaseUrls, app_db: Database
) -> None:
    tenant_a = await _make_tenant(database_urls.admin_url, f"rls-a-{uuid.uuid4().hex[:6]}")
    tenant_b = await _make_tenant(database_urls.admin_url, f"rls-b-{uuid.uuid4().hex[:6]}")

    async with app_db.tenant_session(tenant_a) as session:
        # Deliberately no WHERE tenant_id: the policy alone must hide tenant B.
        rows = (await session.execute(text("SELECT tenant_id FROM users"))).scalars().all()
        explicit_b = (
            await session.execute(
                text("SELECT count(*) FROM users WHERE tenant_id = :b"), {"b": tenant_b}
            )
        ).scalar_one()
        tenants = (await session.execute(text("SELECT id FROM tenants"))).scalars().all()
    assert rows and set(rows) == {tenant_a}
    assert explicit_b == 0
    assert tenants == [tenant_a]


async def test_no_tenant_set_means_no_rows(app_db: Database) -> None:
    async with app_db.system_session() as session:
        count = (await session.execute(text("SELECT count(*) FROM users"))).scalar_one()
    assert count == 0


async def test_writing_into_another_tenant_is_refused(
    database_urls: DatabaseUrls, app_db: Database
) -> None:
    tenant_a = await _make_tenant(database_urls.admin_url, f"rls-w-{uuid.uuid4().hex[:6]}")
    tenant_b = await _make_tenant(database_urls.admin_url, f"rls-v-{uuid.uuid4().hex[:6]}")
    try:
        async with app_db.tenant_session(tenant_a) as session:
            await session.execute(
                text(
                    "INSERT INTO users (id, tenant_id, email, password_hash, role, status, "
                    "token_version, preferences) VALUES "
                    "(:id, :t, 'intruder@x.test', 'x', 'admin', 'active', 0, '{}')"
                ),
                {"id": uuid.uuid4(), "t": tenant_b},
            )
    except Exception as exc:  # the policy's WITH CHECK rejects the row
        assert "row-level security" in str(exc)
    else:
        raise AssertionError("inserting a row for another tenant must fail")


async def test_every_tenant_table_has_rls_and_the_app_role_cannot_bypass(
    database_urls: DatabaseUrls,
) -> None:
    conn = await asyncpg.connect(to_plain_url(database_urls.admin_url))
    try:
        rows = await conn.fetch(
            "SELECT c.relname, c.relrowsecurity FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r'"
        )
        role = await conn.fetchrow(
            "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'agentpaas_app'"
        )
        owners = await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tableowner = 'agentpaas_app'"
        )
    finally:
        await conn.close()
    rls = {r["relname"]: r["relrowsecurity"] for r in rows}
    with_tenant_column = {
        name for name, table in metadata.tables.items() if "tenant_id" in table.columns
    }
    assert with_tenant_column == set(TENANT_OWNED_TABLES) | set(TENANT_OPTIONAL_TABLES)
    assert all(rls[name] for name in with_tenant_column | {"tenants"})
    assert role is not None and not role["rolsuper"] and not role["rolbypassrls"]
    assert owners == []
