"""Every delivery checks the outbound policy again: an endpoint that now points inward
(re-pointed DNS, a narrowed allow-list) is refused for good, recorded, never connected to."""

from __future__ import annotations

import uuid

import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.webhooks import WebhookActivities
from platform_core import notifications as n
from platform_core.crypto import key_ring_from_settings
from platform_core.models import Webhook, WebhookDelivery
from platform_core.outbound import OutboundPolicy
from temporal_workflows.contracts import NotificationItemInput
from tests.helpers import Platform


async def test_a_delivery_to_a_now_refused_address_fails_for_good(platform: Platform) -> None:
    tenant = platform.seeded.tenant_id
    ring = key_ring_from_settings(platform.settings)
    hook = Webhook(
        tenant_id=tenant,
        url="http://10.20.30.40:8080/hook",  # private: what the API would refuse today
        secret="",
        secret_hint="…****",
        events=[n.RUN_FAILED],
    )
    hook.secret = ring.encrypt(
        "whsec_x", associated_data=n.webhook_secret_associated_data(tenant, hook.id)
    )
    event = n.NotificationEvent(tenant_id=tenant, kind=n.RUN_FAILED, dedupe_key=f"t:{uuid.uuid4()}")
    async with platform.db.tenant_session(tenant) as session:
        session.add(hook)
        await session.flush()
        recorded = await n.record_event(session, event, [])
    assert recorded.deliveries >= 1
    async with platform.db.tenant_session(tenant) as session:
        delivery = (
            await session.execute(
                WebhookDelivery.__table__.select().where(  # type: ignore[attr-defined]
                    WebhookDelivery.__table__.c.webhook_id == hook.id  # type: ignore[attr-defined]
                )
            )
        ).one()
    activities = WebhookActivities(platform.db, ring, OutboundPolicy())  # no allow-list
    try:
        with pytest.raises(ApplicationError) as refused:
            await ActivityEnvironment().run(
                activities.deliver, NotificationItemInput(str(tenant), str(delivery.id))
            )
        assert refused.value.non_retryable
        async with platform.db.tenant_session(tenant) as session:
            row = await session.get(WebhookDelivery, delivery.id)
            assert row is not None
            assert row.status == "failed" and row.attempts == 1
            assert row.last_status_code is None
            assert "outbound policy" in (row.last_error or "")
    finally:
        async with platform.db.tenant_session(tenant) as session:
            stale = await session.get(Webhook, hook.id)
            if stale is not None:
                await session.delete(stale)
