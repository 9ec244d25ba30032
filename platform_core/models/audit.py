"""The audit log of state-changing requests."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from platform_core.models.base import created_at, jsonb, tenant_fk, uuid_pk


class AuditLog(SQLModel, table=True):
    """Who did what to which target, with what outcome, under which request id."""

    __tablename__ = "audit_logs"
    __table_args__ = (
        Index("ix_audit_logs_tenant_created", "tenant_id", "created_at"),
        # The audit log narrowed by action and outcome (migration 0014, issue 20).
        Index(
            "ix_audit_logs_tenant_action_outcome", "tenant_id", "action", "outcome", "created_at"
        ),
    )

    id: uuid.UUID = uuid_pk()
    tenant_id: uuid.UUID = tenant_fk()
    actor_id: uuid.UUID | None = Field(default=None, index=True)
    actor_type: str = Field(default="user", max_length=20)
    action: str = Field(max_length=100)
    target_type: str | None = Field(default=None, max_length=64)
    target_id: str | None = Field(default=None, max_length=255)
    outcome: str = Field(default="success", max_length=20)
    status_code: int | None = Field(default=None)
    request_id: str | None = Field(default=None, max_length=64)
    ip_address: str | None = Field(default=None, max_length=64)
    details: dict[str, Any] = jsonb()
    created_at: datetime = created_at()
