"""Budgets per agent and per user under the tenant's quota, and calls paid by a user's own
key: reserved, refused, settled and released on the real database."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select, update
from sqlmodel import col

from activities.token_quota import BudgetExhausted, TokenQuota, Usage, period_end
from agentpaas.runtime.postgres import DatabaseUrls
from platform_core.db import Database
from platform_core.models import (
    AgentVersion,
    TenantQuota,
    TokenBudget,
    User,
    WorkflowExecution,
)
from temporal_workflows.contracts import NodeActivityInput
from tests.helpers import Platform, create_agent, one_llm_node
from tests.llm_helpers import create_tenant


async def _run(
    admin_url: str, tenant_id: uuid.UUID
) -> tuple[NodeActivityInput, uuid.UUID, uuid.UUID]:
    """A recorded run of a new agent by the tenant's admin: (its node task, agent, user)."""
    agent_id = uuid.UUID(await create_agent(admin_url, tenant_id, one_llm_node("scripted/echo")))
    database = Database(admin_url, connections=2)
    try:
        async with database.system_session() as session:
            user = (
                (await session.execute(select(User).where(col(User.tenant_id) == tenant_id)))
                .scalars()
                .first()
            )
            version = (
                await session.execute(
                    select(AgentVersion).where(col(AgentVersion.agent_id) == agent_id)
                )
            ).scalar_one()
            assert user is not None
            execution_id = uuid.uuid4()
            session.add(
                WorkflowExecution(
                    execution_id=execution_id,
                    tenant_id=tenant_id,
                    agent_id=agent_id,
                    agent_version_id=version.id,
                    user_id=user.id,
                    workflow_id=f"exec-{execution_id}",
                    thread_id=f"exec-{execution_id}",
                )
            )
            user_id = user.id
    finally:
        await database.dispose()
    task = NodeActivityInput(
        tenant_id=str(tenant_id),
        execution_id=str(execution_id),
        workflow_id=f"exec-{execution_id}",
        node_name="answer",
        node_type="llm",
        config={},
        node_input={},
        step=0,
        task_id="answer:0",
    )
    return task, agent_id, user_id


async def _budget(
    platform: Platform, tenant_id: uuid.UUID, scope: str, subject: uuid.UUID
) -> TokenBudget:
    async with platform.db.tenant_session(tenant_id) as session:
        row = (
            await session.execute(
                select(TokenBudget).where(
                    col(TokenBudget.scope) == scope, col(TokenBudget.subject_id) == subject
                )
            )
        ).scalar_one()
        return row


async def _set_limit(
    platform: Platform, tenant_id: uuid.UUID, scope: str, subject: uuid.UUID, limit: int | None
) -> None:
    async with platform.db.tenant_session(tenant_id) as session:
        await session.execute(
            update(TokenBudget)
            .where(col(TokenBudget.scope) == scope, col(TokenBudget.subject_id) == subject)
            .values(max_tokens_per_month=limit)
        )


