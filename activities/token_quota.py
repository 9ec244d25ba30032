"""The monthly token quota and budgets: reserve before a model call, settle after, atomically.

A call counts against the tenant's quota and, under it, the budgets of the run's agent and
user (``token_budgets``; a subject without a limit of its own is only counted). A call
paid by a user's own model key counts to that user's ``user_personal`` counter instead
and to neither the tenant's quota nor the agent's budget.

A reservation is granted by conditional writes, one per counter, all in one statement
(``activities/quota_counters.py``): each budget row (``INSERT ... ON CONFLICT DO UPDATE ...
WHERE``, in a fixed order) and the tenant's quota row (``UPDATE ... WHERE``), each granted
only while settled usage + holds in flight + this hold fit the limit (PostgreSQL re-checks
the condition against the latest row). A refusal rolls back the whole transaction, so
nothing is held anywhere. That statement is the transaction's last, so concurrent calls
hold the hot rows only for it and the commit. A call
can exceed a limit only by what it uses beyond its own reservation: the prompt estimate
(litellm's count of the messages sent; the completion is capped by ``max_tokens``, which
is reserved whole). When the real prompt is no larger than its estimate, as with the
scripted model, nothing can go past a limit. Reservations are rows keyed by run, node task
and attempt, and remember whose budgets they hold: settling twice changes nothing, and a
retry releases what a crashed attempt left.
"""

from __future__ import annotations

import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from activities import quota_counters
from platform_core.db import Database
from platform_core.models import (
    TenantQuota,
    TokenBudget,
    TokenReservation,
    WorkflowExecution,
)
from temporal_workflows.contracts import NodeActivityInput

# A reservation this old belongs to a call that can no longer be running.
STALE_AFTER = timedelta(hours=6)
# How often a worker looks for such holds (not on every call: it scans the tenant's holds).
SWEEP_EVERY = timedelta(minutes=1)
TENANT = "tenant"
# A counter a hold is taken on: (scope, subject id); the tenant's quota is (TENANT, tenant).
Counter = tuple[str, uuid.UUID]


class QuotaExhausted(Exception):
    """The call would take the tenant past its monthly token quota."""


class BudgetExhausted(QuotaExhausted):
    """The call would take a budget (the tenant's quota, an agent's, a user's) past its
    limit for this month: the run waits for a raise or for ``period_end``."""

    def __init__(
        self,
        message: str,
        *,
        scope: str,
        subject_id: uuid.UUID,
        limit: int | None,
        period_end: datetime,
    ) -> None:
        super().__init__(message)
        self.scope = scope
        self.subject_id = subject_id
        self.limit = limit
        self.period_end = period_end

    def details(self) -> dict[str, Any]:
        """What the workflow and clients need to know (JSON-safe)."""
        return {
            "scope": self.scope,
            "subject_id": str(self.subject_id),
            "limit": self.limit,
            "period_end": self.period_end.isoformat(),
        }


@dataclass(frozen=True)
class Reservation:
    """Tokens held for one call attempt."""

    id: uuid.UUID
    tenant_id: str
    tokens: int
    # The counters it holds (budgets, and the tenant's quota unless a user's key pays):
    # runs waiting on one of them may go on once it gives back what it did not use.
    counters: tuple[Counter, ...] = ()


@dataclass(frozen=True)
class Usage:
    """What a call used."""

    prompt_tokens: int
    completion_tokens: int
    cost: Decimal

    @property
    def total_tokens(self) -> int:
        """Prompt plus completion tokens."""
        return self.prompt_tokens + self.completion_tokens


def month_start(moment: datetime) -> date:
    """The first day of ``moment``'s month in UTC: the period the quota counts."""
    return moment.astimezone(UTC).date().replace(day=1)


