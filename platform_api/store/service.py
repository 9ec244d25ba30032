"""The store: published agents as cards and pages, and engagement (who used what, ratings
and reviews)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from sqlalchemy import Float, any_, bindparam, cast, func, literal, update
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.auth.caller import Caller
from platform_api.errors import NotFound
from platform_api.paging import Page, PageParams, page_of, paginate
from platform_api.store.categories import category_ids_under
from platform_api.store.schemas import (
    AgentPublic,
    AgentStoreDetail,
    PublishedVersion,
    ReviewWrite,
    VersionRef,
)
from platform_core.models import Agent, AgentReview, AgentUsage, AgentVersion

Sort = Literal["relevance", "rating", "usage", "recent"]
# Matching (full text, name similarity above 0.25, word similarity above 0.35, substring)
# is agentpaas_store_matches in migration 0014; ranking is here.


def _document() -> Any:
    text = func.concat_ws(
        " ", Agent.name, func.coalesce(Agent.description, ""), func.array_to_string(Agent.tags, " ")
    )
    return func.to_tsvector("simple", text)


def store_card(agent: Agent, current: AgentVersion | None) -> AgentPublic:
    """A published agent as the store shows it, with its current version if any."""
    return AgentPublic(
        id=agent.id,
        name=agent.name,
        description=agent.description,
        tags=list(agent.tags),
        category_id=agent.category_id,
        average_rating=agent.average_rating,
        download_count=agent.download_count,
        published_at=agent.published_at,
        current_version=VersionRef(id=current.id, version=current.version) if current else None,
    )


async def list_published(
    *,
    session: AsyncSession,
    query: str | None,
    page: PageParams,
    category_id: uuid.UUID | None = None,
    tag: str | None = None,
    sort: Sort = "relevance",
) -> Page[AgentPublic]:
    """Published agents of the caller's tenant: searched, filtered, sorted, paginated."""
    conditions: list[Any] = [col(Agent.status) == "published"]
    rank: Any = literal(0.0)
    text = (query or "").strip()
    if text:
        tsquery = func.websearch_to_tsquery("simple", text)
        similar = func.similarity(Agent.name, text)
        word = func.word_similarity(text, Agent.name)
        # The same four tests (full text, name similarity, word similarity, substring),
        # answered from the GIN indexes by a function of migration 0014: under row-level
        # security they could only run on every agent of the tenant.
        conditions.append(col(Agent.id).in_(select(func.agentpaas_store_matches(text))))
        rank = func.greatest(cast(func.ts_rank(_document(), tsquery), Float), similar, word)
    if category_id is not None:
        conditions.append(
            col(Agent.category_id).in_(await category_ids_under(session, category_id))
        )
    if tag:
        conditions.append(literal(tag) == any_(col(Agent.tags)))
    order: list[Any] = {
        "relevance": [rank.desc(), col(Agent.published_at).desc().nulls_last()],
        "rating": [col(Agent.average_rating).desc().nulls_last(), col(Agent.rating_count).desc()],
        "usage": [col(Agent.download_count).desc()],
        "recent": [col(Agent.published_at).desc().nulls_last()],
    }[sort]
    agents, total = await paginate(
        session,
        select(Agent).where(*conditions).order_by(*order, col(Agent.name), col(Agent.id)),
        page,
        # A search ranks every match to order them anyway: count them in that same pass
        # rather than search a second time.
        count_in_page=bool(text),
    )
    current = await current_versions(session=session, agent_ids=[a.id for a in agents])
    return page_of(agents, total, page, lambda agent: store_card(agent, current.get(agent.id)))


async def current_versions(
    *, session: AsyncSession, agent_ids: list[uuid.UUID]
) -> dict[uuid.UUID, AgentVersion]:
    """The current version of each of these agents (those that have one), by agent id.

    Read for one page of agents after it is chosen, rather than joined before: a join made
    the store hash every version of the tenant to show twenty of them.
    """
    if not agent_ids:
        return {}
    rows = await session.execute(
        select(AgentVersion).where(
            col(AgentVersion.agent_id).in_(agent_ids), col(AgentVersion.is_current).is_(True)
        )
    )
    return {version.agent_id: version for version in rows.scalars()}


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


# A use counted: built once (a new chat's first turn is on the first token's path).
_RECORD_USE = (
    insert(AgentUsage)
    .values(
        id=bindparam("id"),
        tenant_id=bindparam("tenant"),
        user_id=bindparam("user"),
        agent_id=bindparam("agent"),
        first_used_at=bindparam("now"),
        last_used_at=bindparam("now"),
        usage_count=1,
    )
    .on_conflict_do_update(
        constraint="uq_agent_usages_user_agent",
        set_={"usage_count": AgentUsage.usage_count + 1, "last_used_at": bindparam("now")},
    )
    .returning(col(AgentUsage.usage_count))
)


async def record_use(*, session: AsyncSession, caller: Caller, agent_id: uuid.UUID) -> None:
    """Count a use; the first use by a user counts as adding the agent (download)."""
    inserted = await session.execute(
        _RECORD_USE,
        {
            "id": uuid.uuid4(),
            "tenant": caller.tenant_id,
            "user": caller.user_id,
            "agent": agent_id,
            "now": datetime.now(UTC),
        },
    )
    if inserted.scalar_one() == 1:
        await session.execute(
            update(Agent)
            .where(col(Agent.id) == agent_id)
            .values(download_count=Agent.download_count + 1)
        )
