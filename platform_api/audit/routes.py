"""Audit log route: tenant admins page through their tenant's recorded requests."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from platform_api.api.deps import CurrentCaller, TenantSession
from platform_api.api.pagination import page_params
from platform_api.audit import service
from platform_api.audit.schemas import AuditFilters, AuditLogPublic
from platform_api.errors import ValidationFailed
from platform_api.paging import Page, PageParams

router = APIRouter(prefix="/api/v1/audit-logs", tags=["tenancy"])
# Who may call it: platform_api/access/rules.py.
# PostgreSQL text cannot hold NUL; control characters never appear in recorded values.
PRINTABLE = r"^[^\x00-\x1f]*$"


def _utc(moment: datetime | None, name: str) -> datetime | None:
    # A naive time is read as UTC; one at the edge of the calendar may not convert.
    if moment is None:
        return None
    try:
        return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    except OverflowError as exc:
        raise ValidationFailed(
            f"{name} is out of range",
            errors=[{"path": f"/query/{name}", "message": "not a representable UTC time"}],
        ) from exc


@router.get("", response_model=Page[AuditLogPublic])
async def list_audit_logs(
    caller: CurrentCaller,
    session: TenantSession,
    page: Annotated[PageParams, Depends(page_params)],
    actor_id: Annotated[
        uuid.UUID | None, Query(description="A user or API key (a user's keys included).")
    ] = None,
    actor_type: Annotated[str | None, Query(pattern="^(user|api_key)$")] = None,
    action: Annotated[
        str | None,
        Query(max_length=100, pattern=PRINTABLE, description="e.g. POST /api/v1/chats"),
    ] = None,
    target_type: Annotated[str | None, Query(max_length=64, pattern=PRINTABLE)] = None,
    target_id: Annotated[str | None, Query(max_length=255, pattern=PRINTABLE)] = None,
    outcome: Annotated[str | None, Query(pattern="^(success|denied|failed)$")] = None,
    request_id: Annotated[str | None, Query(max_length=64, pattern=PRINTABLE)] = None,
    since: Annotated[datetime | None, Query(description="ISO time, inclusive.")] = None,
    until: Annotated[datetime | None, Query(description="ISO time, exclusive.")] = None,
) -> Page[AuditLogPublic]:
    """The tenant's state-changing requests, newest first, filtered and paged."""
    filters = AuditFilters(
        actor_id=actor_id,
        actor_type=actor_type,
        action=action,
        target_type=target_type,
        target_id=target_id,
        outcome=outcome,
        request_id=request_id,
        since=_utc(since, "since"),
        until=_utc(until, "until"),
    )
    return await service.search(
        session=session, tenant_id=caller.tenant_id, filters=filters, page=page
    )
