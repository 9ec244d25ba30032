"""Sign-in with the tenant's identity provider (OpenID Connect, authorization code + PKCE).

The web UI starts a sign-in (``POST …/{tenant_slug}/start``: a JSON answer with the
provider's authorization URL, plus a short-lived HttpOnly cookie binding the attempt to
this browser), sends the browser there, and on the way back its callback page hands the
code and state to ``POST …/callback``, which answers our own token pair, exactly like a
password login: tokens never travel in a URL.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Cookie, Path, Request, Response
from pydantic import BaseModel

from platform_api.api.deps import ServicesDep
from platform_api.auth import oidc_service
from platform_api.auth.oidc_schemas import OidcCallback
from platform_api.auth.schemas import TokenPair
from platform_core.crypto import key_ring_from_settings
from platform_core.outbound import OutboundPolicy

router = APIRouter(prefix="/api/auth/oidc", tags=["auth"])
TenantSlug = Annotated[str, Path(min_length=1, max_length=100)]


class OidcStarted(BaseModel):
    """Where to send the browser next."""

    authorization_url: str


@router.post("/{tenant_slug}/start", response_model=OidcStarted)
async def start_sign_in(
    tenant_slug: TenantSlug, request: Request, response: Response, services: ServicesDep
) -> OidcStarted:
    """Start signing in to a tenant with its identity provider (state, nonce, PKCE S256)."""
    started = await oidc_service.start(
        database=services.database,
        settings=services.settings,
        policy=OutboundPolicy.from_settings(services.settings),
        tenant_name=tenant_slug,
        base_url=str(request.base_url),
    )
    response.set_cookie(
        oidc_service.STATE_COOKIE,
        started.cookie,
        max_age=int(oidc_service.ATTEMPT_LIFETIME.total_seconds()),
        path=oidc_service.COOKIE_PATH,
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="lax",
    )
    return OidcStarted(authorization_url=started.authorization_url)


@router.post("/callback", response_model=TokenPair, responses={401: {}, 403: {}})
async def finish_sign_in(
    body: OidcCallback,
    response: Response,
    services: ServicesDep,
    agentpaas_oidc: Annotated[str | None, Cookie(include_in_schema=False)] = None,
) -> TokenPair:
    """Finish signing in: the provider's code and our state for a token pair (once)."""
    pair = await oidc_service.complete(
        database=services.database,
        settings=services.settings,
        ring=key_ring_from_settings(services.settings),
        policy=OutboundPolicy.from_settings(services.settings),
        cookie=agentpaas_oidc,
        state=body.state,
        code=body.code,
    )
    response.delete_cookie(oidc_service.STATE_COOKIE, path=oidc_service.COOKIE_PATH)
    return pair
