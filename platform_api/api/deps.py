"""Request dependencies: the caller, their tenant-scoped session, Temporal, settings.

Routes take these as ``Annotated`` parameters and never build sessions themselves.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel.ext.asyncio.session import AsyncSession
from temporalio.client import Client

from platform_api.api.state import AppServices
from platform_api.apikeys.keys import looks_like_key
from platform_api.apikeys.service import authenticate_key
from platform_api.auth.tokens import decode_token
from platform_api.errors import Forbidden, Unauthorized
from platform_api.models import Tenant, User
from platform_api.settings import Settings

bearer = HTTPBearer(auto_error=False, description="An access token (JWT) or an API key.")


@dataclass(frozen=True)
class Principal:
    """Who is calling, in which tenant, with which role."""

    user_id: uuid.UUID
    tenant_id: uuid.UUID
    role: str
    email: str
    # None for a logged-in user (the role decides); an API key's scopes otherwise.
    scopes: frozenset[str] | None = None

    def has_role(self, *roles: str) -> bool:
        """True when the caller holds one of ``roles`` (admins hold every role)."""
        return self.role == "admin" or self.role in roles

    def has_scope(self, scope: str) -> bool:
        """True when the credential allows ``scope`` (logged-in users: always)."""
        return self.scopes is None or scope in self.scopes


def get_services(request: Request) -> AppServices:
    """The process-wide services."""
    services: AppServices = request.app.state.services
    return services


ServicesDep = Annotated[AppServices, Depends(get_services)]


def get_settings_dep(services: ServicesDep) -> Settings:
    """The settings the app was built with."""
    return services.settings


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


async def get_principal(
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """Authenticate the bearer token and check the account is still in good standing."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("missing bearer token")
    if looks_like_key(credentials.credentials):
        key_user, scopes = await authenticate_key(
            database=services.database, token=credentials.credentials
        )
        return Principal(
            user_id=key_user.id,
            tenant_id=key_user.tenant_id,
            role=key_user.role,
            email=key_user.email,
            scopes=frozenset(scopes),
        )
    claims = decode_token(services.settings, credentials.credentials, "access")
    async with services.database.tenant_session(claims.tenant_id) as session:
        user = await session.get(User, claims.user_id)
        tenant = await session.get(Tenant, claims.tenant_id)
    if user is None or tenant is None or user.tenant_id != claims.tenant_id:
        raise Unauthorized("unknown account")
    if user.token_version != claims.token_version:
        raise Unauthorized("token revoked")
    if user.status != "active" or tenant.status != "active":
        raise Unauthorized("account or tenant is not active")
    return Principal(user_id=user.id, tenant_id=user.tenant_id, role=user.role, email=user.email)


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


async def get_tenant_session(
    services: ServicesDep, principal: CurrentPrincipal
) -> AsyncIterator[AsyncSession]:
    """A session in one transaction scoped to the caller's tenant (RLS)."""
    async with services.database.tenant_session(principal.tenant_id) as session:
        yield session


TenantSession = Annotated[AsyncSession, Depends(get_tenant_session)]


async def get_temporal(services: ServicesDep) -> Client:
    """The Temporal client."""
    return await services.temporal()


TemporalDep = Annotated[Client, Depends(get_temporal)]


def require_scope(scope: str) -> Any:
    """A dependency that refuses API keys without ``scope`` (users pass: roles decide)."""

    async def _check(principal: CurrentPrincipal) -> Principal:
        if not principal.has_scope(scope):
            raise Forbidden(f"this API key lacks the scope {scope!r}")
        return principal

    return Depends(_check)


def require_role(*roles: str) -> Any:
    """A dependency that lets through only callers holding one of ``roles``."""

    async def _check(principal: CurrentPrincipal) -> Principal:
        if not principal.has_role(*roles):
            raise Forbidden(f"requires one of the roles: {', '.join(roles)}")
        return principal

    return Depends(_check)  # FastAPI types Depends(...) as Any, for use as a default
