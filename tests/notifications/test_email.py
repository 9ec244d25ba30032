"""E-mail notifications: sent by the dispatch workflow's activity through SMTP (a local
aiosmtpd server), only to people who chose the kind, in their language, once."""

from __future__ import annotations

import email
import uuid
from email.message import Message
from email.policy import default as default_policy
from typing import Any

from aiosmtpd.controller import Controller
from temporalio.worker import Worker

from activities.notification_email import NotificationEmailActivities, SmtpConfig
from activities.webhooks import WebhookActivities
from agentpaas.worker import workflow_runner
from platform_core import notifications as n
from platform_core.crypto import key_ring_from_settings
from platform_core.models import Notification
from platform_core.outbound import OutboundPolicy
from temporal_workflows.contracts import NOTIFICATION_DISPATCH_WORKFLOW, NotificationDispatchInput
from temporal_workflows.notifications import NotificationDispatchWorkflow
from tests.helpers import Platform, free_port
from tests.notifications.helpers import add_user


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = email.message_from_bytes(envelope.content, policy=default_policy)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 OK"


async def test_emails_go_to_those_who_chose_the_kind_in_their_language(
    platform: Platform, database_urls: Any
) -> None:
    tenant = platform.seeded.tenant_id
    wants = {n.EMAIL_PREFERENCE: ["run_failed"], "language": "zh-CN"}
    chinese, chinese_email = await add_user(database_urls.admin_url, tenant, "user", wants)
    english, english_email = await add_user(
        database_urls.admin_url, tenant, "user", {n.EMAIL_PREFERENCE: ["run_failed"]}
    )
    quiet, _ = await add_user(
        database_urls.admin_url, tenant, "user", {n.EMAIL_PREFERENCE: ["task_assigned"]}
    )
    event = n.NotificationEvent(
        tenant_id=tenant,
        kind=n.RUN_FAILED,
        dedupe_key=f"test-email:{uuid.uuid4()}",
        data={"agent_name": "Helpdesk", "execution_id": str(uuid.uuid4())},
        link="/chats/abc",
    )
    async with platform.db.tenant_session(tenant) as session:
        recorded = await n.record_event(session, event, [chinese, english, quiet])
    assert (recorded.recipients, recorded.emails) == (3, 2)

    inbox = Inbox()
    port = free_port()
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    queue = f"notify-{uuid.uuid4().hex[:8]}"
    emails = NotificationEmailActivities(
        platform.db, SmtpConfig(host="127.0.0.1", port=port, sender="p@x.dev", starttls=False)
    )
    hooks = WebhookActivities(
        platform.db, key_ring_from_settings(platform.settings), OutboundPolicy()
    )
    try:
        async with Worker(
            platform.temporal,
            task_queue=queue,
            workflows=[NotificationDispatchWorkflow],
            activities=[emails.list_work, emails.send_email, hooks.deliver],
            workflow_runner=workflow_runner(),
        ):
            args = NotificationDispatchInput(str(tenant), str(recorded.event_id))
            for _ in range(2):  # a second dispatch of the same event sends nothing again
                sent = await platform.temporal.execute_workflow(
                    NOTIFICATION_DISPATCH_WORKFLOW,
                    args,
                    id=f"test-notify-{uuid.uuid4()}",
                    task_queue=queue,
                    result_type=int,
                )
    finally:
        smtp.stop()

    assert sent == 0
    by_recipient = {rcpt[0]: message for rcpt, message in inbox.messages}
    assert len(inbox.messages) == 2 and set(by_recipient) == {chinese_email, english_email}
    assert by_recipient[chinese_email]["Subject"] == "运行失败"
    assert "Helpdesk" in by_recipient[chinese_email].get_content()
    assert by_recipient[english_email]["Subject"] == "A run failed"
    assert "/chats/abc" in by_recipient[english_email].get_content()
    async with platform.db.tenant_session(tenant) as session:
        for user, status in ((chinese, "sent"), (english, "sent"), (quiet, None)):
            row = await session.execute(
                Notification.__table__.select().where(  # type: ignore[attr-defined]
                    Notification.__table__.c.event_id == recorded.event_id,  # type: ignore[attr-defined]
                    Notification.__table__.c.user_id == user,  # type: ignore[attr-defined]
                )
            )
            assert row.one().email_status == status
