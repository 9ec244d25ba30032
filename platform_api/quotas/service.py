"""Quotas: the limits checked where users, agents, sessions and tokens are counted, and the
usage report."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select, text
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.errors import QuotaExceeded
from platform_api.providers.usage import month_start
from platform_api.quotas.schemas import QuotaUsage, UsageReport
from platform_core.models import Agent, TenantQuota, User

# An agent slot frees only when someone archives an agent: ask again in an hour.
AGENT_RETRY_AFTER_SECONDS = 3600
# A user seat frees only when an admin deactivates someone: likewise.
USER_RETRY_AFTER_SECONDS = 3600

# One statement both checks and counts: the row lock it takes makes concurrent
# sessions of one tenant queue, and each re-reads the row its predecessor committed.
_COUNT_SESSION = text(
    """
    UPDATE tenant_quotas
    SET current_day_sessions =
            CASE WHEN sessions_day = :today THEN current_day_sessions + 1 ELSE 1 END,
        sessions_day = :today
    WHERE tenant_id = :tenant_id
      AND (CASE WHEN sessions_day = :today THEN current_day_sessions ELSE 0 END)
          < max_sessions_per_day
    RETURNING current_day_sessions
    """
)


def utc_day(moment: datetime) -> date:
    """The UTC calendar day of ``moment``: the period the sessions quota counts."""
    return moment.astimezone(UTC).date()


def next_utc_midnight(moment: datetime) -> datetime:
    """When the day of ``moment`` ends (UTC)."""
    day = utc_day(moment) + timedelta(days=1)
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def seconds_until_next_day(moment: datetime) -> int:
    """Seconds until the sessions quota resets (at least 1)."""
    return max(1, int((next_utc_midnight(moment) - moment.astimezone(UTC)).total_seconds()) + 1)


async def count_session(
    *, session: AsyncSession, tenant_id: uuid.UUID, now: datetime | None = None
) -> None:
    """Count one new session (a chat, a direct run) for today, or raise QuotaExceeded (429)."""
    now = now or datetime.now(UTC)
    counted = (
        await session.execute(_COUNT_SESSION, {"today": utc_day(now), "tenant_id": tenant_id})
    ).first()
    if counted is not None:
        return
    quota = await session.get(TenantQuota, tenant_id)
    if quota is None:
        return  # no quota row: no limit
    raise QuotaExceeded(
        f"the tenant's plan allows {quota.max_sessions_per_day} new sessions a day; "
        "the count resets at midnight UTC",
        headers={"Retry-After": str(seconds_until_next_day(now))},
    )


async def ensure_agent_slot(*, session: AsyncSession, tenant_id: uuid.UUID) -> None:
    """Raise QuotaExceeded (429) when the tenant already has its plan's number of agents.

    The quota row stays locked until the caller's transaction ends, so a concurrent
    creation waits here and then counts the agent this one inserted.
    """
    quota = (
        await session.execute(
            select(TenantQuota).where(col(TenantQuota.tenant_id) == tenant_id).with_for_update()
        )
    ).scalar_one_or_none()
    if quota is None:
        return
    count = await active_agents(session=session, tenant_id=tenant_id)
    if count >= quota.max_agents:
        raise QuotaExceeded(
            f"the tenant's plan allows {quota.max_agents} agents; archive one to make room",
            headers={"Retry-After": str(AGENT_RETRY_AFTER_SECONDS)},
        )


async def active_agents(*, session: AsyncSession, tenant_id: uuid.UUID) -> int:
    """Agents that count against the quota (every one not archived)."""
    count: int = (
        await session.execute(
            select(func.count())
            .select_from(Agent)
            .where(col(Agent.tenant_id) == tenant_id, col(Agent.status) != "archived")
        )
    ).scalar_one()
    return count


async def locked_quota(session: AsyncSession, tenant_id: uuid.UUID) -> TenantQuota:
    """The tenant's quota row (created with defaults if missing), ``FOR UPDATE``.

    Holding the row lock serialises every check-then-write against the same limit,
    so two concurrent requests cannot both take the last free place.
    """
    quota = await session.get(TenantQuota, tenant_id, with_for_update=True)
    if quota is None:
        session.add(TenantQuota(tenant_id=tenant_id))
        await session.flush()
        quota = await session.get(
            TenantQuota, tenant_id, with_for_update=True, populate_existing=True
        )
    assert quota is not None  # added just above if it was missing
    return quota


async def ensure_user_seat(*, session: AsyncSession, tenant_id: uuid.UUID) -> None:
    """Raise QuotaExceeded (429) unless one more active user fits ``max_users``.

    Users are always limited (a missing quota row is created with the defaults); the
    row stays locked until the caller's transaction ends.
    """
    quota = await locked_quota(session, tenant_id)
    if await active_users(session=session, tenant_id=tenant_id) >= quota.max_users:
        raise QuotaExceeded(
            f"the tenant's user quota ({quota.max_users} active users) is used up",
            headers={"Retry-After": str(USER_RETRY_AFTER_SECONDS)},
        )


async def active_users(*, session: AsyncSession, tenant_id: uuid.UUID) -> int:
    """Users that count against the quota (active ones; suspended users free a seat)."""
    count: int = (
        await session.execute(
            select(func.count())
            .select_from(User)
            .where(col(User.tenant_id) == tenant_id, col(User.status) == "active")
        )
    ).scalar_one()
    return count


def _quota(
    name: str,
    limit: int | None,
    used: int,
    *,
    reserved: int = 0,
    resets_at: datetime | None = None,
) -> QuotaUsage:
    remaining = None if limit is None else max(0, limit - used - reserved)
    return QuotaUsage(
        name=name,
        limit=limit,
        used=used,
        reserved=reserved,
        remaining=remaining,
        resets_at=resets_at,
    )


async def report(
    *, session: AsyncSession, tenant_id: uuid.UUID, now: datetime | None = None
) -> UsageReport:
    """Users, agents, today's sessions and this month's tokens (reserved ones included)."""
    now = now or datetime.now(UTC)
    quota = await session.get(TenantQuota, tenant_id)
    users = await active_users(session=session, tenant_id=tenant_id)
    agents = await active_agents(session=session, tenant_id=tenant_id)
    sessions = tokens = reserved = 0
    if quota is not None:
        sessions = quota.current_day_sessions if quota.sessions_day == utc_day(now) else 0
        tokens = quota.current_month_tokens if quota.reset_date == month_start(now) else 0
        reserved = quota.reserved_tokens
    first = month_start(now)
    next_month = datetime(first.year + first.month // 12, first.month % 12 + 1, 1, tzinfo=UTC)
    return UsageReport(
        tenant_id=tenant_id,
        as_of=now,
        quotas=[
            _quota("users", quota.max_users if quota else None, users),
            _quota("agents", quota.max_agents if quota else None, agents),
            _quota(
                "sessions_per_day",
                quota.max_sessions_per_day if quota else None,
                sessions,
                resets_at=next_utc_midnight(now),
            ),
            _quota(
                "tokens_per_month",
                quota.max_tokens_per_month if quota else None,
                tokens,
                reserved=reserved,
                resets_at=next_month,
            ),
        ],
    )
