"""Notifications: the in-app notification centre and per-tenant webhooks.

One ``Notification`` row per recipient user; it holds a ``kind`` and structured ``data``
(never rendered text, never secrets) so every client renders it in its own language.
A ``Webhook`` is a tenant's HTTPS endpoint subscribed to kinds; each event it is
subscribed to becomes one ``WebhookDelivery`` whose attempts a workflow records.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from platform_core.models.base import (
    created_at,
    jsonb,
    long_text,
    tenant_fk,
    text_array,
    timestamp,
    updated_at,
    uuid_pk,
)

EMAIL_STATUSES = ("pending", "sent", "skipped", "failed")
DELIVERY_STATUSES = ("pending", "retrying", "delivered", "failed", "cancelled")


class Notification(SQLModel, table=True):
    """One event as one user sees it: what happened (kind + data), where to go, read or not."""

    __tablename__ = "notifications"
    __table_args__ = (
        # One row per event and recipient: a retried writer adds nothing.
        UniqueConstraint("event_id", "user_id", name="uq_notifications_event_user"),
        Index("ix_notifications_user_created", "tenant_id", "user_id", "created_at"),
        # E-mails still waiting: what the stranded-notifications sweep looks for (0019).
        Index(
            "ix_notifications_pending_email",
            "tenant_id",
            "created_at",
            postgresql_where=text("email_status = 'pending'"),
        ),
        CheckConstraint(
            f"email_status IS NULL OR email_status IN {EMAIL_STATUSES}",
            name="ck_notifications_email_status",
        ),
    )

    id: uuid.UUID = uuid_pk()
    tenant_id: uuid.UUID = tenant_fk()
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE")
    event_id: uuid.UUID = Field(index=True)
    kind: str = Field(max_length=50)
    data: dict[str, Any] = jsonb()
    # An in-app path (``/chat/…``, ``/reviews/…``, ``/studio/agents/…``), never an outside URL.
    link: str | None = Field(default=None, max_length=500)
    # NULL: no e-mail wanted; otherwise where sending it stands.
    email_status: str | None = Field(default=None, max_length=20)
    created_at: datetime = created_at()
    read_at: datetime | None = timestamp()


class Webhook(SQLModel, table=True):
    """A tenant's endpoint for notification events; its signing secret is SM4-sealed."""

    __tablename__ = "webhooks"

    id: uuid.UUID = uuid_pk()
    tenant_id: uuid.UUID = tenant_fk()
    url: str = Field(max_length=2000)
    description: str | None = Field(default=None, max_length=200)
    # Envelope bound to this row (``webhooks/<tenant>/<id>``); HMAC needs the secret itself.
    secret: str = long_text(nullable=False)
    secret_hint: str = Field(max_length=32)
    events: list[str] = text_array()
    enabled: bool = Field(default=True)
    created_by: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = created_at()
    updated_at: datetime = updated_at()


class WebhookDelivery(SQLModel, table=True):
    """One event sent to one webhook: the payload and every attempt's outcome."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("event_id", "webhook_id", name="uq_webhook_deliveries_event_webhook"),
        Index("ix_webhook_deliveries_webhook_created", "webhook_id", "created_at"),
        Index(
            "ix_webhook_deliveries_pending",
            "tenant_id",
            "created_at",
            postgresql_where=text("status = 'pending'"),
        ),
        CheckConstraint(f"status IN {DELIVERY_STATUSES}", name="ck_webhook_deliveries_status"),
    )

    id: uuid.UUID = uuid_pk()
    tenant_id: uuid.UUID = tenant_fk()
    webhook_id: uuid.UUID = Field(foreign_key="webhooks.id", ondelete="CASCADE")
    event_id: uuid.UUID = Field(index=True)
    kind: str = Field(max_length=50)
    payload: dict[str, Any] = jsonb()
    status: str = Field(default="pending", max_length=20)
    attempts: int = Field(default=0)
    last_status_code: int | None = Field(default=None)
    last_error: str | None = Field(default=None, max_length=500)
    # [{attempt, at, status_code, error, duration_ms}] — one entry per attempt.
    attempt_log: list[dict[str, Any]] = jsonb(default=list)
    created_at: datetime = created_at()
    delivered_at: datetime | None = timestamp()
