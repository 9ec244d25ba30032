"""The tenant's usage against each quota, read from the same counters the checks use."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.providers.usage import month_start
from platform_api.quotas.limits import active_agents, active_users, next_utc_midnight, utc_day
from platform_api.quotas.schemas import QuotaUsage, UsageReport
from platform_core.models import TenantQuota


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
