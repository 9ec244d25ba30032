"""One-statement work that enters its tenant itself (migration 0023): authenticating a
request and appending a batch of run events, each one statement on its own.

They keep what a tenant's transaction guarantees: row-level security sees only the
tenant the statement names, a statement inside another tenant's transaction is refused,
and no tenant setting is left on the pooled connection afterwards.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from agentpaas.runtime.postgres import DatabaseUrls
from agentpaas.seed import SeedResult
from platform_api.audit import service as audit
from platform_api.audit.entries import AuditEntry
from platform_api.auth.service import caller_account
from platform_core.db import Database
from platform_core.run_event_log import (
    PendingEvent,
    append_and_commit,
    read_committed,
    read_events,
)
from tests.helpers import make_tenant_with_user

SETTING = text("SELECT coalesce(current_setting('app.tenant_id', true), '')")


async def _other_tenant_user(admin_url: str) -> tuple[uuid.UUID, uuid.UUID]:
    return await make_tenant_with_user(admin_url, f"stmt-{uuid.uuid4().hex[:8]}", token_version=3)


@pytest.fixture
async def one_connection(database_urls: DatabaseUrls) -> Database:
    """The app role's pool of exactly one connection: every statement shares it."""
    database = Database(database_urls.app_url, connections=2)
    yield database  # type: ignore[misc]
    await database.dispose()


async def test_a_caller_is_read_in_their_own_tenant_only(
    one_connection: Database, database_urls: DatabaseUrls
) -> None:
    tenant_id, user_id = await _other_tenant_user(database_urls.admin_url)
    account = await caller_account(database=one_connection, tenant_id=tenant_id, user_id=user_id)
    assert account is not None
    assert (account.user_id, account.tenant_id, account.token_version) == (user_id, tenant_id, 3)
    assert (account.status, account.tenant_status, account.role) == ("active", "active", "user")
    # The same user named under another tenant: row-level security shows nothing.
    other = uuid.uuid4()
    assert await caller_account(database=one_connection, tenant_id=other, user_id=user_id) is None
    # Nothing of either tenant stays on the (only) pooled connection.
    async with one_connection.autocommit() as conn:
        assert (await conn.execute(SETTING)).scalar_one() == ""


async def test_an_append_lands_in_the_tenant_it_names_and_leaves_no_setting(
    one_connection: Database, seeded: SeedResult, database_urls: DatabaseUrls
) -> None:
    tenant = str(seeded.tenant_id)
    other_tenant, _ = await _other_tenant_user(database_urls.admin_url)
    stream = f"exec-{uuid.uuid4()}"
    events = [PendingEvent({"event": "thought", "content": "one"}, key="k1")]
    assert await append_and_commit(
        one_connection, stream_id=stream, tenant_id=tenant, events=events
    )
    # Its key makes a second append of the same batch (an unconfirmed commit) harmless.
    assert (
        await append_and_commit(one_connection, stream_id=stream, tenant_id=tenant, events=events)
        == 0
    )
    async with one_connection.autocommit() as conn:
        assert (await conn.execute(SETTING)).scalar_one() == ""
    async with one_connection.tenant_session(tenant) as session:
        assert [
            e["content"] for _, e in await read_events(session, stream_id=stream, from_seq=0)
        ] == ["one"]
    async with one_connection.tenant_session(other_tenant) as session:
        assert await read_events(session, stream_id=stream, from_seq=0) == []
    # A stream's read as one statement: the same rows, for the same tenant only.
    mine = await read_committed(one_connection, tenant_id=tenant, stream_id=stream, from_seq=0)
    assert [(seq, e["content"]) for seq, e in mine] == [(0, "one")]
    later = await read_committed(one_connection, tenant_id=tenant, stream_id=stream, from_seq=1)
    assert later == []
    foreign = await read_committed(
        one_connection, tenant_id=str(other_tenant), stream_id=stream, from_seq=0
    )
    assert foreign == []
    async with one_connection.autocommit() as conn:
        assert (await conn.execute(SETTING)).scalar_one() == ""


async def test_a_statement_naming_another_tenant_is_refused_inside_a_tenants_transaction(
    one_connection: Database, seeded: SeedResult, database_urls: DatabaseUrls
) -> None:
    other_tenant, _ = await _other_tenant_user(database_urls.admin_url)
    stream = f"exec-{uuid.uuid4()}"
    with pytest.raises(DBAPIError, match="another tenant"):
        async with one_connection.tenant_session(seeded.tenant_id) as session:
            await session.execute(
                text(
                    "SELECT agentpaas_append_run_events_as(CAST(:stream AS varchar), "
                    "CAST(:tenant AS uuid), CAST(:events AS jsonb))"
                ),
                {"stream": stream, "tenant": str(other_tenant), "events": "[]"},
            )
    async with one_connection.tenant_session(other_tenant) as session:
        assert await read_events(session, stream_id=stream, from_seq=0) == []


async def test_an_audit_row_lands_in_its_own_tenant_only(
    one_connection: Database, seeded: SeedResult, database_urls: DatabaseUrls
) -> None:
    tenant_id, user_id = await _other_tenant_user(database_urls.admin_url)
    request_id = uuid.uuid4().hex
    await audit.record(
        one_connection,
        AuditEntry(
            tenant_id=tenant_id,
            actor_id=user_id,
            actor_type="user",
            action="chat.create",
            target_type="chat",
            target_id=None,
            outcome="success",
            status_code=201,
            request_id=request_id,
            ip_address="203.0.113.7",
            details={"agent_id": uuid.uuid4(), "text": "你好"},
        ),
    )
    rows = text("SELECT tenant_id, action, details->>'text' FROM audit_logs WHERE request_id = :r")
    async with one_connection.tenant_session(tenant_id) as session:
        assert (await session.execute(rows, {"r": request_id})).all() == [
            (tenant_id, "chat.create", "你好")
        ]
    async with one_connection.tenant_session(seeded.tenant_id) as session:
        assert (await session.execute(rows, {"r": request_id})).all() == []
    async with one_connection.autocommit() as conn:
        assert (await conn.execute(SETTING)).scalar_one() == ""
