"""The tenant admin's identity-provider settings; the client secret is write-only."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from platform_api.api.deps import CurrentCaller, SettingsDep, TenantSession
from platform_api.auth import oidc_settings
from platform_api.auth.oidc_schemas import IdentityProviderPublic, IdentityProviderSettings
from platform_core.crypto import key_ring_from_settings
from platform_core.outbound import OutboundPolicy

router = APIRouter(prefix="/api/v1/tenant", tags=["tenancy"])


@router.get("/identity-provider", response_model=IdentityProviderPublic)
async def get_identity_provider(
    request: Request, caller: CurrentCaller, session: TenantSession
) -> IdentityProviderPublic:
    """The tenant's identity provider (404 when none is configured)."""
    row = await oidc_settings.get_or_raise(session=session, tenant_id=caller.tenant_id)
    return oidc_settings.public(row, base_url=str(request.base_url))


@router.put("/identity-provider", response_model=IdentityProviderPublic)
async def put_identity_provider(
    body: IdentityProviderSettings,
    request: Request,
    caller: CurrentCaller,
    session: TenantSession,
    settings: SettingsDep,
) -> IdentityProviderPublic:
    """Configure sign-in with an OpenID Connect provider (a secret left out is kept)."""
    row = await oidc_settings.put(
        session=session,
        tenant_id=caller.tenant_id,
        data=body,
        ring=key_ring_from_settings(settings),
        policy=OutboundPolicy.from_settings(settings),
    )
    return oidc_settings.public(row, base_url=str(request.base_url))


@router.delete("/identity-provider", status_code=204)
async def delete_identity_provider(caller: CurrentCaller, session: TenantSession) -> Response:
    """Remove the identity provider; password login works again."""
    await oidc_settings.delete(session=session, tenant_id=caller.tenant_id)
    return Response(status_code=204)
