"""Groups routes (tenant admins manage them, everyone may read) and the people directory."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from platform_api.api.deps import CurrentCaller, TenantSession
from platform_api.api.pagination import page_params
from platform_api.groups import service
from platform_api.groups.schemas import GroupPublic, GroupWrite, PersonPublic
from platform_api.paging import Page, PageParams

router = APIRouter(prefix="/api/v1/groups", tags=["groups"])
people_router = APIRouter(prefix="/api/v1/people", tags=["groups"])


@router.get("", response_model=Page[GroupPublic])
async def list_groups(
    caller: CurrentCaller,
    session: TenantSession,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[GroupPublic]:
    """The tenant's groups with their members."""
    return await service.list_groups(session=session, page=page)


@router.post("", response_model=GroupPublic, status_code=201)
async def create_group(
    body: GroupWrite, caller: CurrentCaller, session: TenantSession
) -> GroupPublic:
    """A new group (tenant admins)."""
    return await service.create_group(session=session, tenant_id=caller.tenant_id, body=body)


@router.get("/{group_id}", response_model=GroupPublic)
async def get_group(
    group_id: uuid.UUID, caller: CurrentCaller, session: TenantSession
) -> GroupPublic:
    """One group."""
    return await service.get_group(session=session, group_id=group_id)


@router.put("/{group_id}", response_model=GroupPublic)
async def replace_group(
    group_id: uuid.UUID, body: GroupWrite, caller: CurrentCaller, session: TenantSession
) -> GroupPublic:
    """Rename a group and replace its members (tenant admins)."""
    return await service.replace_group(
        session=session, tenant_id=caller.tenant_id, group_id=group_id, body=body
    )


@router.delete("/{group_id}", status_code=204)
async def delete_group(
    group_id: uuid.UUID, caller: CurrentCaller, session: TenantSession
) -> Response:
    """Remove a group (tenant admins)."""
    await service.delete_group(session=session, group_id=group_id)
    return Response(status_code=204)


@people_router.get("", response_model=Page[PersonPublic])
async def list_people(
    caller: CurrentCaller,
    session: TenantSession,
    page: Annotated[PageParams, Depends(page_params)],
    q: Annotated[str | None, Query(max_length=200, description="Part of a name or e-mail.")] = None,
) -> Page[PersonPublic]:
    """Active people of the tenant (to pick a group member or a delegate)."""
    return await service.people(session=session, query=q, page=page)