def period_end(moment: datetime) -> datetime:
    """When ``moment``'s month ends (the next month's first instant, UTC)."""
    first = month_start(moment)
    return datetime(first.year + first.month // 12, first.month % 12 + 1, 1, tzinfo=UTC)


def held_counters(
    agent_id: uuid.UUID | None, user_id: uuid.UUID | None, *, paid_by_user: bool
) -> list[Counter]:
    """The budget counters a call of this agent and user holds (the tenant's aside)."""
    if paid_by_user:
        return [("user_personal", user_id)] if user_id else []
    counters: list[Counter] = []
    if agent_id:
        counters.append(("agent", agent_id))
    if user_id:
        counters.append(("user", user_id))
    return counters


# A held reservation closed (settled or released), once: built once, bound per call, and
# not synchronised with the session (nothing in it holds the row).
_CLOSE_RESERVATION = (
    update(TokenReservation)
    .where(
        col(TokenReservation.id) == bindparam("reservation"),
        col(TokenReservation.status) == "reserved",
    )
    .values(status=bindparam("status"), used_tokens=bindparam("used"), settled_at=bindparam("now"))
    .returning(
        col(TokenReservation.reserved_tokens),
        col(TokenReservation.agent_id),
        col(TokenReservation.user_id),
        col(TokenReservation.paid_by_user),
    )
    .execution_options(synchronize_session=False)
)


class TokenQuota:
    """Reservations against ``tenant_quotas`` and ``token_budgets``; built once by the worker."""

    def __init__(self, database: Database) -> None:
        self._db = database
        self._next_sweep = 0.0

    async def reserve(
        self,
        data: NodeActivityInput,
        *,
        attempt: int,
        model: str,
        tokens: int,
        personal_key_owner: uuid.UUID | None = None,
        session: AsyncSession | None = None,
    ) -> Reservation:
        """Hold ``tokens`` for this attempt, or raise BudgetExhausted (nothing is held).

        With ``personal_key_owner`` the call is paid by that user's own key: only their
        ``user_personal`` counter is held (limited only if a limit is set on it).

        In ``session``'s transaction when given (its caller's reads before the call): the
        hold is its last write, and a refusal must roll that transaction back.
        """
        now = datetime.now(UTC)
        tenant = uuid.UUID(data.tenant_id)
        paid = personal_key_owner is not None
        async with self._db.session_or_new(tenant, session) as session:
            freed = await self._release_abandoned(session, data, attempt, now)
            reservation_id = uuid.uuid4()
            agent_id, user_id = await _subjects(session, data, personal_key_owner)
            held = held_counters(agent_id, user_id, paid_by_user=paid)
            tenant_freed = freed.pop((TENANT, tenant), 0)
            for counter in sorted(set(freed) - set(held)):
                # Freed by an earlier attempt that held other budgets (its run's payer
                # changed): given back on their own; never seen in practice.
                await _give_back(session, tenant, counter, freed[counter])
            # The reservation's row and the hot rows in one statement, last: the hot rows
            # are locked for it and the COMMIT only. The node no longer waits for a budget
            # (undone with the rest if refused).
            granted = await quota_counters.reserve_and_hold(
                session,
                tenant,
                quota_counters.ReservationRow(
                    id=reservation_id,
                    execution_id=uuid.UUID(data.execution_id),
                    task_id=data.task_id,
                    attempt=attempt,
                    model=model[:255],
                    tokens=tokens,
                    agent_id=agent_id,
                    user_id=user_id,
                    paid_by_user=paid,
                ),
                [(counter, tokens - freed.get(counter, 0)) for counter in held],
                tenant_delta=-tenant_freed if paid else tokens - tenant_freed,
                touch_tenant=not paid or tenant_freed != 0,
                check_tenant=not paid,
                month=month_start(now),
                now=now,
            )
            for counter in sorted(held):
                if counter not in granted.budgets:
                    await _refuse_budget(
                        session, tenant, counter, tokens, freed.get(counter, 0), now
                    )
            if not paid and not granted.tenant_row_written:
                await _refuse_tenant(session, tenant, tokens, tenant_freed, now)
        counters = (*held, *(() if paid else ((TENANT, tenant),)))
        return Reservation(reservation_id, data.tenant_id, tokens, counters)

    async def settle(
        self, reservation: Reservation, usage: Usage, *, session: AsyncSession | None = None
    ) -> None:
        """Charge what the call used and give back its reservation (once); in ``session``'s
        transaction when given (with the node's record), else in one of its own."""
        if session is not None:
            await self._close_in(session, reservation, usage, status="settled")
            return
        await self._close(reservation, usage, status="settled")

    async def release(self, reservation: Reservation) -> None:
        """Give back the reservation of a call that failed (nothing is charged)."""
        await self._close(reservation, None, status="released")

    async def _close(self, reservation: Reservation, usage: Usage | None, *, status: str) -> None:
        async with self._db.tenant_session(uuid.UUID(reservation.tenant_id)) as session:
            await self._close_in(session, reservation, usage, status=status)

    async def _close_in(
        self,
        session: AsyncSession,
        reservation: Reservation,
        usage: Usage | None,
        *,
        status: str,
    ) -> None:
        now = datetime.now(UTC)
        tenant = uuid.UUID(reservation.tenant_id)
        held = (
            await session.execute(
                _CLOSE_RESERVATION,
                {
                    "reservation": reservation.id,
                    "status": status,
                    "used": usage.total_tokens if usage else 0,
                    "now": now,
                },
            )
        ).first()
        if held is None:
            return  # already settled or released: charging again would double count
        released, agent_id, user_id, paid = int(held[0]), held[1], held[2], bool(held[3])
        # The hot rows last, in one statement (a user's own key paid: not the tenant's).
        await quota_counters.charge(
            session,
            tenant,
            held_counters(agent_id, user_id, paid_by_user=paid),
            released=released,
            used=(usage.prompt_tokens, usage.completion_tokens, usage.cost) if usage else None,
            touch_tenant=not paid,
            month=month_start(now),
            now=now,
        )

    async def _release_abandoned(
        self, session: AsyncSession, data: NodeActivityInput, attempt: int, now: datetime
    ) -> dict[Counter, int]:
        # Earlier attempts of this task that never settled (their worker died; this
        # attempt itself, if it is reserving again), and, once a minute per worker, any of
        # the tenant's holds too old to belong to a live call. Returns the tokens freed.
        sweep_due = time.monotonic() >= self._next_sweep
        if attempt <= 1 and not data.rescheduled and not sweep_due:
            # A first scheduling's first attempt has held nothing yet (a refused hold, as
            # before a budget wait, was rolled back whole): no statement for it.
            return {}
        mine = (
            (col(TokenReservation.execution_id) == uuid.UUID(data.execution_id))
            & (col(TokenReservation.task_id) == data.task_id)
            & (col(TokenReservation.attempt) <= attempt)
        )
        if sweep_due:
            self._next_sweep = time.monotonic() + SWEEP_EVERY.total_seconds()
            mine = mine | (col(TokenReservation.created_at) < now - STALE_AFTER)
        # The counters are given the freed tokens back by the caller's own updates.
        return await _release_where(session, uuid.UUID(data.tenant_id), now, mine, to_quota=False)


async def _subjects(
    session: AsyncSession, data: NodeActivityInput, personal_key_owner: uuid.UUID | None
) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """The run's agent, and the user whose budgets the call holds (the key's owner when
    a user's own key pays): as the workflow passed them, or, for a task of a run begun
    before it did, from the run's row (None for a call outside any recorded run)."""
    if data.agent_id is not None:
        agent: uuid.UUID | None = uuid.UUID(data.agent_id)
        user = uuid.UUID(data.user_id) if data.user_id else None
    else:
        row = (
            await session.execute(
                select(col(WorkflowExecution.agent_id), col(WorkflowExecution.user_id)).where(
                    col(WorkflowExecution.execution_id) == uuid.UUID(data.execution_id)
                )
            )
        ).first()
        agent, user = (row[0], row[1]) if row is not None else (None, None)
    return agent, personal_key_owner or user


async def release_execution_holds(
    session: AsyncSession, tenant: uuid.UUID, execution_id: uuid.UUID, now: datetime
) -> int:
    """Release every hold a run still has (it ended): returns the tokens given back (to
    the tenant's quota, or to a user's own counter for calls paid by their key)."""
    freed = await _release_where(
        session, tenant, now, col(TokenReservation.execution_id) == execution_id
    )
    return freed.get((TENANT, tenant)) or sum(freed.values())


async def release_stale_holds(
    session: AsyncSession, tenant: uuid.UUID, now: datetime, *, limit: int
) -> int:
    """Release up to ``limit`` of the tenant's holds older than :data:`STALE_AFTER` and
    give their tokens back: the periodic sweep (retention schedule) of what the inline
    sweep in :meth:`TokenQuota.reserve` finds only when the tenant calls a model again.
    Returns how many holds it released."""
    stale = (
        select(col(TokenReservation.id))
        .where(
            col(TokenReservation.tenant_id) == tenant,
            col(TokenReservation.status) == "reserved",
            col(TokenReservation.created_at) < now - STALE_AFTER,
        )
        .limit(limit)
    )
    ids = list((await session.execute(stale)).scalars())
    if ids:
        await _release_where(session, tenant, now, col(TokenReservation.id).in_(ids))
    return len(ids)


async def _release_where(
    session: AsyncSession, tenant: uuid.UUID, now: datetime, which: Any, *, to_quota: bool = True
) -> dict[Counter, int]:
    """Release the held reservations matching `which`; give their tokens back to the
    counters they held unless ``to_quota`` is False (the caller does, in its own updates).
    Returns the tokens freed per counter."""
    rows = await session.execute(
        update(TokenReservation)
        .where(col(TokenReservation.status) == "reserved", which)
        .values(status="released", used_tokens=0, settled_at=now)
        .returning(
            col(TokenReservation.reserved_tokens),
            col(TokenReservation.agent_id),
            col(TokenReservation.user_id),
            col(TokenReservation.paid_by_user),
        )
    )
    freed: dict[Counter, int] = defaultdict(int)
    for tokens, agent_id, user_id, paid in rows.all():
        for counter in held_counters(agent_id, user_id, paid_by_user=bool(paid)):
            freed[counter] += int(tokens)
        if not paid:
            freed[(TENANT, tenant)] += int(tokens)
    freed = {k: v for k, v in freed.items() if v}
    if to_quota:
        for counter in sorted(freed):  # budget rows first, the tenant's row last
            if counter[0] != TENANT:
                await _give_back(session, tenant, counter, freed[counter])
        if (TENANT, tenant) in freed:
            await _give_back(session, tenant, (TENANT, tenant), freed[(TENANT, tenant)])
    return freed


async def _give_back(
    session: AsyncSession, tenant: uuid.UUID, counter: Counter, tokens: int
) -> None:
    """Return ``tokens`` of released holds to ``counter``."""
    if counter[0] == TENANT:
        await session.execute(
            update(TenantQuota)
            .where(col(TenantQuota.tenant_id) == tenant)
            .values(reserved_tokens=TenantQuota.reserved_tokens - tokens)
        )
        return
    await session.execute(
        update(TokenBudget)
        .where(*_budget_row(tenant, counter))
        .values(reserved_tokens=TokenBudget.reserved_tokens - tokens)
    )


def _budget_row(tenant: uuid.UUID, counter: Counter) -> tuple[Any, ...]:
    return (
        col(TokenBudget.tenant_id) == tenant,
        col(TokenBudget.scope) == counter[0],
        col(TokenBudget.subject_id) == counter[1],
    )


async def _refuse_budget(
    session: AsyncSession,
    tenant: uuid.UUID,
    counter: Counter,
    tokens: int,
    freed: int,
    now: datetime,
) -> None:
    """Raise BudgetExhausted for a budget row the hold statement did not write."""
    scope, subject = counter
    budget = (
        await session.execute(select(TokenBudget).where(*_budget_row(tenant, counter)))
    ).scalar_one()
    used = budget.used_tokens if budget.month == month_start(now) else 0
    raise BudgetExhausted(
        f"the {scope.replace('_', ' ')} budget is exhausted for this month: {used} used and "
        f"{budget.reserved_tokens - freed} reserved of {budget.max_tokens_per_month}; "
        f"this call needs up to {tokens}",
        scope=scope,
        subject_id=subject,
        limit=budget.max_tokens_per_month,
        period_end=period_end(now),
    )


async def _refuse_tenant(
    session: AsyncSession, tenant: uuid.UUID, tokens: int, freed: int, now: datetime
) -> None:
    """Raise BudgetExhausted if the tenant's quota row refused the hold (no row: no limit)."""
    quota = await session.get(TenantQuota, tenant)
    if quota is None:  # no quota row: no limit
        return
    used = _used_this_month(quota, now)
    reserved = quota.reserved_tokens - freed
    raise BudgetExhausted(
        f"the tenant's monthly token quota is exhausted: {used} used and "
        f"{reserved} reserved of {quota.max_tokens_per_month}; "
        f"this call needs up to {tokens}",
        scope=TENANT,
        subject_id=tenant,
        limit=quota.max_tokens_per_month,
        period_end=period_end(now),
    )


async def room_left(session: AsyncSession, tenant: uuid.UUID, counter: Counter) -> int | None:
    """Tokens a counter could hold now beyond its settled use and holds (None: no limit)."""
    now = datetime.now(UTC)
    if counter[0] == TENANT:
        quota = await session.get(TenantQuota, tenant, populate_existing=True)
        if quota is None or quota.max_tokens_per_month is None:
            return None
        return int(
            quota.max_tokens_per_month - _used_this_month(quota, now) - quota.reserved_tokens
        )
    budget = (
        await session.execute(select(TokenBudget).where(*_budget_row(tenant, counter)))
    ).scalar_one_or_none()
    if budget is None or budget.max_tokens_per_month is None:
        return None
    used = budget.used_tokens if budget.month == month_start(now) else 0
    return int(budget.max_tokens_per_month - used - budget.reserved_tokens)


def _used_this_month(quota: TenantQuota, now: datetime) -> int:
    return quota.current_month_tokens if quota.reset_date == month_start(now) else 0
