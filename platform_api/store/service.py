"""Browsing and searching the store's published agents.

Search combines PostgreSQL full-text search over name, description and tags with
trigram similarity on the name (pg_trgm), so "travle planer" still finds
"Travel Planner"; results are ranked by the better of the two.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from sqlalchemy import Float, any_, cast, func, literal, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.paging import Page, PageParams, page_of, paginate
from platform_api.store.schemas import AgentPublic, CategoryNode, VersionRef
from platform_core.models import Agent, AgentCategory, AgentVersion

Sort = Literal["relevance", "rating", "usage", "recent"]
NAME_SIMILARITY = 0.25
WORD_SIMILARITY = 0.35


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


async def category_ids_under(session: AsyncSession, root: uuid.UUID) -> list[uuid.UUID]:
    """A category and all its descendants."""
    rows = (await session.execute(select(AgentCategory.id, AgentCategory.parent_id))).all()
    children: dict[uuid.UUID | None, list[uuid.UUID]] = {}
    for category_id, parent_id in rows:
        children.setdefault(parent_id, []).append(category_id)
    found, frontier = [root], [root]
    while frontier:
        frontier = [c for parent in frontier for c in children.get(parent, [])]
        found += frontier
    return found


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
        fts = _document().op("@@")(tsquery)
        similar = func.similarity(Agent.name, text)
        word = func.word_similarity(text, Agent.name)
        conditions.append(
            or_(
                fts,
                similar > NAME_SIMILARITY,
                word > WORD_SIMILARITY,
                col(Agent.name).ilike(f"%{text}%"),
            )
        )
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
    rows, total = await paginate(
        session,
        select(Agent, AgentVersion)
        .outerjoin(
            AgentVersion,
            (col(AgentVersion.agent_id) == Agent.id) & col(AgentVersion.is_current).is_(True),
        )
        .where(*conditions)
        .order_by(*order, col(Agent.name), col(Agent.id)),
        page,
        scalars=False,
    )
    return page_of(rows, total, page, lambda row: store_card(*row))


async def category_tree(*, session: AsyncSession) -> list[CategoryNode]:
    """The store's categories as a tree."""
    rows = (
        (await session.execute(select(AgentCategory).order_by(col(AgentCategory.name))))
        .scalars()
        .all()
    )
    nodes = {
        row.id: CategoryNode(id=row.id, name=row.name, description=row.description, children=[])
        for row in rows
    }
    roots: list[CategoryNode] = []
    for row in rows:
        node = nodes[row.id]
        parent = nodes.get(row.parent_id) if row.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots
