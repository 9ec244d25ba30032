"""Token quota as the API sees it: refuse to start runs once the month's tokens are used up.

The authoritative, atomic accounting (reserve before each call, settle after) is done
by the ``llm`` activity; this check only keeps a tenant that is already over its
quota from starting runs that could not make a single model call.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.errors import QuotaExceeded
from platform_core.models import TenantQuota


def month_start(moment: datetime) -> date:
    """The first day of ``moment``'s month (UTC): the period monthly quotas count.

    ``activities.token_quota.month_start`` (which settles the counter) is the same rule.
    """
    return moment.astimezone(UTC).date().replace(day=1)


def seconds_until_next_month(moment: datetime) -> int:
    """Seconds until the quota period of ``moment`` ends."""
    moment = moment.astimezone(UTC)
    first = month_start(moment)
    following = (
        first.replace(year=first.year + 1, month=1)
        if first.month == 12
        else first.replace(month=first.month + 1)
    )
    boundary = datetime(following.year, following.month, 1, tzinfo=UTC)
    return max(1, int((boundary - moment).total_seconds()))


async def ensure_tokens_left(
    *, session: AsyncSession, tenant_id: uuid.UUID, now: datetime | None = None
) -> None:
    """Raise QuotaExceeded (429, ``Retry-After``) when this month's token quota is used up."""
    now = now or datetime.now(UTC)
    quota = await session.get(TenantQuota, tenant_id)
    if quota is None or quota.max_tokens_per_month is None:
        return
    used = quota.current_month_tokens if quota.reset_date == month_start(now) else 0
    if used >= quota.max_tokens_per_month:
        raise QuotaExceeded(
            f"the tenant's monthly token quota is used up ({used} of "
            f"{quota.max_tokens_per_month} tokens); it resets at the start of next month",
            headers={"Retry-After": str(seconds_until_next_month(now))},
        )
