"""Budgets routes: tenant admins see and set per-agent and per-user monthly token budgets
and the runs waiting for one; a change wakes the runs waiting on that budget."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from platform_api.api.deps import CurrentCaller, ServicesDep, TemporalDep, TenantSession
from platform_api.quotas.budgets import service as budgets
from platform_api.quotas.budgets.schemas import (
    BudgetChange,
    BudgetsReport,
    BudgetUpdate,
    BudgetWaitPublic,
    WaitScope,
)

router = APIRouter(prefix="/api/v1/budgets", tags=["tenancy"])
# Who may call it: platform_api/access/rules.py (tenant admins).


@router.get("", response_model=BudgetsReport)
async def get_budgets(caller: CurrentCaller, session: TenantSession) -> BudgetsReport:
    """The tenant's quota and each agent's and user's budget with this month's use."""
    return await budgets.report(session=session, tenant_id=caller.tenant_id)


@router.get("/waiting", response_model=list[BudgetWaitPublic])
async def get_waiting_runs(
    session: TenantSession, scope: WaitScope | None = None
) -> list[BudgetWaitPublic]:
    """Runs waiting for a budget (optionally of one scope), longest waiting first."""
    return await budgets.waiting_runs(session=session, scope=scope)


async def _set(
    services: ServicesDep,
    temporal: TemporalDep,
    caller: CurrentCaller,
    scope: str,
    subject_id: uuid.UUID,
    body: BudgetUpdate,
) -> BudgetChange:
    budget = await budgets.set_limit(
        database=services.database,
        tenant_id=caller.tenant_id,
        scope=scope,
        subject_id=subject_id,
        limit=body.max_tokens_per_month,
    )
    # Committed above: a woken run's next reservation sees the new limit.
    woken = await budgets.wake_waiting(
        database=services.database,
        client=temporal,
        tenant_id=caller.tenant_id,
        scope=scope,
        subject_id=subject_id,
    )
    return BudgetChange(budget=budget, woken_runs=woken)


@router.put("/agents/{agent_id}", response_model=BudgetChange)
async def put_agent_budget(
    agent_id: uuid.UUID,
    body: BudgetUpdate,
    caller: CurrentCaller,
    services: ServicesDep,
    temporal: TemporalDep,
) -> BudgetChange:
    """Set an agent's monthly limit (null: none of its own); runs waiting on it go on."""
    return await _set(services, temporal, caller, "agent", agent_id, body)


@router.put("/users/{user_id}", response_model=BudgetChange)
async def put_user_budget(
    user_id: uuid.UUID,
    body: BudgetUpdate,
    caller: CurrentCaller,
    services: ServicesDep,
    temporal: TemporalDep,
) -> BudgetChange:
    """Set a user's monthly limit (null: none of their own); runs waiting on it go on."""
    return await _set(services, temporal, caller, "user", user_id, body)


@router.put("/users/{user_id}/personal", response_model=BudgetChange)
async def put_personal_budget(
    user_id: uuid.UUID,
    body: BudgetUpdate,
    caller: CurrentCaller,
    services: ServicesDep,
    temporal: TemporalDep,
) -> BudgetChange:
    """Limit what a user's own model keys may spend a month (null: no limit)."""
    return await _set(services, temporal, caller, "user_personal", user_id, body)
