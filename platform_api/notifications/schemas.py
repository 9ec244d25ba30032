"""Bodies of the notification and webhook routes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from platform_api.paging import Page

NotificationKind = Literal[
    "task_assigned",
    "task_escalated",
    "task_deadline_near",
    "submission_approved",
    "submission_rejected",
    "run_failed",
    "agent_version_published",
    "run_waiting_for_budget",
]


class NotificationPublic(BaseModel):
    """One notification: its kind and data (the client renders the text), link, read state."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: str
    data: dict[str, Any]
    link: str | None
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Page[NotificationPublic]):
    """A page of the caller's notifications, newest first, and how many are unread."""

    unread: int


class ReadAllResult(BaseModel):
    """How many notifications were marked read."""

    marked: int


class NotificationSettings(BaseModel):
    """Which kinds the caller also wants by e-mail (in-app notifications always appear)."""

    model_config = ConfigDict(extra="forbid")

    email_kinds: list[NotificationKind] = Field(default_factory=list, max_length=10)


class WebhookCreate(BaseModel):
    """A new endpoint and the events it receives; the signing secret is made by the server."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=8, max_length=2000, description="http(s) URL of the receiver.")
    description: str | None = Field(default=None, max_length=200)
    events: list[NotificationKind] = Field(min_length=1, max_length=10)


class WebhookPublic(BaseModel):
    """An endpoint as listed: never the secret, only its hint."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    url: str
    description: str | None
    events: list[str]
    enabled: bool
    secret_hint: str
    created_at: datetime


class WebhookCreated(WebhookPublic):
    """The one response carrying the signing secret: store it now, it is not shown again."""

    secret: str


class WebhookDeliveryPublic(BaseModel):
    """One event sent to the endpoint, with how its attempts went."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    event_id: uuid.UUID
    kind: str
    status: str
    attempts: int
    last_status_code: int | None
    last_error: str | None
    attempt_log: list[dict[str, Any]]
    created_at: datetime
    delivered_at: datetime | None
