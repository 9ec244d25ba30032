"""The audit log as tenant admins read it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel


class AuditLogPublic(BaseModel):
    """One recorded request."""

    id: uuid.UUID
    actor_id: uuid.UUID | None
    actor_type: str
    action: str
    target_type: str | None
    target_id: str | None
    outcome: str
    status_code: int | None
    request_id: str | None
    ip_address: str | None
    details: dict[str, Any]
    created_at: datetime


class AuditFilters(BaseModel):
    """Validated query filters of the audit log."""

    actor_id: uuid.UUID | None = None
    actor_type: str | None = None
    action: str | None = None
    target_type: str | None = None
    target_id: str | None = None
    outcome: str | None = None
    request_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
