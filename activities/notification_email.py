"""What a notification event must send, and sending its e-mails over SMTP.

The SMTP client is the standard library's, run in a thread (it blocks): one connection
per e-mail, STARTTLS and login when configured. Text is rendered here from the
notification's kind and data, in the recipient's language (``preferences.language``,
zh-CN or en), because the database holds data, not sentences.
"""

from __future__ import annotations

import asyncio
import smtplib
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from sqlmodel import col, select
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.notification_text import render
from platform_core.db import Database
from platform_core.models import Notification, User, WebhookDelivery
from platform_core.settings import Settings
from temporal_workflows.contracts import (
    LIST_NOTIFICATION_WORK_ACTIVITY,
    SEND_NOTIFICATION_EMAIL_ACTIVITY,
    NotificationDispatchInput,
    NotificationItemInput,
    NotificationWork,
)


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to send e-mail."""

    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None
    starttls: bool = True
    timeout: float = 20.0

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpConfig | None:
        """The configured server, or None when e-mail is off."""
        if not settings.smtp_host:
            return None
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_from,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
            starttls=settings.smtp_starttls,
            timeout=settings.smtp_timeout_seconds,
        )

    def send(self, message: EmailMessage) -> None:
        """Send one message (blocking: call it in a thread)."""
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as client:
            if self.starttls:
                client.starttls()
            if self.username and self.password:
                client.login(self.username, self.password)
            client.send_message(message)


class NotificationEmailActivities:
    """Lists an event's outstanding work and sends its e-mails."""

    def __init__(self, database: Database, smtp: SmtpConfig | None) -> None:
        self._db = database
        self._smtp = smtp

    @activity.defn(name=LIST_NOTIFICATION_WORK_ACTIVITY)
    async def list_work(self, data: NotificationDispatchInput) -> NotificationWork:
        """The event's pending e-mails and deliveries; retried until the event is visible."""
        event_id = uuid.UUID(data.event_id)
        async with self._db.tenant_session(uuid.UUID(data.tenant_id)) as session:
            notes = (
                await session.execute(
                    select(Notification.id, Notification.email_status).where(
                        col(Notification.event_id) == event_id
                    )
                )
            ).all()
            deliveries = (
                await session.execute(
                    select(WebhookDelivery.id, WebhookDelivery.status).where(
                        col(WebhookDelivery.event_id) == event_id
                    )
                )
            ).all()
        if not notes and not deliveries:
            # Started inside the recording transaction: it may not have committed yet.
            raise ApplicationError("the event is not visible yet")
        return NotificationWork(
            emails=[str(i) for i, status in notes if status == "pending"],
            deliveries=[str(i) for i, status in deliveries if status in ("pending", "retrying")],
        )

    @activity.defn(name=SEND_NOTIFICATION_EMAIL_ACTIVITY)
    async def send_email(self, data: NotificationItemInput) -> None:
        """Send one notification by e-mail (once), or mark it skipped when e-mail is off."""
        tenant_id = uuid.UUID(data.tenant_id)
        async with self._db.tenant_session(tenant_id) as session:
            note = await session.get(Notification, uuid.UUID(data.item_id))
            if note is None or note.email_status != "pending":
                return
            user = await session.get(User, note.user_id)
            if self._smtp is None or user is None:
                note.email_status = "skipped"
                session.add(note)
                return
            message = self._message(note, user)
        try:
            await asyncio.to_thread(self._smtp.send, message)
        except (OSError, smtplib.SMTPException) as exc:
            if activity.info().attempt >= data.max_attempts:
                await self._mark(tenant_id, note.id, "failed")
            raise ApplicationError(f"sending the e-mail failed: {type(exc).__name__}") from None
        await self._mark(tenant_id, note.id, "sent")

    def _message(self, note: Notification, user: User) -> EmailMessage:
        assert self._smtp is not None
        language = _language(user.preferences)
        subject, text = render(note.kind, note.data, language)
        message = EmailMessage()
        message["From"] = self._smtp.sender
        message["To"] = user.email
        message["Subject"] = subject
        link = f"\n\n{note.link}" if note.link else ""
        message.set_content(text + link)
        return message

    async def _mark(self, tenant_id: uuid.UUID, note_id: uuid.UUID, status: str) -> None:
        async with self._db.tenant_session(tenant_id) as session:
            note = await session.get(Notification, note_id)
            if note is not None:
                note.email_status = status
                session.add(note)


def _language(preferences: dict[str, Any] | None) -> str:
    chosen = str((preferences or {}).get("language") or "")
    return "zh-CN" if chosen.lower().startswith("zh") else "en"
