"""The tenant_quotas row, locked for the transaction that checks a limit against it."""

from __future__ import annotations

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.models import TenantQuota


async def locked_quota(session: AsyncSession, tenant_id: uuid.UUID) -> TenantQuota:
    """The tenant's quota row (created with defaults if missing), ``FOR UPDATE``.

    Holding the row lock serialises every check-then-write against the same limit,
    so two concurrent requests cannot both take the last free place.
    """
    quota = await session.get(TenantQuota, tenant_id, with_for_update=True)
    if quota is None:
        session.add(TenantQuota(tenant_id=tenant_id))
        await session.flush()
        quota = await session.get(
            TenantQuota, tenant_id, with_for_update=True, populate_existing=True
        )
    assert quota is not None  # added just above if it was missing
    return quota
