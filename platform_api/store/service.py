"""Browsing the store's published agents."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.api.pagination import Page, PageParams
from platform_api.models import Agent, AgentVersion
from platform_api.store.schemas import AgentPublic, VersionRef


async def list_published(
    *, session: AsyncSession, query: str | None, page: PageParams
) -> Page[AgentPublic]:
    """Published agents of the caller's tenant, newest first, optionally filtered by text."""
    conditions = [Agent.status == "published"]
    if query:
        like = f"%{query.strip()}%"
        conditions.append(or_(Agent.name.ilike(like), Agent.description.ilike(like)))  # type: ignore[union-attr,attr-defined]
    total = (
        await session.execute(select(func.count()).select_from(Agent).where(*conditions))
    ).scalar_one()
    rows = await session.execute(
        select(Agent, AgentVersion)
        .outerjoin(
            AgentVersion,
            (AgentVersion.agent_id == Agent.id) & AgentVersion.is_current.is_(True),  # type: ignore[attr-defined]
        )
        .where(*conditions)
        .order_by(Agent.published_at.desc().nulls_last(), Agent.name)  # type: ignore[union-attr,attr-defined]
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
