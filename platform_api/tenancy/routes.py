"""Tenant routes (platform admins) and user routes (tenant admins)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from platform_api.access.rules import platform_admin_refusal
from platform_api.api.deps import (
    CurrentCaller,
    ServicesDep,
    TenantSession,
)
from platform_api.api.pagination import page_params
from platform_api.auth.caller import Caller
from platform_api.errors import Forbidden
from platform_api.paging import Page, PageParams
from platform_api.quotas.budgets.service import wake_after_quota_change
from platform_api.tenancy import tenants, users
from platform_api.tenancy.schemas import (
    TenantCreate,
    TenantPublic,
    TenantStatus,
    TenantUpdate,
    UserCreate,
    UserPublic,
    UserRole,
    UserStatus,
    UserUpdate,
)
from platform_core.models import User


async def require_platform_admin(caller: CurrentCaller) -> Caller:
    """Only admins of the platform tenant, logged in (not with an API key), pass.

    The access rules already say so for these paths; routes that reach across tenants
    check the same rule again, so a mistake in the table cannot open them.
    """
    reason = platform_admin_refusal(caller)
    if reason is not None:
        raise Forbidden(reason)
    return caller


PlatformAdmin = Annotated[Caller, Depends(require_platform_admin)]

platform_router = APIRouter(prefix="/api/v1/platform/tenants", tags=["platform"])
# Who may call what: platform_api/access/rules.py. The platform routes keep a
# second lock of their own because they reach across tenants.
users_router = APIRouter(prefix="/api/v1/users", tags=["users"])


@platform_router.get("", response_model=Page[TenantPublic])
async def list_tenants(
    _: PlatformAdmin,
    services: ServicesDep,
    page: Annotated[PageParams, Depends(page_params)],
    status: TenantStatus | None = None,
) -> Page[TenantPublic]:
    """All tenants, oldest first, optionally of one status."""
    return await tenants.get_all(database=services.database, page=page, status=status)


@platform_router.post("", response_model=TenantPublic, status_code=201)
async def create_tenant(
    body: TenantCreate, _: PlatformAdmin, services: ServicesDep
) -> TenantPublic:
    """Create a tenant with its quotas and first admin, all or nothing."""
    return await tenants.create(database=services.database, settings=services.settings, data=body)


@platform_router.get("/{tenant_id}", response_model=TenantPublic)
async def get_tenant(tenant_id: uuid.UUID, _: PlatformAdmin, services: ServicesDep) -> TenantPublic:
    """One tenant with its quotas and usage."""
    return await tenants.get_or_raise(database=services.database, tenant_id=tenant_id)


@platform_router.patch("/{tenant_id}", response_model=TenantPublic)
async def update_tenant(
    tenant_id: uuid.UUID, body: TenantUpdate, _: PlatformAdmin, services: ServicesDep
) -> TenantPublic:
    """Change plan, status (active/suspended/deleted), settings or quota limits."""
    updated = await tenants.update(
        database=services.database, settings=services.settings, tenant_id=tenant_id, data=body
    )
    if body.quotas is not None:  # committed: runs waiting for the quota try it again
        await wake_after_quota_change(services=services, tenant_id=tenant_id)
    return updated


@platform_router.delete("/{tenant_id}", status_code=204)
async def delete_tenant(tenant_id: uuid.UUID, _: PlatformAdmin, services: ServicesDep) -> Response:
    """Soft-delete a tenant: status ``deleted``; its users and keys stop working at once."""
    await tenants.update(
        database=services.database,
        settings=services.settings,
        tenant_id=tenant_id,
        data=TenantUpdate(status="deleted"),
    )
    return Response(status_code=204)


@users_router.get("", response_model=Page[UserPublic])
async def list_users(
    session: TenantSession,
    page: Annotated[PageParams, Depends(page_params)],
    q: Annotated[str | None, Query(max_length=200, description="Part of email or name.")] = None,
    role: UserRole | None = None,
    status: UserStatus | None = None,
) -> Page[UserPublic]:
    """Users of the tenant, by email; search with ``q``."""
    return await users.get_all(session=session, page=page, q=q, role=role, status=status)


@users_router.post("", response_model=UserPublic, status_code=201)
async def create_user(
    body: UserCreate, caller: CurrentCaller, session: TenantSession, services: ServicesDep
) -> User:
    """Create a user with an initial password; 429 when the user quota is used up."""
    return await users.create(
        session=session, settings=services.settings, tenant_id=caller.tenant_id, data=body
    )


@users_router.get("/{user_id}", response_model=UserPublic)
async def get_user(user_id: uuid.UUID, session: TenantSession) -> User:
    """One user of the tenant."""
    return await users.get_or_raise(session=session, user_id=user_id)


@users_router.patch("/{user_id}", response_model=UserPublic)
async def update_user(
    user_id: uuid.UUID, body: UserUpdate, caller: CurrentCaller, session: TenantSession
) -> User:
    """Change role, status or name; a role or status change ends the user's sessions."""
    return await users.update_user(
        session=session, tenant_id=caller.tenant_id, user_id=user_id, data=body
    )


@users_router.delete("/{user_id}", status_code=204)
async def deactivate_user(
    user_id: uuid.UUID, caller: CurrentCaller, session: TenantSession
) -> Response:
    """Deactivate a user (status ``suspended``): history stays, every credential stops."""
    await users.update_user(
        session=session,
        tenant_id=caller.tenant_id,
        user_id=user_id,
        data=UserUpdate(status="suspended"),
    )
    return Response(status_code=204)
