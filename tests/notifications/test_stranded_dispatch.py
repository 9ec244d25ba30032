"""An event whose dispatch could not be started (Temporal was away when the API recorded
it) is still sent: the stranded-notifications sweep finds its waiting webhook delivery a
few minutes later and starts the dispatch; a delivery still fresh is left to its own."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlmodel import col

from platform_core import notifications as n
from platform_core.models import WebhookDelivery
from temporal_workflows import retention_contracts as r
from tests.helpers import Platform, serve_asgi
from tests.notifications.helpers import eventually
from tests.notifications.test_webhooks import flaky_receiver


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _record_without_dispatch(platform: Platform, age: timedelta) -> uuid.UUID:
    """Record a submission_rejected event as the API does, but start no dispatch (as when
    Temporal is unreachable); its rows are made ``age`` old."""
    event = n.NotificationEvent(
        tenant_id=platform.seeded.tenant_id,
        kind=n.SUBMISSION_REJECTED,
        dedupe_key=f"stranded-test:{uuid.uuid4()}",
        data={"agent_name": "Stranded", "version": "1.0.0", "reason": "x"},
    )
    async with platform.db.tenant_session(platform.seeded.tenant_id) as session:
        recorded = await n.record_event(session, event, [])
        assert recorded.deliveries == 1
        await session.execute(
            update(WebhookDelivery)
            .where(col(WebhookDelivery.event_id) == recorded.event_id)
            .values(created_at=WebhookDelivery.created_at - age)
        )
    return recorded.event_id


async def _delivery(platform: Platform, event_id: uuid.UUID) -> WebhookDelivery:
    async with platform.db.tenant_session(platform.seeded.tenant_id) as session:
        rows = await session.execute(
            select(WebhookDelivery).where(col(WebhookDelivery.event_id) == event_id)
        )
        return rows.scalar_one()


async def test_the_sweep_sends_what_was_recorded_while_temporal_was_away(
    platform: Platform, admin_token: str
) -> None:
    calls: list[dict[str, Any]] = []
    async with serve_asgi(flaky_receiver(calls, failures=0), "/hook") as url:
        created = await platform.client.post(
            "/api/v1/webhooks",
            json={"url": url, "events": ["submission_rejected"], "description": "stranded"},
            headers=_auth(admin_token),
        )
        assert created.status_code == 201, created.text
        hook = created.json()
        try:
            stranded = await _record_without_dispatch(platform, timedelta(minutes=5))
            fresh = await _record_without_dispatch(platform, timedelta(0))
            await platform.temporal.execute_workflow(
                r.RETENTION_WORKFLOW,
                r.RetentionInput(sweep=r.STRANDED_NOTIFICATIONS),
                id=f"stranded-sweep-{uuid.uuid4().hex[:8]}",
                task_queue=platform.settings.temporal_task_queue,
            )

            async def delivered() -> WebhookDelivery | None:
                row = await _delivery(platform, stranded)
                return row if row.status == "delivered" else None

            row = await eventually(delivered, seconds=60)
            # The fresh one's own dispatch (started with its write) is what sends it: the
            # sweep leaves it alone, and here nothing was started.
            assert (await _delivery(platform, fresh)).status == "pending"
        finally:
            await platform.client.delete(
                f"/api/v1/webhooks/{hook['id']}", headers=_auth(admin_token)
            )
    assert row.attempts == 1 and len(calls) == 1
