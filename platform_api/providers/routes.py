"""Provider and service-config routes, for tenant admins; credentials are write-only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response

from platform_api.api.deps import CurrentCaller, ServicesDep, SettingsDep, TenantSession
from platform_api.api.pagination import page_params
from platform_api.paging import Page, PageParams
from platform_api.providers import probe, service
from platform_api.providers.schemas import (
    ProviderCreate,
    ProviderPublic,
    ProviderUpdate,
    ServiceConfigCreate,
    ServiceConfigPublic,
    ServiceConfigTestResult,
    ServiceConfigUpdate,
)
from platform_core.crypto import key_ring_from_settings
from platform_core.outbound import OutboundPolicy

router = APIRouter(prefix="/api/v1", tags=["providers"])
# Integer keys (SERIAL): ids outside int4 are invalid input (422), never a database error.
RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]


@router.get("/providers", response_model=Page[ProviderPublic])
async def list_providers(
    caller: CurrentCaller,
    session: TenantSession,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[ProviderPublic]:
    """The tenant's model providers."""
    rows, total = await service.get_all_providers(session=session, page=page)
    return Page(
        items=[ProviderPublic.model_validate(r) for r in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.post("/providers", response_model=ProviderPublic, status_code=201)
async def create_provider(
    body: ProviderCreate, caller: CurrentCaller, session: TenantSession, settings: SettingsDep
) -> ProviderPublic:
    """Add a provider: OpenAI, Anthropic, Zhipu GLM or any OpenAI-compatible server."""
    row = await service.create_provider(
        session=session,
        tenant_id=caller.tenant_id,
        data=body,
        policy=OutboundPolicy.from_settings(settings),
    )
    return ProviderPublic.model_validate(row)


@router.get("/providers/{provider_id}", response_model=ProviderPublic)
async def get_provider(
    provider_id: RowId, caller: CurrentCaller, session: TenantSession
) -> ProviderPublic:
    """One provider."""
    row = await service.get_provider_or_raise(session=session, provider_id=provider_id)
    return ProviderPublic.model_validate(row)


@router.patch("/providers/{provider_id}", response_model=ProviderPublic)
async def update_provider(
    provider_id: RowId,
    body: ProviderUpdate,
    caller: CurrentCaller,
    session: TenantSession,
    settings: SettingsDep,
) -> ProviderPublic:
    """Change a provider's display name, base URL, description or status."""
    row = await service.get_provider_or_raise(session=session, provider_id=provider_id)
    row = await service.update_provider(
        session=session, row=row, data=body, policy=OutboundPolicy.from_settings(settings)
    )
    return ProviderPublic.model_validate(row)


@router.delete("/providers/{provider_id}", status_code=204)
async def delete_provider(
    provider_id: RowId, caller: CurrentCaller, session: TenantSession
) -> Response:
    """Delete a provider and its service configs."""
    row = await service.get_provider_or_raise(session=session, provider_id=provider_id)
    await service.delete_provider(session=session, row=row)
    return Response(status_code=204)


@router.get("/service-configs", response_model=Page[ServiceConfigPublic])
async def list_service_configs(
    caller: CurrentCaller,
    session: TenantSession,
    page: Annotated[PageParams, Depends(page_params)],
    provider_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
) -> Page[ServiceConfigPublic]:
    """The tenant's service configs (credentials shown only as a masked hint)."""
    rows, total = await service.get_all_configs(session=session, page=page, provider_id=provider_id)
    return Page(
        items=[service.config_public(r) for r in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.post("/service-configs", response_model=ServiceConfigPublic, status_code=201)
async def create_service_config(
    body: ServiceConfigCreate,
    caller: CurrentCaller,
    session: TenantSession,
    settings: SettingsDep,
) -> ServiceConfigPublic:
    """Add a model of a provider; ``api_key`` is sealed with SM4 and never returned."""
    row = await service.create_config(
        session=session,
        ring=key_ring_from_settings(settings),
        tenant_id=caller.tenant_id,
        data=body,
    )
    return service.config_public(row)


@router.get("/service-configs/{config_id}", response_model=ServiceConfigPublic)
async def get_service_config(
    config_id: RowId, caller: CurrentCaller, session: TenantSession
) -> ServiceConfigPublic:
    """One service config."""
    row = await service.get_config_or_raise(session=session, config_id=config_id)
    return service.config_public(row)


@router.post("/service-configs/{config_id}/test", response_model=ServiceConfigTestResult)
async def test_service_config(
    config_id: RowId, caller: CurrentCaller, session: TenantSession, services: ServicesDep
) -> ServiceConfigTestResult:
    """Make one tiny call through the config (on a worker) and say how it went."""
    await service.get_config_or_raise(session=session, config_id=config_id)  # 404 if not ours
    return await probe.test_connection(
        client=await services.temporal(),
        settings=services.settings,
        tenant_id=caller.tenant_id,
        config_id=config_id,
    )


@router.patch("/service-configs/{config_id}", response_model=ServiceConfigPublic)
async def update_service_config(
    config_id: RowId,
    body: ServiceConfigUpdate,
    caller: CurrentCaller,
    session: TenantSession,
    settings: SettingsDep,
) -> ServiceConfigPublic:
    """Change a service config; a new ``api_key`` replaces the stored one."""
    row = await service.get_config_or_raise(session=session, config_id=config_id)
    row = await service.update_config(
        session=session, ring=key_ring_from_settings(settings), row=row, data=body
    )
    return service.config_public(row)


@router.delete("/service-configs/{config_id}", status_code=204)
async def delete_service_config(
    config_id: RowId, caller: CurrentCaller, session: TenantSession
) -> Response:
    """Delete a service config (runs of versions bound to it are refused from then on)."""
    row = await service.get_config_or_raise(session=session, config_id=config_id)
    await service.delete_config(session=session, row=row)
    return Response(status_code=204)
