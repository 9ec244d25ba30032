"""Token quota as the API sees it: refuse to start runs once the month's tokens are used up.

The authoritative, atomic accounting (reserve before each call, settle after) is done
by the ``llm`` activity; this check only keeps a tenant that is already over its
quota from starting runs that could not make a single model call.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import col

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


def quota_read(tenant_id: Any) -> list[Any]:
    """Scalar subqueries of the tenant's month: its token limit, tokens used and the month
    they were counted in (NULLs without a quota row), for :func:`refuse_when_used_up`.
    ``tenant_id``: the id, or a bound parameter (a statement built once)."""

    def column(name: str) -> Any:
        return (
            select(getattr(TenantQuota, name))
            .where(col(TenantQuota.tenant_id) == tenant_id)
            .scalar_subquery()
        )

    return [column("max_tokens_per_month"), column("current_month_tokens"), column("reset_date")]


def refuse_when_used_up(
    limit: int | None, used: int | None, counted_in: date | None, now: datetime | None = None
) -> None:
    """Raise QuotaExceeded (429, ``Retry-After``) when this month's token quota is used up
    (``limit``, ``used`` and ``counted_in`` as :func:`quota_read` read them)."""
    now = now or datetime.now(UTC)
    if limit is None:
        return
    spent = (used or 0) if counted_in == month_start(now) else 0
    if spent >= limit:
        raise QuotaExceeded(
            f"the tenant's monthly token quota is used up ({spent} of "
            f"{limit} tokens); it resets at the start of next month",
            headers={"Retry-After": str(seconds_until_next_month(now))},
        )
