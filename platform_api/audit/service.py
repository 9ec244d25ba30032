"""Writing and reading audit rows (always inside the row's own tenant: RLS applies)."""

from __future__ import annotations

import json
import uuid

from sqlalchemy import or_, select, text
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.audit.entries import AuditEntry
from platform_api.audit.schemas import AuditFilters, AuditLogPublic
from platform_api.paging import Page, PageParams, page_of, paginate
from platform_core.db import Database
from platform_core.models import AuditLog

# One row in the tenant the statement names (migration 0023): no transaction around it.
_RECORD = text(
    "SELECT agentpaas_record_audit_as(CAST(:tenant AS uuid), CAST(:actor AS uuid), "
    ":actor_type, :action, :target_type, :target_id, :outcome, "
    "CAST(:status AS integer), :request_id, :ip, CAST(:details AS jsonb))"
)


async def record(database: Database, entry: AuditEntry) -> None:
    """Append one row, as one statement committed on its own (one round trip)."""
    async with database.autocommit() as conn:
        await conn.execute(
            _RECORD,
            {
                "tenant": entry.tenant_id,
                "actor": entry.actor_id,
                "actor_type": entry.actor_type,
                "action": entry.action,
                "target_type": entry.target_type,
                "target_id": entry.target_id,
                "outcome": entry.outcome,
                "status": entry.status_code,
                "request_id": entry.request_id,
                "ip": entry.ip_address,
                "details": json.dumps(entry.details or {}, ensure_ascii=False, default=str),
            },
        )


async def search(
    *, session: AsyncSession, tenant_id: uuid.UUID, filters: AuditFilters, page: PageParams
) -> Page[AuditLogPublic]:
    """The tenant's audit rows matching ``filters``, newest first."""
    conditions = [col(AuditLog.tenant_id) == tenant_id]
    if filters.actor_id is not None:
        # A user's rows include what their API keys did (their id is kept in details).
        conditions.append(
            or_(
                col(AuditLog.actor_id) == filters.actor_id,
                col(AuditLog.details)["user_id"].astext == str(filters.actor_id),
            )
        )
    if filters.actor_type:
        conditions.append(col(AuditLog.actor_type) == filters.actor_type)
    if filters.action:
        conditions.append(col(AuditLog.action) == filters.action)
    if filters.target_type:
        conditions.append(col(AuditLog.target_type) == filters.target_type)
    if filters.target_id:
        conditions.append(col(AuditLog.target_id) == filters.target_id)
    if filters.outcome:
        conditions.append(col(AuditLog.outcome) == filters.outcome)
    if filters.request_id:
        conditions.append(col(AuditLog.request_id) == filters.request_id)
    if filters.since is not None:
        conditions.append(col(AuditLog.created_at) >= filters.since)
    if filters.until is not None:
        conditions.append(col(AuditLog.created_at) < filters.until)
    rows, total = await paginate(
        session,
        select(AuditLog)
        .where(*conditions)
        .order_by(col(AuditLog.created_at).desc(), col(AuditLog.id).desc()),
        page,
    )
    return page_of(
        rows, total, page, lambda row: AuditLogPublic.model_validate(row, from_attributes=True)
    )
