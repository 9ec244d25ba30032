"""Browsing the store's published agents."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.api.pagination import Page, PageParams
from platform_api.models import Agent, AgentVersion
from platform_api.store.schemas import AgentPublic, VersionRef


async def list_published(
    *, session: AsyncSession, query: str | None, page: PageParams
) -> Page[AgentPublic]:
    """Published agents of the caller's tenant, newest first, optionally filtered by text."""
    conditions = [col(Agent.status) == "published"]
    if query:
        like = f"%{query.strip()}%"
        conditions.append(or_(col(Agent.name).ilike(like), col(Agent.description).ilike(like)))
    total = (
        await session.execute(select(func.count()).select_from(Agent).where(*conditions))
    ).scalar_one()
    rows = await session.execute(
        select(Agent, AgentVersion)
        .outerjoin(
            AgentVersion,
            (col(AgentVersion.agent_id) == Agent.id) & col(AgentVersion.is_current).is_(True),
        )
        .where(*conditions)
        .order_by(col(Agent.published_at).desc().nulls_last(), col(Agent.name))
        .limit(page.limit)
        .offset(page.offset)
    )
    items = [
        AgentPublic(
            id=agent.id,
            name=agent.name,
            description=agent.description,
            tags=list(agent.tags),
            category_id=agent.category_id,
            average_rating=agent.average_rating,
            download_count=agent.download_count,
            published_at=agent.published_at,
            current_version=VersionRef(id=version.id, version=version.version) if version else None,
        )
        for agent, version in rows.all()
    ]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)
