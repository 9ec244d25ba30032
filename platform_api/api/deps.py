"""Request dependencies: the caller, their tenant-scoped session, Temporal, settings.

Routes take these as ``Annotated`` parameters and never build sessions themselves.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel.ext.asyncio.session import AsyncSession
from temporalio.client import Client

from platform_api.api.state import AppServices
from platform_api.apikeys.keys import looks_like_key
from platform_api.apikeys.service import authenticate_key_row
from platform_api.auth.caller import Caller
from platform_api.auth.service import caller_account
from platform_api.auth.tokens import decode_token
from platform_api.errors import Unauthorized
from platform_api.executions.launcher import RunLauncher
from platform_core.settings import Settings

bearer = HTTPBearer(auto_error=False, description="An access token (JWT) or an API key.")


def get_services(request: Request) -> AppServices:
    """The process-wide services."""
    services: AppServices = request.app.state.services
    return services


ServicesDep = Annotated[AppServices, Depends(get_services)]


def get_settings_dep(services: ServicesDep) -> Settings:
    """The settings the app was built with."""
    return services.settings


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


async def get_caller(
    request: Request,
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Caller:
    """Authenticate the bearer token and check the account is still in good standing.

    The caller is also left on ``request.state.caller`` for middleware that
    reports per caller (audit, rate limits).
    """
    caller = await _authenticate(services, credentials)
    request.state.caller = caller
    return caller


async def _authenticate(
    services: AppServices, credentials: HTTPAuthorizationCredentials | None
) -> Caller:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("missing bearer token")
    if looks_like_key(credentials.credentials):
        key_user, key = await authenticate_key_row(
            database=services.database, token=credentials.credentials
        )
        # Keys never carry platform administration: that takes a person, logged in.
        return Caller(
            user_id=key_user.id,
            tenant_id=key_user.tenant_id,
            role=key_user.role,
            email=key_user.email,
            scopes=frozenset(key.scopes),
            api_key_id=key.id,
        )
    claims = decode_token(services.settings, credentials.credentials, "access")
    account = await caller_account(
        database=services.database, tenant_id=claims.tenant_id, user_id=claims.user_id
    )
    if account is None:
        raise Unauthorized("unknown account")
    if account.token_version != claims.token_version:
        raise Unauthorized("token revoked")
    if account.status != "active" or account.tenant_status != "active":
        raise Unauthorized("account or tenant is not active")
    return Caller(
        user_id=account.user_id,
        tenant_id=account.tenant_id,
        role=account.role,
        email=account.email,
        platform_admin=(
            account.role == "admin" and account.tenant_name == services.settings.platform_tenant
        ),
        token_version=account.token_version,
    )


CurrentCaller = Annotated[Caller, Depends(get_caller)]


async def get_tenant_session(
    services: ServicesDep, caller: CurrentCaller
) -> AsyncIterator[AsyncSession]:
    """A session in one transaction scoped to the caller's tenant (RLS)."""
    async with services.database.tenant_session(caller.tenant_id) as session:
        yield session


# scope="function": the transaction commits when the route returns, before the response
# is sent. FastAPI's default ("request") would commit after the response went out: a
# client could get a 201 for a row whose commit then failed (the database went away),
# and the failure, coming after the response had started, could only drop the connection.
TenantSession = Annotated[AsyncSession, Depends(get_tenant_session, scope="function")]


async def get_temporal(services: ServicesDep) -> Client:
    """The Temporal client."""
    return await services.temporal()


TemporalDep = Annotated[Client, Depends(get_temporal)]


async def get_launcher(services: ServicesDep, temporal: TemporalDep) -> RunLauncher:
    """The run launcher every route that starts a run uses."""
    return RunLauncher(client=temporal, database=services.database, settings=services.settings)


LauncherDep = Annotated[RunLauncher, Depends(get_launcher)]
