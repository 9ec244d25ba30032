"""The monthly token quota: concurrent runs cannot overshoot it (the rest wait for it), and
over quota means 429."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update

from activities.llm import prompt_tokens
from activities.token_quota import QuotaExhausted, TokenQuota, Usage
from agentpaas.runtime.postgres import DatabaseUrls
from node_types.llm import build_request
from platform_core.db import Database
from platform_core.models import (
    BudgetWait,
    TenantQuota,
    TenantTokenUsage,
    TokenReservation,
    WorkflowExecution,
)
from temporal_workflows.contracts import NodeActivityInput
from tests.helpers import Platform, stream_turn
from tests.llm_helpers import add_service, bind_agent, create_tenant, llm_agent
from tests.openai_server import PROMPT_TOKENS, openai_compatible_server

API_KEY = "sk-quota-" + uuid.uuid4().hex
MAX_TOKENS = 1000
RUNS = 50
ALLOWED_CALLS = 10
QUESTION = "how many calls fit"


def _reservation_per_call() -> int:
    """What the llm activity reserves for this agent's call: prompt estimate + max_tokens."""
    node = llm_agent(max_tokens=MAX_TOKENS)["nodes"][0]
    request = build_request(node["config"], {"messages": [{"role": "user", "content": QUESTION}]})
    return prompt_tokens("openai/gpt-4o-mini", request) + MAX_TOKENS


