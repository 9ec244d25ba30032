"""Budgets per agent and per user under the tenant's quota: the report, setting a limit,
the runs waiting for a budget, and waking them when a budget is raised.

The llm activity does the accounting (``activities.token_quota``); this module only reads
its counters and sets limits. A run waits with a row in ``budget_waits``; raising a
budget signals every run waiting on that budget *after* the raise has committed, and the
activity asks once more after writing its row, so no raise can slip between the two.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import UTC, datetime
from typing import Any, Protocol, Self, TypeVar

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession
from temporalio.client import Client
from temporalio.service import RPCError

from platform_api.api.state import AppServices
from platform_api.errors import NotFound, ValidationFailed
from platform_api.providers.usage import month_start
from platform_api.quotas.budgets.schemas import (
    BudgetPublic,
    BudgetsReport,
    BudgetWaitBrief,
    BudgetWaitPublic,
    TenantBudget,
)
from platform_core.db import Database
from platform_core.models import (
    Agent,
    BudgetWait,
    TenantQuota,
    TokenBudget,
    User,
    WorkflowExecution,
)
from temporal_workflows import contracts as c

logger = logging.getLogger(__name__)
R = TypeVar("R", bound="_Run")


class _Run(Protocol):
    """A run as the API answers it (``ExecutionPublic`` and its kin)."""

    execution_id: uuid.UUID
    status: str

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False) -> Self: ...


# A run in one of these states can still be waiting (a finished run's row is history).
ACTIVE_RUN = ("pending", "running", "paused", "interrupted")
# The report lists at most this many agents and users (plans allow far fewer).
MAX_SUBJECTS = 1000


def period_end(now: datetime) -> datetime:
    """When the month of ``now`` ends (UTC): the counters start again then."""
    first = month_start(now)
    return datetime(first.year + first.month // 12, first.month % 12 + 1, 1, tzinfo=UTC)


def _remaining(limit: int | None, used: int, reserved: int) -> int | None:
    return None if limit is None else max(0, limit - used - reserved)


def _waiting_runs() -> Any:
    """Budget waits of runs still going."""
    return (
        select(BudgetWait, WorkflowExecution)
        .join(
            WorkflowExecution,
            col(WorkflowExecution.execution_id) == col(BudgetWait.execution_id),
        )
        .where(col(WorkflowExecution.status).in_(ACTIVE_RUN))
    )


async def _wait_counts(session: AsyncSession) -> dict[tuple[str, uuid.UUID], int]:
    rows = await session.execute(
        select(
            col(BudgetWait.scope),
            col(BudgetWait.subject_id),
            func.count(func.distinct(col(BudgetWait.execution_id))),
        )
        .join(
            WorkflowExecution,
            col(WorkflowExecution.execution_id) == col(BudgetWait.execution_id),
        )
        .where(col(WorkflowExecution.status).in_(ACTIVE_RUN))
        .group_by(col(BudgetWait.scope), col(BudgetWait.subject_id))
    )
    return {(scope, subject): int(n) for scope, subject, n in rows.all()}


async def _names(session: AsyncSession) -> dict[tuple[str, uuid.UUID], str]:
    """Every agent not archived and every active user, by (scope, id)."""
    names: dict[tuple[str, uuid.UUID], str] = {}
    agents = await session.execute(
        select(col(Agent.id), col(Agent.name))
        .where(col(Agent.status) != "archived")
        .order_by(col(Agent.name))
        .limit(MAX_SUBJECTS)
    )
    for agent_id, name in agents.all():
        names[("agent", agent_id)] = name
    users = await session.execute(
        select(col(User.id), col(User.email))
        .where(col(User.status) == "active")
        .order_by(col(User.email))
        .limit(MAX_SUBJECTS)
    )
    for user_id, email in users.all():
        names[("user", user_id)] = email
    return names


def _public(
    scope: str,
    subject_id: uuid.UUID,
    name: str,
    row: TokenBudget | None,
    now: datetime,
    waiting: int,
) -> BudgetPublic:
    limit = row.max_tokens_per_month if row else None
    used = row.used_tokens if row and row.month == month_start(now) else 0
    reserved = row.reserved_tokens if row else 0
    return BudgetPublic(
        scope=scope,
        subject_id=subject_id,
        subject_name=name,
        limit=limit,
        used=used,
        reserved=reserved,
        remaining=_remaining(limit, used, reserved),
        waiting_runs=waiting,
    )


async def report(
    *, session: AsyncSession, tenant_id: uuid.UUID, now: datetime | None = None
) -> BudgetsReport:
    """The tenant's quota and every agent's and user's budget with this month's use."""
    now = now or datetime.now(UTC)
    quota = await session.get(TenantQuota, tenant_id)
    waits = await _wait_counts(session)
    names = await _names(session)
    rows = {
        (b.scope, b.subject_id): b
        for b in (await session.execute(select(TokenBudget))).scalars().all()
    }
    budgets = [
        _public(
            scope, subject, name, rows.get((scope, subject)), now, waits.get((scope, subject), 0)
        )
        for (scope, subject), name in names.items()
    ]
    # A user's own-key spending is listed for users who spent or were given a limit.
    for (scope, subject), row in rows.items():
        if scope == "user_personal":
            name = names.get(("user", subject), "")
            budgets.append(_public(scope, subject, name, row, now, waits.get((scope, subject), 0)))
    used = reserved = 0
    limit = None
    if quota is not None:
        limit = quota.max_tokens_per_month
        used = quota.current_month_tokens if quota.reset_date == month_start(now) else 0
        reserved = quota.reserved_tokens
    tenant_waits = sum(n for (scope, _), n in waits.items() if scope == "tenant")
    return BudgetsReport(
        as_of=now,
        period_end=period_end(now),
        tenant=TenantBudget(
            limit=limit,
            used=used,
            reserved=reserved,
            remaining=_remaining(limit, used, reserved),
            waiting_runs=tenant_waits,
        ),
        budgets=budgets,
    )


async def _subject_name(session: AsyncSession, scope: str, subject_id: uuid.UUID) -> str:
    if scope == "agent":
        agent = await session.get(Agent, subject_id)
        if agent is None:
            raise NotFound("agent not found")
        return agent.name
    user = await session.get(User, subject_id)
    if user is None:
        raise NotFound("user not found")
    return user.email


async def set_limit(
    *,
    database: Database,
    tenant_id: uuid.UUID,
    scope: str,
    subject_id: uuid.UUID,
    limit: int | None,
    now: datetime | None = None,
) -> BudgetPublic:
    """Set (or, with None, remove) a subject's monthly limit; committed on return.

    A limit above the tenant's own quota is refused (422): it could never be reached.
    """
    now = now or datetime.now(UTC)
    async with database.tenant_session(tenant_id) as session:
        name = await _subject_name(session, scope, subject_id)
        quota = await session.get(TenantQuota, tenant_id)
        # A user's own keys do not draw on the tenant's quota: no ceiling for them.
        ceiling = quota.max_tokens_per_month if quota and scope != "user_personal" else None
        if limit is not None and ceiling is not None and limit > ceiling:
            raise ValidationFailed(
                f"a budget of {limit} tokens exceeds the tenant's monthly quota of {ceiling}",
                errors=[
                    {
                        "path": "max_tokens_per_month",
                        "message": f"at most the tenant's quota ({ceiling})",
                    }
                ],
            )
        await session.execute(
            insert(TokenBudget)
            .values(
                id=uuid.uuid4(),
                tenant_id=tenant_id,
                scope=scope,
                subject_id=subject_id,
                max_tokens_per_month=limit,
                month=month_start(now),
                updated_at=now,
            )
            .on_conflict_do_update(
                constraint="uq_token_budgets_subject",
                set_={"max_tokens_per_month": limit, "updated_at": now},
            )
        )
        row = (
            await session.execute(
                select(TokenBudget).where(
                    col(TokenBudget.scope) == scope, col(TokenBudget.subject_id) == subject_id
                )
            )
        ).scalar_one()
        waits = await _wait_counts(session)
        return _public(scope, subject_id, name, row, now, waits.get((scope, subject_id), 0))


async def waiting_runs(
    *, session: AsyncSession, scope: str | None = None, limit: int = 500
) -> list[BudgetWaitPublic]:
    """The tenant's runs waiting for a budget (of ``scope``), longest waiting first."""
    statement = _waiting_runs()
    if scope is not None:
        statement = statement.where(col(BudgetWait.scope) == scope)
    statement = statement.order_by(col(BudgetWait.since)).limit(limit)
    rows = (await session.execute(statement)).all()
    agent_ids = {run.agent_id for _, run in rows}
    user_ids = {run.user_id for _, run in rows if run.user_id}
    agents = (
        dict(
            (
                await session.execute(
                    select(col(Agent.id), col(Agent.name)).where(col(Agent.id).in_(agent_ids))
                )
            ).all()
        )
        if agent_ids
        else {}
    )
    users = (
        dict(
            (
                await session.execute(
                    select(col(User.id), col(User.email)).where(col(User.id).in_(user_ids))
                )
            ).all()
        )
        if user_ids
        else {}
    )
    return [
        BudgetWaitPublic(
            execution_id=wait.execution_id,
            chat_id=run.chat_id,
            agent_id=run.agent_id,
            agent_name=agents.get(run.agent_id, ""),
            user_id=run.user_id,
            user_email=users.get(run.user_id) if run.user_id else None,
            node_name=wait.node_name,
            scope=wait.scope,
            subject_id=wait.subject_id,
            since=wait.since,
            period_end=wait.period_end,
        )
        for wait, run in rows
    ]


