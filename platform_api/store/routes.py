"""Store routes: browse published agents."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from platform_api.api.deps import CurrentCaller, TenantSession
from platform_api.api.pagination import page_params
from platform_api.paging import Page, PageParams
from platform_api.store import service
from platform_api.store.schemas import (
    AgentPublic,
    AgentStoreDetail,
    CategoryNode,
    ReviewPublic,
    ReviewWrite,
)
from platform_core.models import AgentReview

router = APIRouter(prefix="/api/v1", tags=["store"])


@router.get("/agents", response_model=Page[AgentPublic])
async def list_agents(
    caller: CurrentCaller,
    session: TenantSession,
    page: Annotated[PageParams, Depends(page_params)],
    q: Annotated[str | None, Query(max_length=200, description="Text to look for.")] = None,
    category_id: Annotated[
        uuid.UUID | None, Query(description="A category (its sub-categories included).")
    ] = None,
    tag: Annotated[str | None, Query(max_length=50)] = None,
    sort: Annotated[service.Sort, Query(description="relevance, rating, usage or recent")] = (
        "relevance"
    ),
) -> Page[AgentPublic]:
    """Published agents: full-text and typo-tolerant search, filters, sorting."""
    return await service.list_published(
        session=session, query=q, page=page, category_id=category_id, tag=tag, sort=sort
    )


@router.get("/categories", response_model=list[CategoryNode])
async def list_categories(caller: CurrentCaller, session: TenantSession) -> object:
    """The store's category tree."""
    return await service.category_tree(session=session)


@router.get("/agents/{agent_id}", response_model=AgentStoreDetail)
async def get_agent(
    agent_id: uuid.UUID, caller: CurrentCaller, session: TenantSession
) -> AgentStoreDetail:
    """A published agent's store page: versions with changelogs, rating, downloads."""
    agent = await service.published_agent(session=session, agent_id=agent_id)
    return await service.detail(session=session, agent=agent)


@router.get("/agents/{agent_id}/reviews", response_model=list[ReviewPublic])
async def list_reviews(
    agent_id: uuid.UUID, caller: CurrentCaller, session: TenantSession
) -> list[AgentReview]:
    """The agent's ratings and written reviews, newest first."""
    agent = await service.published_agent(session=session, agent_id=agent_id)
    return await service.reviews(session=session, agent=agent)


@router.put("/agents/{agent_id}/reviews/mine", response_model=ReviewPublic)
async def write_review(
    agent_id: uuid.UUID, body: ReviewWrite, caller: CurrentCaller, session: TenantSession
) -> AgentReview:
    """Rate and review the agent (one review per user; writing again edits it)."""
    agent = await service.published_agent(session=session, agent_id=agent_id)
    return await service.write_review(session=session, caller=caller, agent=agent, data=body)
