"""Pooled connections never carry one tenant's rows into another's transaction: 10,000
alternating-tenant transactions through the app's own pool, 50 at a time, each
reading a tenant-owned table with no WHERE clause; and a transaction that fails
leaves no tenant setting behind on its connection."""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict

import asyncpg
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from agentpaas.runtime.postgres import DatabaseUrls
from platform_core.db import Database, to_plain_url
from tests.helpers import Platform

TRANSACTIONS = 10_000
CONCURRENCY = 50
# Rows of tenant-owned tables (users, chats) with no WHERE: RLS alone decides.
READ = text(
    "SELECT pg_backend_pid() AS pid, "
    "ARRAY(SELECT email FROM users ORDER BY email) AS emails, "
    "ARRAY(SELECT DISTINCT tenant_id::text FROM users) AS tenants, "
    "current_setting('app.tenant_id', true) AS setting"
)


async def _tenant_with_users(admin_url: str, users: int) -> tuple[str, list[str]]:
    conn = await asyncpg.connect(to_plain_url(admin_url))
    try:
        tenant_id = uuid.uuid4()
        name = f"pool-{tenant_id.hex[:8]}"
        await conn.execute(
            "INSERT INTO tenants (id, name, display_name, plan, status, settings) "
            "VALUES ($1, $2, $2, 'free', 'active', '{}')",
            tenant_id,
            name,
        )
        emails = sorted(f"u{i}@{name}.test" for i in range(users))
        for email in emails:
            await conn.execute(
                "INSERT INTO users (id, tenant_id, email, password_hash, role, status, "
                "token_version, preferences) VALUES ($1, $2, $3, 'x', 'user', 'active', 0, '{}')",
                uuid.uuid4(),
                tenant_id,
                email,
            )
        return str(tenant_id), emails
    finally:
        await conn.close()


def _app_database(platform: Platform) -> Database:
    app: FastAPI = platform.client._transport.app  # type: ignore[attr-defined]
    database: Database = app.state.services.database
    return database


class Boom(Exception):
    """Raised on purpose inside a tenant's transaction."""


async def test_ten_thousand_alternating_transactions_see_only_their_tenant(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    database = _app_database(platform)
    tenant_a, emails_a = await _tenant_with_users(database_urls.admin_url, 3)
    tenant_b, emails_b = await _tenant_with_users(database_urls.admin_url, 2)
    expected = {tenant_a: emails_a, tenant_b: emails_b}
    tenants_by_pid: dict[int, set[str]] = defaultdict(set)
    foreign: list[str] = []
    failed_on_purpose = 0
    gate = asyncio.Semaphore(CONCURRENCY)

    async def transaction(n: int) -> None:
        nonlocal failed_on_purpose
        tenant = tenant_a if n % 2 == 0 else tenant_b
        async with gate:
            try:
                async with database.tenant_session(tenant) as session:
                    row = (await session.execute(READ)).one()
                    if n % 97 == 0:
                        # A failure after reading: the rollback must take the tenant
                        # setting with it, or the next user of this connection sees it.
                        raise Boom(n)
            except Boom:
                failed_on_purpose += 1
        tenants_by_pid[row.pid].add(tenant)
        if list(row.emails) != expected[tenant] or list(row.tenants) != [tenant]:
            foreign.append(f"#{n} as {tenant}: {row.tenants} {row.emails}")
        if row.setting != tenant:
            foreign.append(f"#{n} as {tenant}: setting {row.setting}")

    await asyncio.gather(*(transaction(n) for n in range(TRANSACTIONS)))
    assert foreign == []
    assert failed_on_purpose == len(range(0, TRANSACTIONS, 97))
    # The pool really reused connections across tenants (else the test proves little).
    shared = [pid for pid, seen in tenants_by_pid.items() if len(seen) == 2]
    assert len(tenants_by_pid) > 1 and shared


@pytest.mark.parametrize("failure", ["sql", "python"])
async def test_a_failed_transaction_leaves_no_tenant_on_its_connection(
    platform: Platform, database_urls: DatabaseUrls, failure: str
) -> None:
    tenant, emails = await _tenant_with_users(database_urls.admin_url, 2)
    # One connection, so the next transaction surely runs where the failed one did.
    database = Database(database_urls.app_url, connections=2)
    try:
        with pytest.raises(Exception) as raised:
            async with database.tenant_session(tenant) as session:
                seen = (await session.execute(READ)).one()
                assert list(seen.emails) == emails
                if failure == "sql":
                    await session.execute(text("SELECT 1 / 0"))
                raise Boom("after the tenant was set")
        assert isinstance(raised.value, Boom) == (failure == "python")
        async with database.system_session() as session:
            after = (await session.execute(READ)).one()
    finally:
        await database.dispose()
    assert after.pid == seen.pid
    assert after.setting in (None, "")
    assert list(after.emails) == [] and list(after.tenants) == []