async def test_fifty_concurrent_runs_make_at_most_the_calls_the_quota_allows(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    reservation = _reservation_per_call()
    usage_per_call = PROMPT_TOKENS + MAX_TOKENS  # what the server reports
    # Ten reservations fit, an eleventh does not. Each call then uses a little less than
    # it reserved, but ten calls free less than one reservation, so no eleventh call fits.
    assert (
        reservation >= usage_per_call
        and ALLOWED_CALLS * (reservation - usage_per_call) < reservation
    )
    quota = ALLOWED_CALLS * reservation
    admin = await create_tenant(platform, database_urls.admin_url, max_tokens_per_month=quota)
    with openai_compatible_server(API_KEY) as server:
        config_id = await add_service(
            platform.client, admin, base_url=server.base_url, api_key=API_KEY, is_default=True
        )
        agent_id = await bind_agent(
            database_urls.admin_url, admin.tenant_id, llm_agent(max_tokens=MAX_TOKENS)
        )
        turns = [
            asyncio.create_task(
                stream_turn(
                    platform.client, admin.token, {"agent_id": agent_id, "message": QUESTION}
                )
            )
            for _ in range(RUNS)
        ]
        # The runs that do not fit wait for budget (they do not fail): once every run has
        # either finished or waits, cancel the waiting ones.
        waiting = await _settled_into_waits(platform, admin.tenant_id, turns)
        calls = server.calls
        for execution_id in waiting:
            cancelled = await platform.client.post(
                f"/api/v1/executions/{execution_id}/cancel", headers=admin.headers
            )
            assert cancelled.status_code == 202, cancelled.text
        results = await asyncio.gather(*turns)
    statuses = []
    announced = 0
    for response, frames in results:
        if response.status_code == 429:
            statuses.append("refused")
            continue
        assert response.status_code == 200, response.text
        done = frames[-1]["data"]
        statuses.append(done["status"])  # type: ignore[index]
        if done["status"] == "cancelled":  # type: ignore[index]
            # Cancelled while waiting for the tenant's quota (the test cancels only those).
            assert uuid.UUID(response.headers["X-Execution-Id"]) in waiting
            scopes = {f["data"]["scope"] for f in frames if f["event"] == "waiting_for_budget"}  # type: ignore[index]
            assert scopes <= {"tenant"}
            announced += bool(scopes)
    assert calls <= ALLOWED_CALLS
    assert calls == ALLOWED_CALLS  # all fifty got as far as reserving: exactly ten fit
    assert statuses.count("completed") == calls
    assert statuses.count("cancelled") == len(waiting)
    assert announced > 0  # their streams said why they waited
    assert statuses.count("cancelled") + statuses.count("refused") == RUNS - calls

    async with platform.db.tenant_session(admin.tenant_id) as session:
        row = await session.get(TenantQuota, admin.tenant_id)
        reservations = (
            (
                await session.execute(
                    select(TokenReservation.status).where(  # type: ignore[call-overload]
                        TokenReservation.tenant_id == admin.tenant_id
                    )
                )
            )
            .scalars()
            .all()
        )
    assert row is not None
    assert row.current_month_tokens == calls * usage_per_call <= quota
    assert row.reserved_tokens == 0
    assert reservations.count("settled") == calls and "reserved" not in reservations
    assert config_id > 0


async def test_a_tenant_over_quota_gets_429_and_no_provider_call(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    admin = await create_tenant(platform, database_urls.admin_url, max_tokens_per_month=5_000)
    with openai_compatible_server(API_KEY) as server:
        await add_service(
            platform.client, admin, base_url=server.base_url, api_key=API_KEY, is_default=True
        )
        agent_id = await bind_agent(
            database_urls.admin_url, admin.tenant_id, llm_agent(max_tokens=100)
        )
        first, frames = await stream_turn(
            platform.client, admin.token, {"agent_id": agent_id, "message": "one"}
        )
        assert frames[-1]["data"]["status"] == "completed"  # type: ignore[index]
        # The month's tokens are now used up (as if by many earlier calls).
        database = Database(database_urls.admin_url, connections=2)
        try:
            async with database.system_session() as session:
                await session.execute(
                    update(TenantQuota)
                    .where(TenantQuota.tenant_id == admin.tenant_id)  # type: ignore[arg-type]
                    .values(current_month_tokens=5_000)
                )
        finally:
            await database.dispose()
        calls = server.calls
        refused = await platform.client.post(
            "/api/v1/chat/completions",
            json={"chat_id": first.headers["X-Chat-Id"], "message": "two"},
            headers=admin.headers,
        )
        assert refused.status_code == 429, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["type"].endswith("/quota-exceeded")
        assert 0 < int(refused.headers["Retry-After"]) <= 31 * 24 * 3600
        assert server.calls == calls
        # The refused turn left no run in progress: once quota is back, the chat goes on.
        async with platform.db.tenant_session(admin.tenant_id) as session:
            statuses = (
                (
                    await session.execute(
                        select(WorkflowExecution.status).where(  # type: ignore[call-overload]
                            WorkflowExecution.tenant_id == admin.tenant_id
                        )
                    )
                )
                .scalars()
                .all()
            )
        assert sorted(statuses) == ["completed", "failed"]


async def _settled_into_waits(
    platform: Platform, tenant_id: uuid.UUID, turns: list[asyncio.Task[Any]]
) -> list[uuid.UUID]:
    """Poll until every turn has finished or waits for budget; the waiting runs' ids.

    Generous: the ten calls that fit each stream 1,000 tokens through one process (API,
    worker, provider and clients); on a busy machine that alone has taken over a minute.
    """
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        async with platform.db.tenant_session(tenant_id) as session:
            waiting = list(
                (await session.execute(select(BudgetWait.execution_id))).scalars()  # type: ignore[call-overload]
            )
        if len(waiting) + sum(t.done() for t in turns) == len(turns):
            return waiting
        await asyncio.sleep(0.1)
    raise AssertionError("the runs neither finished nor waited")


def _task(tenant_id: uuid.UUID, execution_id: uuid.UUID) -> NodeActivityInput:
    return NodeActivityInput(
        tenant_id=str(tenant_id),
        execution_id=str(execution_id),
        workflow_id=f"exec-{execution_id}",
        node_name="answer",
        node_type="llm",
        config={},
        node_input={},
        step=1,
        task_id="answer:1",
    )


async def test_reservations_settle_once_and_retries_release_abandoned_holds(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    admin = await create_tenant(platform, database_urls.admin_url, max_tokens_per_month=1_000)
    quota = TokenQuota(platform.db)
    task = _task(admin.tenant_id, uuid.uuid4())

    async def state() -> tuple[int, int]:
        async with platform.db.tenant_session(admin.tenant_id) as session:
            row = await session.get(TenantQuota, admin.tenant_id)
            assert row is not None
            await session.refresh(row)
            return row.current_month_tokens, row.reserved_tokens

    first = await quota.reserve(task, attempt=1, model="m", tokens=600)
    assert await state() == (0, 600)
    # Attempt 1's worker died without settling; attempt 2 takes its place, not its sum.
    second = await quota.reserve(task, attempt=2, model="m", tokens=600)
    assert await state() == (0, 600)
    try:
        await quota.reserve(_task(admin.tenant_id, uuid.uuid4()), attempt=1, model="m", tokens=500)
    except QuotaExhausted as exc:
        assert "600 reserved of 1000" in str(exc)
    else:
        raise AssertionError("600 reserved + 500 must not fit a quota of 1000")
    await quota.settle(first, Usage(1, 1, Decimal(0)))  # released already: no charge
    assert await state() == (0, 600)
    usage = Usage(prompt_tokens=100, completion_tokens=50, cost=Decimal("0.25"))
    await quota.settle(second, usage)
    await quota.settle(second, usage)  # a retried settle charges nothing more
    assert await state() == (150, 0)
    month = datetime.now(UTC).date().replace(day=1)
    async with platform.db.tenant_session(admin.tenant_id) as session:
        monthly = await session.get(TenantTokenUsage, (admin.tenant_id, month))
    assert monthly is not None
    assert (monthly.calls, monthly.prompt_tokens, monthly.completion_tokens) == (1, 100, 50)
    assert monthly.total_tokens == 150 and monthly.cost == Decimal("0.25")

    # A new month starts the count again from the next call.
    database = Database(database_urls.admin_url, connections=2)
    try:
        async with database.system_session() as session:
            await session.execute(
                update(TenantQuota)
                .where(TenantQuota.tenant_id == admin.tenant_id)  # type: ignore[arg-type]
                .values(current_month_tokens=1_000, reset_date=month.replace(year=month.year - 1))
            )
    finally:
        await database.dispose()
    third = await quota.reserve(
        _task(admin.tenant_id, uuid.uuid4()), attempt=1, model="m", tokens=900
    )
    await quota.release(third)
    assert await state() == (1_000, 0)  # released: nothing charged, old month not yet reset
    fourth = await quota.reserve(
        _task(admin.tenant_id, uuid.uuid4()), attempt=1, model="m", tokens=900
    )
    await quota.settle(fourth, Usage(10, 10, Decimal(0)))
    assert await state() == (20, 0)
