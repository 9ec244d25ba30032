"""The one writer of notification events: in-app rows, e-mail wishes and webhook deliveries.

Whatever causes an event (a task created, a version reviewed, a run failed) calls
:func:`record_event` in its own transaction, so the event exists exactly when its cause
does. Event ids derive from a dedupe key (``run_failed:<execution id>``), so a retried
activity or request writes nothing twice. Sending e-mails and webhook deliveries is the
business of a Temporal workflow started for the event (``NotificationDispatch``), never
of the request or activity that wrote it.

Data holds ids, names and short codes only — never rendered text (every client renders
it in its own language) and never secrets.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_core.models import Notification, User, Webhook, WebhookDelivery

TASK_ASSIGNED: Final = "task_assigned"
TASK_ESCALATED: Final = "task_escalated"
TASK_DEADLINE_NEAR: Final = "task_deadline_near"
SUBMISSION_APPROVED: Final = "submission_approved"
SUBMISSION_REJECTED: Final = "submission_rejected"
RUN_FAILED: Final = "run_failed"
RUN_WAITING_FOR_BUDGET: Final = "run_waiting_for_budget"
AGENT_VERSION_PUBLISHED: Final = "agent_version_published"
KINDS: Final = (
    TASK_ASSIGNED,
    TASK_ESCALATED,
    TASK_DEADLINE_NEAR,
    SUBMISSION_APPROVED,
    SUBMISSION_REJECTED,
    RUN_FAILED,
    AGENT_VERSION_PUBLISHED,
    RUN_WAITING_FOR_BUDGET,
)
# The key of ``users.preferences`` holding the kinds a user wants by e-mail.
EMAIL_PREFERENCE: Final = "notification_email_kinds"
# No event fans out to more people than this (a version of a very popular agent).
MAX_RECIPIENTS: Final = 1000
_EVENT_NAMESPACE: Final = uuid.UUID("5b0c6f5e-7a53-4d3e-9a57-2f61f1d7e0a1")


@dataclass(frozen=True)
class NotificationEvent:
    """Something that happened, for some people of one tenant."""

    tenant_id: uuid.UUID
    kind: str
    dedupe_key: str
    data: dict[str, Any] = field(default_factory=dict)
    link: str | None = None

    @property
    def event_id(self) -> uuid.UUID:
        """The same id for the same event, however often it is recorded."""
        return uuid.uuid5(_EVENT_NAMESPACE, f"{self.tenant_id}/{self.dedupe_key}")


@dataclass(frozen=True)
class RecordedEvent:
    """What was written; ``needs_dispatch`` when e-mails or webhook deliveries wait."""

    event_id: uuid.UUID
    recipients: int
    emails: int
    deliveries: int

    @property
    def needs_dispatch(self) -> bool:
        """True when the dispatch workflow has something to send."""
        return self.emails > 0 or self.deliveries > 0


def webhook_secret_associated_data(tenant_id: object, webhook_id: object) -> bytes:
    """What binds a sealed webhook secret to its row: table, tenant and webhook id."""
    return f"webhooks/{tenant_id}/{webhook_id}".encode()


def email_kinds(preferences: dict[str, Any] | None) -> list[str]:
    """The kinds a user asked to receive by e-mail (unknown entries ignored)."""
    chosen = (preferences or {}).get(EMAIL_PREFERENCE) or []
    return [kind for kind in KINDS if isinstance(chosen, list) and kind in chosen]


def webhook_payload(event: NotificationEvent, now: datetime) -> dict[str, Any]:
    """The JSON a webhook receives for ``event`` (the body that gets signed)."""
    return {
        "id": str(event.event_id),
        "type": event.kind,
        "created_at": now.isoformat(),
        "tenant_id": str(event.tenant_id),
        "data": event.data,
        "link": event.link,
    }


async def record_event(
    session: AsyncSession, event: NotificationEvent, recipients: Iterable[uuid.UUID]
) -> RecordedEvent:
    """Write ``event`` for each recipient (and each subscribed webhook), idempotently.

    Runs in the caller's tenant session and transaction. Recipients who are gone or
    suspended get nothing; duplicates count once.
    """
    wanted = list(dict.fromkeys(recipients))[:MAX_RECIPIENTS]
    now = datetime.now(UTC)
    users: Sequence[Any] = []
    if wanted:
        found = await session.execute(
            select(col(User.id), col(User.preferences)).where(
                col(User.id).in_(wanted), col(User.status) == "active"
            )
        )
        users = found.all()
    rows = [
        {
            "id": uuid.uuid4(),
            "tenant_id": event.tenant_id,
            "user_id": user_id,
            "event_id": event.event_id,
            "kind": event.kind,
            "data": event.data,
            "link": event.link,
            "email_status": "pending" if event.kind in email_kinds(preferences) else None,
            "created_at": now,
        }
        for user_id, preferences in users
    ]
    if rows:  # one statement for everyone (an agent's chatting users may be many)
        await session.execute(
            insert(Notification)
            .values(rows)
            .on_conflict_do_nothing(constraint="uq_notifications_event_user")
        )
    emails = sum(1 for row in rows if row["email_status"])
    deliveries = 0
    hooks = await session.execute(
        select(col(Webhook.id)).where(
            col(Webhook.enabled), col(Webhook.events).contains([event.kind])
        )
    )
    for (webhook_id,) in hooks.all():
        deliveries += 1
        await session.execute(
            insert(WebhookDelivery)
            .values(
                id=uuid.uuid4(),
                tenant_id=event.tenant_id,
                webhook_id=webhook_id,
                event_id=event.event_id,
                kind=event.kind,
                payload=webhook_payload(event, now),
                status="pending",
                attempts=0,
                attempt_log=[],
                created_at=now,
            )
            .on_conflict_do_nothing(constraint="uq_webhook_deliveries_event_webhook")
        )
    return RecordedEvent(event.event_id, len(users), emails, deliveries)


async def users_with_role(session: AsyncSession, roles: Sequence[str]) -> list[uuid.UUID]:
    """Active users of the tenant holding one of ``roles`` (for tasks assigned to a role)."""
    found = await session.execute(
        select(col(User.id))
        .where(col(User.role).in_(roles), col(User.status) == "active")
        .limit(MAX_RECIPIENTS)
    )
    return list(found.scalars())
