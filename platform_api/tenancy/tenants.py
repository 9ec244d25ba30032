"""Platform administration of tenants: list, create (with a first admin), get, update.

The ``tenants`` policy shows a transaction only its own tenant, so each operation
on one tenant runs in that tenant's transaction (creation included: the new id is
chosen first). Listing across tenants goes through the one security-definer
function made for it; the routes let only platform admins reach any of this.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.auth.password_policy import check_password_policy
from platform_api.auth.passwords import hash_password
from platform_api.errors import Conflict, NotFound
from platform_api.paging import Page, PageParams, page_of
from platform_api.quotas.service import locked_quota
from platform_api.tenancy.schemas import (
    QuotaLimits,
    QuotaPublic,
    TenantCreate,
    TenantPublic,
    TenantUpdate,
)
from platform_core.db import Database
from platform_core.models import Tenant, TenantQuota, User
from platform_core.settings import Settings


async def get_all(
    *, database: Database, page: PageParams, status: str | None
) -> Page[TenantPublic]:
    """Tenants in creation order, optionally of one status."""
    async with database.system_session() as session:
        rows = (
            await session.execute(
                text("SELECT * FROM agentpaas_list_tenants(:status, :limit, :offset)"),
                {"status": status, "limit": page.limit, "offset": page.offset},
            )
        ).all()
        total = rows[0].total if rows else await _count(session, status)
    return page_of(rows, int(total), page, lambda r: TenantPublic.model_validate(dict(r._mapping)))


async def _count(session: AsyncSession, status: str | None) -> int:
    # Past the last page the listing has no row to carry the total.
    rows = await session.execute(
        text("SELECT count(*) FROM agentpaas_list_tenants(:status, 2147483647, 0)"),
        {"status": status},
    )
    return int(rows.scalar_one())


async def create(*, database: Database, settings: Settings, data: TenantCreate) -> TenantPublic:
    """The tenant, its quotas and its first admin, all or nothing."""
    check_password_policy(data.admin.password, email=data.admin.email, field="admin/password")
    password_hash = await hash_password(data.admin.password, settings.bcrypt_rounds)
    tenant_id = uuid.uuid4()
    try:
        async with database.tenant_session(tenant_id) as session:
            tenant = Tenant(
                id=tenant_id,
                name=data.name,
                display_name=data.display_name,
                plan=data.plan,
                settings=data.settings,
            )
            session.add(tenant)
            await session.flush()
            quota = TenantQuota(tenant_id=tenant_id)
            _apply_limits(quota, data.quotas)
            session.add(quota)
            session.add(
                User(
                    tenant_id=tenant_id,
                    email=str(data.admin.email),
                    display_name=data.admin.display_name,
                    password_hash=password_hash,
                    role="admin",
                )
            )
            await session.flush()
            return _public(tenant, quota)
    except IntegrityError as exc:
        raise Conflict(f"a tenant named {data.name!r} already exists") from exc


async def get_or_raise(*, database: Database, tenant_id: uuid.UUID) -> TenantPublic:
    """One tenant with its quotas; 404 if there is none."""
    async with database.tenant_session(tenant_id) as session:
        tenant = await session.get(Tenant, tenant_id)
        if tenant is None:
            raise NotFound("tenant not found")
        return _public(tenant, await session.get(TenantQuota, tenant_id))


async def update(
    *, database: Database, settings: Settings, tenant_id: uuid.UUID, data: TenantUpdate
) -> TenantPublic:
    """Change plan, status, settings or limits; suspension takes effect on the next request."""
    async with database.tenant_session(tenant_id) as session:
        tenant = await session.get(Tenant, tenant_id, with_for_update=True)
        if tenant is None:
            raise NotFound("tenant not found")
        if data.status not in (None, "active") and tenant.name == settings.platform_tenant:
            # Suspending the platform tenant would lock every platform admin out.
            raise Conflict("the platform tenant cannot be suspended or deleted")
        for field in ("display_name", "plan", "status", "settings"):
            value = getattr(data, field)
            if value is not None:
                setattr(tenant, field, value)
        tenant.updated_at = datetime.now(UTC)
        session.add(tenant)
        quota = await locked_quota(session, tenant_id)
        if data.quotas is not None:
            _apply_limits(quota, data.quotas)
            session.add(quota)
        await session.flush()
        return _public(tenant, quota)


def _apply_limits(quota: TenantQuota, limits: QuotaLimits) -> None:
    for field, value in limits.model_dump(exclude_none=True).items():
        setattr(quota, field, value)


def _public(tenant: Tenant, quota: TenantQuota | None) -> TenantPublic:
    public = TenantPublic.model_validate(tenant, from_attributes=True)
    if quota is not None:
        public.quotas = QuotaPublic.model_validate(quota, from_attributes=True)
    return public
