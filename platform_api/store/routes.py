"""Store routes: browse published agents."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from platform_api.api.deps import CurrentPrincipal, TenantSession
from platform_api.api.pagination import Page, PageParams, page_params
from platform_api.store import service
from platform_api.store.schemas import AgentPublic

router = APIRouter(prefix="/api/v1", tags=["store"])


@router.get("/agents", response_model=Page[AgentPublic])
async def list_agents(
    principal: CurrentPrincipal,
    session: TenantSession,
    page: Annotated[PageParams, Depends(page_params)],
    q: Annotated[str | None, Query(max_length=200, description="Text to look for.")] = None,
) -> Page[AgentPublic]:
    """Published agents of the tenant."""
    return await service.list_published(session=session, query=q, page=page)
