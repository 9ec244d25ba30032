"""Store engagement: agent pages, ratings and reviews, and usage (AgentUsage, downloads)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, update
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.auth.caller import Caller
from platform_api.errors import NotFound
from platform_api.store.schemas import AgentStoreDetail, PublishedVersion, ReviewWrite
from platform_api.store.service import store_card
from platform_core.models import Agent, AgentReview, AgentUsage, AgentVersion


async def published_agent(*, session: AsyncSession, agent_id: uuid.UUID) -> Agent:
    """A published agent of the tenant; drafts and archived agents are not in the store."""
    agent = await session.get(Agent, agent_id)
    if agent is None or agent.status != "published":
        raise NotFound("agent not found")
    return agent


async def detail(*, session: AsyncSession, agent: Agent) -> AgentStoreDetail:
    """The store page of an agent."""
    versions = (
        (
            await session.execute(
                select(AgentVersion)
                .where(AgentVersion.agent_id == agent.id, AgentVersion.status == "published")
                .order_by(col(AgentVersion.published_at).desc())
            )
        )
        .scalars()
        .all()
    )
    current = next((v for v in versions if v.is_current), None)
    return AgentStoreDetail(
        **dict(store_card(agent, current)),
        rating_count=agent.rating_count,
        versions=[
            PublishedVersion(
                id=v.id,
                version=v.version,
                changelog=v.changelog,
                published_at=v.published_at,
                is_current=v.is_current,
            )
            for v in versions
        ],
    )


async def write_review(
    *, session: AsyncSession, caller: Caller, agent: Agent, data: ReviewWrite
) -> AgentReview:
    """Create or edit the caller's one review of the agent, then refresh its average."""
    now = datetime.now(UTC)
    await session.execute(
        insert(AgentReview)
        .values(
            id=uuid.uuid4(),
            tenant_id=caller.tenant_id,
            user_id=caller.user_id,
            agent_id=agent.id,
            rating=data.rating,
            comment=data.comment,
        )
        .on_conflict_do_update(
            constraint="uq_agent_reviews_user_agent",
            set_={"rating": data.rating, "comment": data.comment, "updated_at": now},
        )
    )
    # Lock the agent row so concurrent reviews recompute the average one at a time.
    await session.execute(select(Agent.id).where(Agent.id == agent.id).with_for_update())
    average, count = (
        await session.execute(
            select(func.avg(AgentReview.rating), func.count()).where(
                AgentReview.agent_id == agent.id
            )
        )
    ).one()
    agent.average_rating = Decimal(average).quantize(Decimal("0.01"), ROUND_HALF_UP)
    agent.rating_count = int(count)
    session.add(agent)
    review: AgentReview = (
        await session.execute(
            select(AgentReview).where(
                AgentReview.agent_id == agent.id, AgentReview.user_id == caller.user_id
            )
        )
    ).scalar_one()
    return review


async def reviews(*, session: AsyncSession, agent: Agent) -> list[AgentReview]:
    """The agent's reviews, newest first."""
    rows = await session.execute(
        select(AgentReview)
        .where(AgentReview.agent_id == agent.id)
        .order_by(col(AgentReview.updated_at).desc())
    )
    return list(rows.scalars())


async def record_use(*, session: AsyncSession, caller: Caller, agent_id: uuid.UUID) -> None:
    """Count a use; the first use by a user counts as adding the agent (download)."""
    now = datetime.now(UTC)
    inserted = await session.execute(
        insert(AgentUsage)
        .values(
            id=uuid.uuid4(),
            tenant_id=caller.tenant_id,
            user_id=caller.user_id,
            agent_id=agent_id,
            first_used_at=now,
            last_used_at=now,
            usage_count=1,
        )
        .on_conflict_do_update(
            constraint="uq_agent_usages_user_agent",
            set_={"usage_count": AgentUsage.usage_count + 1, "last_used_at": now},
        )
        .returning(col(AgentUsage.usage_count))
    )
    if inserted.scalar_one() == 1:
        await session.execute(
            update(Agent)
            .where(col(Agent.id) == agent_id)
            .values(download_count=Agent.download_count + 1)
        )
