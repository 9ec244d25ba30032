"""The monthly token quota: reserve before a model call, settle after, atomically.

A reservation is granted by one conditional UPDATE of the tenant's quota row, the last
statement of its transaction, so concurrent calls hold the row only for their commit: it
is granted only while settled usage + reservations in flight + this reservation fit the
quota (PostgreSQL re-checks the condition against the latest row). A call can therefore
exceed the quota only by what it uses beyond its own reservation (the prompt estimate;
the completion is capped by ``max_tokens``). Reservations are rows keyed by run, node task
and attempt: settling twice changes nothing, and a retry releases what a crashed attempt
left.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import case, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_core.db import Database
from platform_core.models import TenantQuota, TenantTokenUsage, TokenReservation
from temporal_workflows.contracts import NodeActivityInput

# A reservation this old belongs to a call that can no longer be running.
STALE_AFTER = timedelta(hours=6)
# How often a worker looks for such holds (not on every call: it scans the tenant's holds).
SWEEP_EVERY = timedelta(minutes=1)


class QuotaExhausted(Exception):
    """The call would take the tenant past its monthly token quota."""


@dataclass(frozen=True)
class Reservation:
    """Tokens held for one call attempt."""

    id: uuid.UUID
    tenant_id: str
    tokens: int


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


class TokenQuota:
    """Reservations against ``tenant_quotas``; built once by the worker."""

    def __init__(self, database: Database) -> None:
        self._db = database
        self._next_sweep = 0.0

    async def reserve(
        self, data: NodeActivityInput, *, attempt: int, model: str, tokens: int
    ) -> Reservation:
        """Hold ``tokens`` for this attempt, or raise QuotaExhausted (nothing is held)."""
        now = datetime.now(UTC)
        tenant = uuid.UUID(data.tenant_id)
        async with self._db.tenant_session(tenant) as session:
            freed = await self._release_abandoned(session, data, attempt, now)
            reservation_id = uuid.uuid4()
            await session.execute(
                insert(TokenReservation)
                .values(
                    id=reservation_id,
                    tenant_id=tenant,
                    execution_id=uuid.UUID(data.execution_id),
                    task_id=data.task_id,
                    attempt=attempt,
                    model=model[:255],
                    reserved_tokens=tokens,
                    status="reserved",
                )
                # The same attempt reserving again had its hold released just above.
                .on_conflict_do_update(
                    constraint="uq_token_reservations_call",
                    set_={"id": reservation_id, "reserved_tokens": tokens, "status": "reserved"},
                )
            )
            # Last, in one statement that checks and takes the hold: the tenant's quota
            # row is locked only from here to the commit, not across the whole write
            # (every run of the tenant queues on that row).
            granted = await session.execute(
                update(TenantQuota)
                .where(
                    col(TenantQuota.tenant_id) == tenant,
                    col(TenantQuota.max_tokens_per_month).is_(None)
                    | (
                        _used_this_month_sql(now) + TenantQuota.reserved_tokens - freed + tokens
                        <= col(TenantQuota.max_tokens_per_month)
                    ),
                )
                .values(reserved_tokens=TenantQuota.reserved_tokens - freed + tokens)
                .returning(col(TenantQuota.tenant_id))
            )
            if granted.first() is None:
                quota = await session.get(TenantQuota, tenant)
                if quota is not None:  # a row that refused: the quota is exhausted
                    used = _used_this_month(quota, now)
                    reserved = quota.reserved_tokens - freed
                    raise QuotaExhausted(
                        f"the tenant's monthly token quota is exhausted: {used} used and "
                        f"{reserved} reserved of {quota.max_tokens_per_month}; "
                        f"this call needs up to {tokens}"
                    )
        return Reservation(reservation_id, data.tenant_id, tokens)

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
                update(TokenReservation)
                .where(
                    col(TokenReservation.id) == reservation.id,
                    col(TokenReservation.status) == "reserved",
                )
                .values(
                    status=status,
                    used_tokens=usage.total_tokens if usage else 0,
                    settled_at=now,
                )
                .returning(col(TokenReservation.reserved_tokens))
            )
        ).first()
        if held is None:
            return  # already settled or released: charging again would double count
        # The tenant's hot rows last, each in one statement (locked until the commit).
        if usage is not None:
            await _add_monthly_usage(session, tenant, now, usage)
        await _charge(session, tenant, now, released=int(held[0]), used=usage)

    async def _release_abandoned(
        self, session: AsyncSession, data: NodeActivityInput, attempt: int, now: datetime
    ) -> int:
        # Earlier attempts of this task that never settled (their worker died; this
        # attempt itself, if it is reserving again), and, once a minute per worker, any of
        # the tenant's holds too old to belong to a live call. Returns the tokens freed.
        mine = (
            (col(TokenReservation.execution_id) == uuid.UUID(data.execution_id))
            & (col(TokenReservation.task_id) == data.task_id)
            & (col(TokenReservation.attempt) <= attempt)
        )
        if time.monotonic() >= self._next_sweep:
            self._next_sweep = time.monotonic() + SWEEP_EVERY.total_seconds()
            mine = mine | (col(TokenReservation.created_at) < now - STALE_AFTER)
        # The quota row is given the freed tokens back by the caller's one update.
        return await _release_where(session, uuid.UUID(data.tenant_id), now, mine, to_quota=False)


async def release_execution_holds(
    session: AsyncSession, tenant: uuid.UUID, execution_id: uuid.UUID, now: datetime
) -> int:
    """Release every hold a run still has (it ended): returns the tokens given back."""
    return await _release_where(
        session, tenant, now, col(TokenReservation.execution_id) == execution_id
    )


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
) -> int:
    """Release the held reservations matching `which`; give their tokens back to the quota
    row unless ``to_quota`` is False (the caller does, in its own update)."""
    rows = await session.execute(
        update(TokenReservation)
        .where(col(TokenReservation.status) == "reserved", which)
        .values(status="released", used_tokens=0, settled_at=now)
        .returning(col(TokenReservation.reserved_tokens))
    )
    freed = sum(int(r[0]) for r in rows.all())
    if freed and to_quota:
        await session.execute(
            update(TenantQuota)
            .where(col(TenantQuota.tenant_id) == tenant)
            .values(reserved_tokens=TenantQuota.reserved_tokens - freed)
        )
    return freed


def _used_this_month(quota: TenantQuota, now: datetime) -> int:
    return quota.current_month_tokens if quota.reset_date == month_start(now) else 0


def _used_this_month_sql(now: datetime) -> Any:
    """``_used_this_month`` as SQL, for checks made inside one UPDATE."""
    return case(
        (col(TenantQuota.reset_date) == month_start(now), col(TenantQuota.current_month_tokens)),
        else_=0,
    )


async def _charge(
    session: AsyncSession,
    tenant: uuid.UUID,
    now: datetime,
    *,
    released: int,
    used: Usage | None,
) -> None:
    values: dict[str, Any] = {"reserved_tokens": TenantQuota.reserved_tokens - released}
    if used is not None:
        # A new month starts the counter again from this call.
        values["current_month_tokens"] = _used_this_month_sql(now) + used.total_tokens
        values["reset_date"] = month_start(now)
    await session.execute(
        update(TenantQuota).where(col(TenantQuota.tenant_id) == tenant).values(**values)
    )


async def _add_monthly_usage(
    session: AsyncSession, tenant: uuid.UUID, now: datetime, usage: Usage
) -> None:
    statement = insert(TenantTokenUsage).values(
        tenant_id=tenant,
        month=month_start(now),
        prompt_tokens=usage.prompt_tokens,
        completion_tokens=usage.completion_tokens,
        total_tokens=usage.total_tokens,
        cost=usage.cost,
        calls=1,
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["tenant_id", "month"],
            set_={
                "prompt_tokens": col(TenantTokenUsage.prompt_tokens) + usage.prompt_tokens,
                "completion_tokens": col(TenantTokenUsage.completion_tokens)
                + usage.completion_tokens,
                "total_tokens": col(TenantTokenUsage.total_tokens) + usage.total_tokens,
                "cost": col(TenantTokenUsage.cost) + usage.cost,
                "calls": col(TenantTokenUsage.calls) + 1,
            },
        )
    )
