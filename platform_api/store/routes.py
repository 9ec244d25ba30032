"""Store routes: browse published agents; tenant admins edit their own categories."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from platform_api.api.deps import CurrentCaller, TenantSession
from platform_api.api.pagination import page_params
from platform_api.paging import Page, PageParams
from platform_api.store import categories, service
from platform_api.store.schemas import (
    AgentPublic,
    AgentStoreDetail,
    CategoryCreate,
    CategoryNode,
    CategoryPublic,
    CategoryUpdate,
    ReviewPublic,
    ReviewWrite,
)
from platform_core.models import AgentCategory, AgentReview

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


def _category(row: AgentCategory) -> CategoryPublic:
    return CategoryPublic(
        id=row.id,
        name=row.name,
        description=row.description,
        parent_id=row.parent_id,
        shared=row.tenant_id is None,
    )


@router.get("/categories", response_model=list[CategoryNode])
async def list_categories(caller: CurrentCaller, session: TenantSession) -> object:
    """The store's category tree: the shared categories and the tenant's own."""
    return await categories.category_tree(session=session, tenant_id=caller.tenant_id)


@router.post("/categories", response_model=CategoryPublic, status_code=201)
async def create_category(
    body: CategoryCreate, caller: CurrentCaller, session: TenantSession
) -> CategoryPublic:
    """Add a category of the tenant's own (409 when the name is taken)."""
    row = await categories.create(session=session, tenant_id=caller.tenant_id, data=body)
    return _category(row)


@router.patch("/categories/{category_id}", response_model=CategoryPublic)
async def update_category(
    category_id: uuid.UUID, body: CategoryUpdate, caller: CurrentCaller, session: TenantSession
) -> CategoryPublic:
    """Rename, describe or move one of the tenant's categories (shared ones: 403)."""
    row = await categories.get_own(
        session=session, tenant_id=caller.tenant_id, category_id=category_id
    )
    row = await categories.update(
        session=session, tenant_id=caller.tenant_id, category=row, data=body
    )
    return _category(row)


@router.delete("/categories/{category_id}", status_code=204)
async def delete_category(
    category_id: uuid.UUID, caller: CurrentCaller, session: TenantSession
) -> Response:
    """Delete one of the tenant's categories; 409 while agents or sub-categories are in it."""
    row = await categories.get_own(
        session=session, tenant_id=caller.tenant_id, category_id=category_id
    )
    await categories.delete(session=session, category=row)
    return Response(status_code=204)


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