async def test_agent_and_user_budgets_hold_settle_and_refuse(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    admin = await create_tenant(platform, database_urls.admin_url, max_tokens_per_month=10_000)
    quota = TokenQuota(platform.db)
    task, agent_id, user_id = await _run(database_urls.admin_url, admin.tenant_id)

    first = await quota.reserve(task, attempt=1, model="m", tokens=300)
    # The first call made both counters (no limit of their own) and holds on each.
    agent = await _budget(platform, admin.tenant_id, "agent", agent_id)
    user = await _budget(platform, admin.tenant_id, "user", user_id)
    assert (agent.max_tokens_per_month, agent.reserved_tokens) == (None, 300)
    assert (user.max_tokens_per_month, user.reserved_tokens) == (None, 300)
    await quota.settle(first, Usage(100, 50, Decimal(0)))
    agent = await _budget(platform, admin.tenant_id, "agent", agent_id)
    assert (agent.used_tokens, agent.reserved_tokens) == (150, 0)
    assert agent.month == datetime.now(UTC).date().replace(day=1)

    # An agent limit of 400: 150 used, so 300 more does not fit; nothing is held anywhere.
    await _set_limit(platform, admin.tenant_id, "agent", agent_id, 400)
    second_task = NodeActivityInput(**{**task.__dict__, "task_id": "answer:1"})
    with pytest.raises(BudgetExhausted) as refused:
        await quota.reserve(second_task, attempt=1, model="m", tokens=300)
    assert refused.value.scope == "agent" and refused.value.subject_id == agent_id
    assert refused.value.limit == 400
    assert refused.value.period_end == period_end(datetime.now(UTC))
    assert (await _budget(platform, admin.tenant_id, "user", user_id)).reserved_tokens == 0
    async with platform.db.tenant_session(admin.tenant_id) as session:
        tenant_row = await session.get(TenantQuota, admin.tenant_id)
        assert tenant_row is not None and tenant_row.reserved_tokens == 0

    # 250 fits exactly; a user limit then refuses the next call as the user's.
    exact = await quota.reserve(second_task, attempt=1, model="m", tokens=250)
    await quota.release(exact)  # a failed call: nothing charged, all given back
    assert (await _budget(platform, admin.tenant_id, "agent", agent_id)).reserved_tokens == 0
    await _set_limit(platform, admin.tenant_id, "agent", agent_id, None)
    await _set_limit(platform, admin.tenant_id, "user", user_id, 200)
    with pytest.raises(BudgetExhausted) as by_user:
        await quota.reserve(second_task, attempt=2, model="m", tokens=60)
    assert by_user.value.scope == "user" and by_user.value.subject_id == user_id

    # A new month starts the counters again.
    async with platform.db.tenant_session(admin.tenant_id) as session:
        await session.execute(
            update(TokenBudget)
            .where(col(TokenBudget.tenant_id) == admin.tenant_id)
            .values(month=datetime(2000, 1, 1).date())
        )
    again = await quota.reserve(second_task, attempt=3, model="m", tokens=200)
    await quota.settle(again, Usage(10, 10, Decimal(0)))
    assert (await _budget(platform, admin.tenant_id, "user", user_id)).used_tokens == 20


async def test_a_tenant_quota_refusal_names_the_tenant(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    admin = await create_tenant(platform, database_urls.admin_url, max_tokens_per_month=100)
    task, _, _ = await _run(database_urls.admin_url, admin.tenant_id)
    with pytest.raises(BudgetExhausted) as refused:
        await TokenQuota(platform.db).reserve(task, attempt=1, model="m", tokens=101)
    assert refused.value.scope == "tenant" and refused.value.subject_id == admin.tenant_id
    assert "token quota is exhausted" in str(refused.value)


async def test_a_call_paid_by_a_personal_key_charges_only_its_owner(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    # The tenant's quota is used up: calls on the tenant's keys are refused, calls paid by
    # the user's own key still go, and count to the user's own counter only.
    admin = await create_tenant(platform, database_urls.admin_url, max_tokens_per_month=100)
    quota = TokenQuota(platform.db)
    task, agent_id, user_id = await _run(database_urls.admin_url, admin.tenant_id)
    with pytest.raises(BudgetExhausted):
        await quota.reserve(task, attempt=1, model="m", tokens=500)
    held = await quota.reserve(task, attempt=1, model="m", tokens=500, personal_key_owner=user_id)
    personal = await _budget(platform, admin.tenant_id, "user_personal", user_id)
    assert (personal.max_tokens_per_month, personal.reserved_tokens) == (None, 500)
    await quota.settle(held, Usage(200, 100, Decimal(0)))
    personal = await _budget(platform, admin.tenant_id, "user_personal", user_id)
    assert (personal.used_tokens, personal.reserved_tokens) == (300, 0)
    async with platform.db.tenant_session(admin.tenant_id) as session:
        tenant_row = await session.get(TenantQuota, admin.tenant_id)
        assert tenant_row is not None
        await session.refresh(tenant_row)
        assert (tenant_row.current_month_tokens, tenant_row.reserved_tokens) == (0, 0)
        agent_rows = (
            (
                await session.execute(
                    select(TokenBudget).where(col(TokenBudget.scope).in_(("agent", "user")))
                )
            )
            .scalars()
            .all()
        )
    # Neither the agent's budget nor the user's tenant-paid budget saw the call.
    assert all(r.used_tokens == 0 and r.reserved_tokens == 0 for r in agent_rows)
    # A limit on the personal counter applies to the user's own key.
    await _set_limit(platform, admin.tenant_id, "user_personal", user_id, 350)
    with pytest.raises(BudgetExhausted) as refused:
        await quota.reserve(task, attempt=2, model="m", tokens=100, personal_key_owner=user_id)
    assert refused.value.scope == "user_personal"
    assert agent_id is not None
