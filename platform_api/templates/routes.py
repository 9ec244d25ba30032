"""Template routes: browse the catalog, manage the tenant's own, instantiate."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from platform_api.api.deps import CurrentCaller, TenantSession
from platform_api.api.pagination import page_params
from platform_api.definitions import instantiate_template
from platform_api.paging import Page, PageParams
from platform_api.templates import service
from platform_api.templates.schemas import (
    CompiledDefinition,
    InstantiateRequest,
    TemplateCreate,
    TemplateDetail,
    TemplateSummary,
    TemplateUpdate,
)

router = APIRouter(prefix="/api/v1/templates", tags=["templates"])


@router.get("", response_model=Page[TemplateSummary])
async def list_templates(
    caller: CurrentCaller,
    session: TenantSession,
    page: Annotated[PageParams, Depends(page_params)],
    category: Annotated[str | None, Query(max_length=64)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> Page[TemplateSummary]:
    """The shared catalog and the tenant's own templates."""
    return await service.list_templates(session=session, category=category, query=q, page=page)


@router.get("/{template_id}", response_model=TemplateDetail)
async def get_template(
    template_id: uuid.UUID, caller: CurrentCaller, session: TenantSession
) -> TemplateDetail:
    """A template with its definition, parameter schema, nodes and edges."""
    row = await service.get_template(session=session, template_id=template_id)
    return await service.detail(session=session, row=row)


@router.post("", response_model=TemplateDetail, status_code=201)
async def create_template(
    body: TemplateCreate, caller: CurrentCaller, session: TenantSession
) -> TemplateDetail:
    """Create a tenant template (it must instantiate with its default parameters)."""
    row = await service.create_template(session=session, caller=caller, data=body)
    return await service.detail(session=session, row=row)


@router.patch("/{template_id}", response_model=TemplateDetail)
async def update_template(
    template_id: uuid.UUID,
    body: TemplateUpdate,
    caller: CurrentCaller,
    session: TenantSession,
) -> TemplateDetail:
    """Change one of the tenant's own templates."""
    row = await service.get_template(session=session, template_id=template_id)
    row = await service.update_template(session=session, row=row, data=body)
    return await service.detail(session=session, row=row)


@router.delete("/{template_id}", status_code=204)
async def delete_template(
    template_id: uuid.UUID, caller: CurrentCaller, session: TenantSession
) -> Response:
    """Delete one of the tenant's own templates (409 while versions use it)."""
    row = await service.get_template(session=session, template_id=template_id)
    await service.delete_template(session=session, row=row)
    return Response(status_code=204)


@router.post("/{template_id}/instantiate", response_model=CompiledDefinition)
async def instantiate(
    template_id: uuid.UUID,
    body: InstantiateRequest,
    caller: CurrentCaller,
    session: TenantSession,
) -> CompiledDefinition:
    """The definition a template produces with these parameters (422 lists every problem)."""
    row = await service.get_template(session=session, template_id=template_id)
    definition, plan = instantiate_template(row, body.parameters, prefix="/body/parameters")
    return CompiledDefinition(definition=definition, plan_hash=plan.plan_hash)
