"""The standing of many streams' callers, read in one query across tenants (issue 22).

``agentpaas_stream_standing`` crosses tenants as the table owner; it must still pair each
user and key with the tenant named beside it, as that tenant's row-level security would.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
from sqlalchemy import text

from agentpaas.runtime.postgres import DatabaseUrls
from platform_api.auth.caller import Caller
from platform_api.auth.standing import standing_problems, while_in_good_standing
from platform_api.auth.standing_monitor import StandingMonitor
from platform_core.db import Database, to_plain_url
from tests.helpers import parse_sse


class _Rows:
    """Tenants, users and keys written as the table owner (no row-level security)."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def tenant(self, status: str = "active") -> uuid.UUID:
        tenant_id = uuid.uuid4()
        await self.conn.execute(
            "INSERT INTO tenants (id, name, display_name, plan, status, settings) "
            "VALUES ($1, $2, $2, 'free', $3, '{}')",
            tenant_id,
            f"standing-{tenant_id.hex[:8]}",
            status,
        )
        return tenant_id

    async def user(self, tenant_id: uuid.UUID, status: str = "active", version: int = 0) -> Any:
        user_id = uuid.uuid4()
        await self.conn.execute(
            "INSERT INTO users (id, tenant_id, email, password_hash, role, status, "
            "token_version, preferences) VALUES ($1, $2, $3, 'x', 'user', $4, $5, '{}')",
            user_id,
            tenant_id,
            f"{user_id.hex[:8]}@standing.test",
            status,
            version,
        )
        return user_id

    async def key(
        self,
        tenant_id: uuid.UUID,
        user_id: uuid.UUID,
        *,
        revoked_at: datetime | None = None,
        expires_at: datetime | None = None,
    ) -> uuid.UUID:
        key_id = uuid.uuid4()
        await self.conn.execute(
            "INSERT INTO api_keys (id, tenant_id, user_id, key_prefix, key_hash, "
            "revoked_at, expires_at) VALUES ($1, $2, $3, 'ak_test', $4, $5, $6)",
            key_id,
            tenant_id,
            user_id,
            key_id.hex,
            revoked_at,
            expires_at,
        )
        return key_id


async def _owner(database_urls: DatabaseUrls) -> AsyncIterator[_Rows]:
    conn = await asyncpg.connect(to_plain_url(database_urls.admin_url))
    try:
        yield _Rows(conn)
    finally:
        await conn.close()


def _caller(
    user_id: uuid.UUID,
    tenant_id: uuid.UUID,
    *,
    token_version: int | None = 0,
    api_key_id: uuid.UUID | None = None,
) -> Caller:
    return Caller(
        user_id=user_id,
        tenant_id=tenant_id,
        role="user",
        email="someone@standing.test",
        token_version=None if api_key_id else token_version,
        api_key_id=api_key_id,
    )


def _errors(body: bytes) -> list[str]:
    """The text of each frame of an SSE body, all of them ``error`` frames."""
    frames: list[dict[str, Any]] = parse_sse(body.decode())
    assert {frame["event"] for frame in frames} <= {"error"}
    return [frame["data"]["content"] for frame in frames]


