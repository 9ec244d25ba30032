"""An agent's use, day by day: runs, distinct users, failures, tokens and ratings.

What a developer reads on their agent's page to see whether a version is doing well. Every
run counts (sandbox runs included, since the developer's own tries are runs too); days with
nothing are filled with zeros so a chart has no gaps.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Date, case, cast, distinct, func, select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.agents.schemas import AgentDayStats, AgentStats
from platform_core.models import Agent, AgentReview, WorkflowExecution

FAILED_STATUSES = ("failed",)


async def agent_stats(*, session: AsyncSession, agent: Agent, days: int) -> AgentStats:
    """The last ``days`` days (today included, UTC) of ``agent``'s use."""
    today = datetime.now(UTC).date()
    first = today - timedelta(days=days - 1)
    since = datetime.combine(first, datetime.min.time(), tzinfo=UTC)
    day = cast(func.timezone("UTC", col(WorkflowExecution.started_at)), Date)
    runs = await session.execute(
        select(
            day,
            func.count(),
            func.count(distinct(col(WorkflowExecution.user_id))),
            func.sum(case((col(WorkflowExecution.status).in_(FAILED_STATUSES), 1), else_=0)),
            func.coalesce(func.sum(col(WorkflowExecution.tokens_consumed)), 0),
        )
        .where(
            col(WorkflowExecution.agent_id) == agent.id,
            col(WorkflowExecution.started_at) >= since,
        )
        .group_by(day)
    )
    by_day: dict[date, AgentDayStats] = {
        row[0]: AgentDayStats(
            day=row[0], runs=row[1], users=row[2], failures=int(row[3]), tokens=int(row[4])
        )
        for row in runs.all()
    }
    rating_day = cast(func.timezone("UTC", col(AgentReview.created_at)), Date)
    ratings = await session.execute(
        select(rating_day, func.avg(col(AgentReview.rating)), func.count())
        .where(col(AgentReview.agent_id) == agent.id, col(AgentReview.created_at) >= since)
        .group_by(rating_day)
    )
    for rated_on, average, count in ratings.all():
        entry = by_day.setdefault(rated_on, AgentDayStats(day=rated_on))
        entry.average_rating = Decimal(average).quantize(Decimal("0.01"))
        entry.ratings = count
    users = await session.execute(
        select(func.count(distinct(col(WorkflowExecution.user_id)))).where(
            col(WorkflowExecution.agent_id) == agent.id,
            col(WorkflowExecution.started_at) >= since,
        )
    )
    series = [
        by_day.get(first + timedelta(days=i), AgentDayStats(day=first + timedelta(days=i)))
        for i in range(days)
    ]
    return AgentStats(
        agent_id=agent.id,
        since=first,
        days=series,
        runs=sum(d.runs for d in series),
        users=int(users.scalar_one()),
        failures=sum(d.failures for d in series),
        tokens=sum(d.tokens for d in series),
        average_rating=agent.average_rating,
        rating_count=agent.rating_count,
    )
