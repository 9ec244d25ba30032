"""Usage route: tenant admins see each quota's limit, use and reset time."""

from __future__ import annotations

from fastapi import APIRouter

from platform_api.api.deps import CurrentCaller, TenantSession
from platform_api.quotas import service as usage
from platform_api.quotas.schemas import UsageReport

router = APIRouter(prefix="/api/v1/usage", tags=["tenancy"])
# Who may call it: platform_api/access/rules.py.


@router.get("", response_model=UsageReport)
async def get_usage(caller: CurrentCaller, session: TenantSession) -> UsageReport:
    """The tenant's quotas: limit, used, remaining and when each resets."""
    return await usage.report(session=session, tenant_id=caller.tenant_id)