async def test_one_query_answers_for_callers_of_two_tenants(
    database_urls: DatabaseUrls, app_db: Database
) -> None:
    async for rows in _owner(database_urls):
        now = datetime.now(UTC)
        a, b = await rows.tenant(), await rows.tenant(status="suspended")
        alice = await rows.user(a, version=3)
        suspended = await rows.user(a, status="suspended")
        bob = await rows.user(b)
        good_key = await rows.key(a, alice, expires_at=now + timedelta(days=1))
        revoked_key = await rows.key(a, alice, revoked_at=now - timedelta(minutes=1))
        expired_key = await rows.key(a, alice, expires_at=now - timedelta(seconds=1))
        bobs_key = await rows.key(b, bob)

    # The raw function, as the app role with no tenant set (where RLS shows nothing).
    async with app_db.system_session() as session:
        raw = (
            (
                await session.execute(
                    text(
                        "SELECT * FROM agentpaas_stream_standing("
                        "CAST(:u AS uuid[]), CAST(:t AS uuid[]), CAST(:k AS uuid[]))"
                    ),
                    {
                        "u": [alice, bob, bob, alice, uuid.uuid4()],
                        "t": [a, b, a, a, uuid.uuid4()],
                        "k": [good_key, None, None, bobs_key, None],
                    },
                )
            )
            .mappings()
            .all()
        )
    assert [dict(r) for r in raw] == [
        {
            "ord": 1,
            "tenant_status": "active",
            "user_status": "active",
            "token_version": 3,
            "key_id": good_key,
            "key_revoked_at": None,
            "key_expires_at": raw[0]["key_expires_at"],
        },
        {
            "ord": 2,
            "tenant_status": "suspended",
            "user_status": "active",
            "token_version": 0,
            "key_id": None,
            "key_revoked_at": None,
            "key_expires_at": None,
        },
        # Bob named with tenant A, and Bob's key named with tenant A: as if missing.
        {
            "ord": 3,
            "tenant_status": "active",
            "user_status": None,
            "token_version": None,
            "key_id": None,
            "key_revoked_at": None,
            "key_expires_at": None,
        },
        {
            "ord": 4,
            "tenant_status": "active",
            "user_status": "active",
            "token_version": 3,
            "key_id": None,
            "key_revoked_at": None,
            "key_expires_at": None,
        },
        {
            "ord": 5,
            "tenant_status": None,
            "user_status": None,
            "token_version": None,
            "key_id": None,
            "key_revoked_at": None,
            "key_expires_at": None,
        },
    ]
    assert raw[0]["key_expires_at"] > now

    callers = [
        _caller(alice, a, token_version=3),
        _caller(alice, a, api_key_id=good_key),
        _caller(alice, a, token_version=2),
        _caller(alice, a, api_key_id=revoked_key),
        _caller(alice, a, api_key_id=expired_key),
        _caller(alice, a, api_key_id=bobs_key),
        _caller(suspended, a),
        _caller(bob, b),
        _caller(bob, a),
    ]
    assert await standing_problems(database=app_db, callers=callers) == [
        None,
        None,
        "the session was revoked",
        "the API key was revoked",
        "the API key expired",
        "the API key was revoked",
        "the account is no longer active",
        "the tenant is no longer active",
        "the account is no longer active",
    ]


async def test_only_the_app_role_may_call_it(database_urls: DatabaseUrls) -> None:
    conn = await asyncpg.connect(to_plain_url(database_urls.admin_url))
    try:
        acl = await conn.fetchval(
            "SELECT proacl::text[] FROM pg_proc WHERE proname = 'agentpaas_stream_standing'"
        )
        app_may = await conn.fetchval(
            "SELECT has_function_privilege('agentpaas_app', "
            "'agentpaas_stream_standing(uuid[], uuid[], uuid[])', 'EXECUTE')"
        )
    finally:
        await conn.close()
    assert app_may is True
    assert not [entry for entry in acl if entry.startswith("=")], acl  # nothing for PUBLIC


async def test_suspending_a_user_ends_that_users_open_stream_only(
    database_urls: DatabaseUrls, app_db: Database
) -> None:
    async for rows in _owner(database_urls):
        tenant = await rows.tenant()
        carol, dave = await rows.user(tenant), await rows.user(tenant)
    asked: list[int] = []

    async def check(callers: Sequence[Caller]) -> list[str | None]:
        asked.append(len(callers))
        return await standing_problems(database=app_db, callers=callers)

    monitor = StandingMonitor(check, every_seconds=0.1, outage_seconds=5)
    bodies: dict[uuid.UUID, bytes] = {carol: b"", dave: b""}

    async def idle() -> AsyncIterator[bytes]:
        await asyncio.Event().wait()
        yield b""  # never reached

    async def stream(user_id: uuid.UUID) -> None:
        caller = _caller(user_id, tenant)
        async for frame in while_in_good_standing(idle(), monitor=monitor, caller=caller):
            bodies[user_id] += frame

    carols = [asyncio.create_task(stream(carol))]
    daves = [asyncio.create_task(stream(dave)) for _ in range(2)]
    try:
        await asyncio.sleep(0.25)
        assert asked and set(asked) == {2}  # two distinct callers, three streams
        owner = await asyncpg.connect(to_plain_url(database_urls.admin_url))
        try:
            await owner.execute("UPDATE users SET status = 'suspended' WHERE id = $1", carol)
            await asyncio.wait_for(asyncio.gather(*carols), timeout=5)
            assert _errors(bodies[carol]) == ["stream ended: the account is no longer active"]
            await asyncio.sleep(0.3)
            assert not any(task.done() for task in daves) and bodies[dave] == b""

            # Logging out everywhere bumps the token version: Dave's stream ends too.
            await owner.execute(
                "UPDATE users SET token_version = token_version + 1 WHERE id = $1", dave
            )
            await asyncio.wait_for(asyncio.gather(*daves), timeout=5)
        finally:
            await owner.close()
        assert _errors(bodies[dave]) == ["stream ended: the session was revoked"] * 2
    finally:
        for task in carols + daves:
            task.cancel()
        await asyncio.gather(*carols, *daves, return_exceptions=True)
        await monitor.close()
