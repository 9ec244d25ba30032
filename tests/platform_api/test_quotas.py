"""Quotas: sessions per day and agents, enforced atomically; usage visible to tenant admins."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update

from agentpaas.runtime.postgres import DatabaseUrls
from platform_api.auth.passwords import hash_password
from platform_api.providers.usage import month_start
from platform_api.quotas.service import next_utc_midnight, seconds_until_next_day
from platform_core.db import Database
from platform_core.models import Agent, Chat, ChatMessage, TenantQuota, User, WorkflowExecution
from tests.helpers import DEMO_PASSWORD, Platform, create_agent, login, one_llm_node, stream_turn
from tests.llm_helpers import TenantAdmin, create_tenant


async def _set_quota(admin_url: str, tenant_id: uuid.UUID, **values: Any) -> None:
    database = Database(admin_url, connections=2)
    try:
        async with database.system_session() as session:
            await session.execute(
                update(TenantQuota)
                .where(TenantQuota.tenant_id == tenant_id)  # type: ignore[arg-type]
                .values(**values)
            )
    finally:
        await database.dispose()


async def _quota(admin_url: str, tenant_id: uuid.UUID) -> TenantQuota:
    database = Database(admin_url, connections=2)
    try:
        async with database.system_session() as session:
            quota = await session.get(TenantQuota, tenant_id)
            assert quota is not None
            return quota
    finally:
        await database.dispose()


async def _count(admin_url: str, model: Any, tenant_id: uuid.UUID) -> int:
    database = Database(admin_url, connections=2)
    try:
        async with database.system_session() as session:
            total: int = (
                await session.execute(
                    select(func.count()).select_from(model).where(model.tenant_id == tenant_id)
                )
            ).scalar_one()
            return total
    finally:
        await database.dispose()


async def _tenant_with_agent(
    platform: Platform, admin_url: str, **quota: Any
) -> tuple[TenantAdmin, str]:
    admin = await create_tenant(platform, admin_url)
    await _set_quota(admin_url, admin.tenant_id, **quota)
    agent_id = await create_agent(
        admin_url, admin.tenant_id, one_llm_node(platform.settings.default_model)
    )
    return admin, agent_id


def _assert_quota_problem(response: Any) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 429 and body["type"].endswith("/quota-exceeded")
    assert int(response.headers["Retry-After"]) > 0


async def test_parallel_chats_stop_exactly_at_the_daily_session_quota(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    admin, agent_id = await _tenant_with_agent(
        platform, database_urls.admin_url, max_sessions_per_day=3
    )

    responses = await asyncio.gather(
        *(
            platform.client.post(
                "/api/v1/chats", json={"agent_id": agent_id}, headers=admin.headers
            )
            for _ in range(10)
        )
    )

    codes = sorted(r.status_code for r in responses)
    assert codes == [201] * 3 + [429] * 7, [r.text for r in responses]
    refused = [r for r in responses if r.status_code == 429]
    for response in refused:
        _assert_quota_problem(response)
        # Retry-After points at the next UTC midnight, when the count starts again.
        expected = seconds_until_next_day(datetime.now(UTC))
        assert abs(int(response.headers["Retry-After"]) - expected) <= 5
    # Nothing half-written: exactly the three chats that were counted exist.
    assert await _count(database_urls.admin_url, Chat, admin.tenant_id) == 3
    quota = await _quota(database_urls.admin_url, admin.tenant_id)
    assert quota.current_day_sessions == 3
    assert quota.sessions_day == datetime.now(UTC).date()


async def test_every_kind_of_new_session_counts_and_a_refused_one_writes_nothing(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    admin_url = database_urls.admin_url
    admin, agent_id = await _tenant_with_agent(platform, admin_url, max_sessions_per_day=2)
    agent_name = await _agent_name(admin_url, agent_id)

    # A turn without chat_id opens a chat: one session. Its run really happens.
    first, frames = await stream_turn(
        platform.client, admin.token, {"agent_id": agent_id, "message": "hello"}
    )
    assert first.status_code == 200, first.text
    assert frames[-1]["event"] == "done"
    # A request that fails after the count (unknown parent message) counts nothing.
    failed = await platform.client.post(
        "/api/v1/chat/completions",
        json={"agent_id": agent_id, "message": "x", "parent_message_id": str(uuid.uuid4())},
        headers=admin.headers,
    )
    assert failed.status_code == 404, failed.text
    assert (await _quota(admin_url, admin.tenant_id)).current_day_sessions == 1
    # A direct run is a session too: the second and last of today.
    direct = await platform.client.post(
        f"/api/v1/agents/{agent_id}/execute", json={"message": "hi"}, headers=admin.headers
    )
    assert direct.status_code == 202, direct.text
    assert (await _quota(admin_url, admin.tenant_id)).current_day_sessions == 2

    chats_before = await _count(admin_url, Chat, admin.tenant_id)
    messages_before = await _count(admin_url, ChatMessage, admin.tenant_id)
    runs_before = await _count(admin_url, WorkflowExecution, admin.tenant_id)
    refused = [
        await platform.client.post(
            "/api/v1/chat/completions",
            json={"agent_id": agent_id, "message": "one more"},
            headers=admin.headers,
        ),
        await platform.client.post(
            "/api/v1/chats", json={"agent_id": agent_id}, headers=admin.headers
        ),
        await platform.client.post(
            f"/api/v1/agents/{agent_id}/execute", json={"message": "hi"}, headers=admin.headers
        ),
        await platform.client.post(
            "/v1/chat/completions",
            json={"model": agent_name, "messages": [{"role": "user", "content": "hi"}]},
            headers=admin.headers,
        ),
    ]
    for response in refused:
        _assert_quota_problem(response)
    assert await _count(admin_url, Chat, admin.tenant_id) == chats_before
    assert await _count(admin_url, ChatMessage, admin.tenant_id) == messages_before
    assert await _count(admin_url, WorkflowExecution, admin.tenant_id) == runs_before
    assert (await _quota(admin_url, admin.tenant_id)).current_day_sessions == 2

    # Continuing an existing chat is not a new session: it still works.
    follow_up, frames = await stream_turn(
        platform.client,
        admin.token,
        {"chat_id": first.headers["X-Chat-Id"], "message": "and again"},
    )
    assert follow_up.status_code == 200, follow_up.text
    assert frames[-1]["event"] == "done"


async def _agent_name(admin_url: str, agent_id: str) -> str:
    database = Database(admin_url, connections=2)
    try:
        async with database.system_session() as session:
            agent = await session.get(Agent, uuid.UUID(agent_id))
            assert agent is not None
            return agent.name
    finally:
        await database.dispose()


async def test_yesterdays_sessions_do_not_count_today(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    admin, agent_id = await _tenant_with_agent(
        platform,
        database_urls.admin_url,
        max_sessions_per_day=2,
        current_day_sessions=2,
        sessions_day=yesterday,
    )
    response = await platform.client.post(
        "/api/v1/chats", json={"agent_id": agent_id}, headers=admin.headers
    )
    assert response.status_code == 201, response.text
    quota = await _quota(database_urls.admin_url, admin.tenant_id)
    assert (quota.sessions_day, quota.current_day_sessions) == (datetime.now(UTC).date(), 1)


async def test_parallel_agent_creation_stops_exactly_at_the_agents_quota(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    admin = await create_tenant(platform, database_urls.admin_url)
    await _set_quota(database_urls.admin_url, admin.tenant_id, max_agents=3)

    responses = await asyncio.gather(
        *(
            platform.client.post(
                "/api/v1/developer/agents",
                json={"name": f"parallel-{i}"},
                headers=admin.headers,
            )
            for i in range(10)
        )
    )

    codes = sorted(r.status_code for r in responses)
    assert codes == [201] * 3 + [429] * 7, [r.text for r in responses]
    for response in responses:
        if response.status_code == 429:
            _assert_quota_problem(response)
    assert await _count(database_urls.admin_url, Agent, admin.tenant_id) == 3


async def _add_user(admin_url: str, tenant_id: uuid.UUID, role: str) -> str:
    email = f"{role}-{uuid.uuid4().hex[:8]}@quota-tests.example"
    database = Database(admin_url, connections=2)
    try:
        async with database.system_session() as session:
            session.add(
                User(
                    tenant_id=tenant_id,
                    email=email,
                    role=role,
                    password_hash=await hash_password(DEMO_PASSWORD, 4),
                )
            )
    finally:
        await database.dispose()
    return email


def _by_name(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {q["name"]: q for q in body["quotas"]}


async def test_usage_shows_what_the_tenant_really_used(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    admin_url = database_urls.admin_url
    admin, agent_id = await _tenant_with_agent(
        platform, admin_url, max_users=7, max_agents=4, max_sessions_per_day=9
    )
    member = await _add_user(admin_url, admin.tenant_id, "user")
    await _add_user(admin_url, admin.tenant_id, "developer")
    await create_agent(admin_url, admin.tenant_id, one_llm_node(platform.settings.default_model))
    for _ in range(2):
        opened = await platform.client.post(
            "/api/v1/chats", json={"agent_id": agent_id}, headers=admin.headers
        )
        assert opened.status_code == 201, opened.text
    now = datetime.now(UTC)
    await _set_quota(
        admin_url,
        admin.tenant_id,
        max_tokens_per_month=5000,
        current_month_tokens=1200,
        reserved_tokens=300,
        reset_date=month_start(now),
    )

    response = await platform.client.get("/api/v1/usage", headers=admin.headers)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["tenant_id"] == str(admin.tenant_id)
    quotas = _by_name(body)
    assert quotas["users"] | {"resets_at": None} == {
        "name": "users",
        "limit": 7,
        "used": 3,
        "reserved": 0,
        "remaining": 4,
        "resets_at": None,
    }
    assert (quotas["agents"]["limit"], quotas["agents"]["used"]) == (4, 2)
    assert quotas["agents"]["remaining"] == 2
    sessions = quotas["sessions_per_day"]
    assert (sessions["limit"], sessions["used"], sessions["remaining"]) == (9, 2, 7)
    assert datetime.fromisoformat(sessions["resets_at"]) == next_utc_midnight(now)
    tokens = quotas["tokens_per_month"]
    assert (tokens["limit"], tokens["used"], tokens["reserved"]) == (5000, 1200, 300)
    assert tokens["remaining"] == 3500
    first_of_next_month = month_start(now + timedelta(days=32 - now.day))
    assert datetime.fromisoformat(tokens["resets_at"]) == datetime.combine(
        first_of_next_month, datetime.min.time(), UTC
    )

    # The counters really are what the checks use: an agent more is counted at once.
    await create_agent(admin_url, admin.tenant_id, one_llm_node(platform.settings.default_model))
    again = _by_name((await platform.client.get("/api/v1/usage", headers=admin.headers)).json())
    assert again["agents"]["used"] == 3

    # Last month's tokens are not this month's.
    await _set_quota(admin_url, admin.tenant_id, reset_date=date(2000, 1, 1))
    old = _by_name((await platform.client.get("/api/v1/usage", headers=admin.headers)).json())
    assert old["tokens_per_month"]["used"] == 0

    # Members who are not admins may not see it.
    member_token = await login(platform.client, member)
    denied = await platform.client.get(
        "/api/v1/usage", headers={"Authorization": f"Bearer {member_token}"}
    )
    assert denied.status_code == 403
    assert (await platform.client.get("/api/v1/usage")).status_code == 401


async def test_each_tenant_sees_only_its_own_usage(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    first, agent_id = await _tenant_with_agent(
        platform, database_urls.admin_url, max_sessions_per_day=50
    )
    second = await create_tenant(platform, database_urls.admin_url)
    opened = await platform.client.post(
        "/api/v1/chats", json={"agent_id": agent_id}, headers=first.headers
    )
    assert opened.status_code == 201

    mine = _by_name((await platform.client.get("/api/v1/usage", headers=first.headers)).json())
    theirs_response = await platform.client.get("/api/v1/usage", headers=second.headers)
    theirs = _by_name(theirs_response.json())

    assert theirs_response.json()["tenant_id"] == str(second.tenant_id)
    assert mine["sessions_per_day"]["used"] == 1 and mine["agents"]["used"] == 1
    assert theirs["sessions_per_day"]["used"] == 0 and theirs["agents"]["used"] == 0
