"""Auth routes: login, login with a tenant, refresh, me."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from platform_api.api.deps import CurrentCaller, ServicesDep, TenantSession
from platform_api.auth import service
from platform_api.auth.schemas import (
    LoginRequest,
    LoginWithTenantRequest,
    MeResponse,
    PasswordChange,
    RefreshRequest,
    TenantSelectionRequired,
    TokenPair,
)
from platform_api.errors import Forbidden

router = APIRouter(prefix="/api/auth", tags=["auth"])


def client_ip(request: Request) -> str:
    """The address login throttling counts against (the direct peer; proxies set it)."""
    return request.client.host if request.client else "unknown"


@router.post(
    "/login",
    response_model=TokenPair,
    responses={202: {"model": TenantSelectionRequired}, 401: {}, 429: {}},
)
async def login(
    body: LoginRequest, request: Request, services: ServicesDep
) -> TokenPair | JSONResponse:
    """Log in with email and password; 202 with tenant choices if the email is in several."""
    candidates = await service.authenticate(
        database=services.database,
        settings=services.settings,
        email=body.email,
        password=body.password,
        tenant=None,
        client_ip=client_ip(request),
    )
    if len(candidates) > 1:
        choice = TenantSelectionRequired(tenants=service.tenant_choices(candidates))
        return JSONResponse(choice.model_dump(mode="json"), status_code=202)
    return await service.login(
        database=services.database, settings=services.settings, candidate=candidates[0]
    )


@router.post("/login-with-tenant", response_model=TokenPair)
async def login_with_tenant(
    body: LoginWithTenantRequest, request: Request, services: ServicesDep
) -> TokenPair:
    """Log in to one named tenant (after a 202 from /login)."""
    candidates = await service.authenticate(
        database=services.database,
        settings=services.settings,
        email=body.email,
        password=body.password,
        tenant=body.tenant,
        client_ip=client_ip(request),
    )
    return await service.login(
        database=services.database, settings=services.settings, candidate=candidates[0]
    )


@router.post("/refresh", response_model=TokenPair)
async def refresh(body: RefreshRequest, services: ServicesDep) -> TokenPair:
    """Exchange a refresh token for a new pair (the old one is spent)."""
    return await service.refresh(
        database=services.database, settings=services.settings, refresh_token=body.refresh_token
    )


@router.get("/me", response_model=MeResponse)
async def me(caller: CurrentCaller, session: TenantSession) -> MeResponse:
    """The caller's account and tenant."""
    user, tenant = await service.account_of(session=session, caller=caller)
    return MeResponse(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        role=user.role,
        tenant_id=tenant.id,
        tenant_name=tenant.name,
        tenant_display_name=tenant.display_name,
        platform_admin=caller.platform_admin,
    )


@router.post("/logout", status_code=204)
async def logout(body: RefreshRequest, services: ServicesDep) -> Response:
    """End this login: its refresh token (and every rotation of it) stops working."""
    await service.logout(
        database=services.database, settings=services.settings, refresh_token=body.refresh_token
    )
    return Response(status_code=204)


@router.post("/logout-all", status_code=204)
async def logout_everywhere(caller: CurrentCaller, session: TenantSession) -> Response:
    """Log out everywhere: every access and refresh token of the caller is revoked."""
    await service.logout_everywhere(session=session, user_id=caller.user_id)
    return Response(status_code=204)


@router.post("/password", response_model=TokenPair)
async def change_password(
    body: PasswordChange, request: Request, caller: CurrentCaller, services: ServicesDep
) -> TokenPair:
    """Change your password (current one required); all other sessions end, a new pair returns."""
    if caller.scopes is not None:
        raise Forbidden("API keys cannot change passwords; log in to do that")
    return await service.change_password(
        database=services.database,
        settings=services.settings,
        user_id=caller.user_id,
        tenant_id=caller.tenant_id,
        current_password=body.current_password,
        new_password=body.new_password,
        client_ip=client_ip(request),
    )