async def with_budget_waits(session: AsyncSession, runs: list[R]) -> list[R]:
    """``runs`` with ``waiting_for_budget`` set on those (still going) that wait for one."""
    going = [r.execution_id for r in runs if r.status in ACTIVE_RUN]
    if not going:
        return runs
    rows = await session.execute(select(BudgetWait).where(col(BudgetWait.execution_id).in_(going)))
    waits = {
        w.execution_id: BudgetWaitBrief.model_validate(w, from_attributes=True)
        for w in rows.scalars().all()
    }
    return [
        r.model_copy(update={"waiting_for_budget": waits[r.execution_id]})
        if r.execution_id in waits
        else r
        for r in runs
    ]


async def wake_waiting(
    *,
    database: Database,
    client: Client,
    tenant_id: uuid.UUID,
    scope: str,
    subject_id: uuid.UUID | None = None,
) -> int:
    """Signal ``budget_changed`` to every run waiting on this budget (call after the change
    committed). Returns how many runs were told."""
    async with database.tenant_session(tenant_id) as session:
        statement = (
            select(col(WorkflowExecution.workflow_id))
            .join(BudgetWait, col(BudgetWait.execution_id) == col(WorkflowExecution.execution_id))
            .where(col(BudgetWait.scope) == scope, col(WorkflowExecution.status).in_(ACTIVE_RUN))
            .distinct()
        )
        if subject_id is not None:
            statement = statement.where(col(BudgetWait.subject_id) == subject_id)
        workflow_ids = list((await session.execute(statement)).scalars())

    async def tell(workflow_id: str) -> bool:
        try:
            await client.get_workflow_handle(workflow_id).signal(c.BUDGET_CHANGED_SIGNAL)
        except RPCError as exc:  # it ended meanwhile (or Temporal is away: its timer wakes it)
            logger.info("budget_changed not delivered to %s: %s", workflow_id, exc)
            return False
        return True

    told = await asyncio.gather(*(tell(w) for w in workflow_ids))
    return sum(told)


async def wake_after_quota_change(*, services: AppServices, tenant_id: uuid.UUID) -> int:
    """After the tenant's quota changed (committed): wake the runs waiting for it. Never
    fails the change: with Temporal away, the runs' timers wake them at the period's end."""
    try:
        client = await services.temporal()
        return await wake_waiting(
            database=services.database, client=client, tenant_id=tenant_id, scope="tenant"
        )
    except Exception as exc:  # the change stands whatever happens here
        logger.warning("runs waiting for the quota of %s not woken: %s", tenant_id, exc)
        return 0
