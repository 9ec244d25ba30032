"""Delivering one webhook event: sign, POST, record the attempt.

Signature scheme (documented for receivers in docs/webhooks.md): each request carries
``X-AgentPaaS-Timestamp`` (Unix seconds) and ``X-AgentPaaS-Signature: v1=<hex>``, where
``<hex>`` is HMAC-SHA256 with the webhook's secret over ``<timestamp>.<raw body>``.
Receivers recompute it, compare in constant time and refuse old timestamps (replays).
``X-AgentPaaS-Delivery`` is the delivery id (the same on every retry: deduplicate on it).

The URL is checked against the outbound policy on every attempt and connected to only at
checked addresses; redirects are not followed (a receiver answers, it does not send the
platform elsewhere). Any 2xx is success; anything else is retried by Temporal.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import literal, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import col
from temporalio import activity
from temporalio.exceptions import ApplicationError

from platform_core.crypto import KeyRing
from platform_core.db import Database
from platform_core.models import Webhook, WebhookDelivery
from platform_core.notifications import webhook_secret_associated_data
from platform_core.outbound import (
    OutboundPolicy,
    UnresolvableHost,
    UnsafeOutboundUrl,
    guarded_httpx_client_factory,
)
from temporal_workflows.contracts import DELIVER_WEBHOOK_ACTIVITY, NotificationItemInput

SIGNATURE_HEADER = "X-AgentPaaS-Signature"
TIMESTAMP_HEADER = "X-AgentPaaS-Timestamp"
DELIVERY_HEADER = "X-AgentPaaS-Delivery"
EVENT_HEADER = "X-AgentPaaS-Event"
REQUEST_TIMEOUT_SECONDS = 10.0


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The ``X-AgentPaaS-Signature`` value for ``body`` sent at ``timestamp``."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "v1=" + digest.hexdigest()


def body_of(payload: dict[str, Any]) -> bytes:
    """The exact bytes sent (and signed) for a payload."""
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()


class WebhookActivities:
    """Sends webhook deliveries with the tenant's sealed secrets under the outbound policy."""

    def __init__(self, database: Database, ring: KeyRing, policy: OutboundPolicy) -> None:
        self._db = database
        self._ring = ring
        self._client_factory = guarded_httpx_client_factory(policy, client_class=httpx.AsyncClient)

    @activity.defn(name=DELIVER_WEBHOOK_ACTIVITY)
    async def deliver(self, data: NotificationItemInput) -> None:
        """One attempt at one delivery; raises (to be retried) unless the receiver took it."""
        tenant_id, delivery_id = uuid.UUID(data.tenant_id), uuid.UUID(data.item_id)
        async with self._db.tenant_session(tenant_id) as session:
            delivery = await session.get(WebhookDelivery, delivery_id)
            if delivery is None or delivery.status in ("delivered", "cancelled", "failed"):
                return
            hook = await session.get(Webhook, delivery.webhook_id)
            if hook is None or not hook.enabled:
                delivery.status = "cancelled"
                session.add(delivery)
                return
            secret = self._ring.decrypt(
                hook.secret, associated_data=webhook_secret_associated_data(tenant_id, hook.id)
            )
            url, payload, kind = hook.url, dict(delivery.payload), delivery.kind
        body = body_of(payload)
        stamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "AgentPaaS-Webhooks/1",
            TIMESTAMP_HEADER: stamp,
            SIGNATURE_HEADER: signature(secret, stamp, body),
            DELIVERY_HEADER: str(delivery_id),
            EVENT_HEADER: kind,
        }
        code, error, permanent = await self._post(url, body, headers)
        attempt = activity.info().attempt
        final = error is None or permanent or attempt >= data.max_attempts
        await self._record(tenant_id, delivery_id, attempt, code, error, final)
        if error is not None:
            raise ApplicationError(f"webhook delivery failed: {error}", non_retryable=permanent)

    async def _post(
        self, url: str, body: bytes, headers: dict[str, str]
    ) -> tuple[int | None, str | None, bool]:
        """(status code, error or None, whether retrying is pointless)."""
        try:
            async with self._client_factory(
                follow_redirects=False, timeout=httpx.Timeout(REQUEST_TIMEOUT_SECONDS)
            ) as client:
                response = await client.post(url, content=body, headers=headers)
        except UnresolvableHost:  # DNS may answer again later: worth retrying
            return None, "the receiver's host does not resolve", False
        except UnsafeOutboundUrl as exc:
            return None, f"refused by the outbound policy: {exc}"[:500], True
        except httpx.HTTPError as exc:
            return None, f"{type(exc).__name__}: could not reach the receiver", False
        if 200 <= response.status_code < 300:
            return response.status_code, None, False
        return response.status_code, f"the receiver answered HTTP {response.status_code}", False

    async def _record(
        self,
        tenant_id: uuid.UUID,
        delivery_id: uuid.UUID,
        attempt: int,
        code: int | None,
        error: str | None,
        final: bool,
    ) -> None:
        now = datetime.now(UTC)
        status = "delivered" if error is None else ("failed" if final else "retrying")
        entry = {"attempt": attempt, "at": now.isoformat(), "status_code": code, "error": error}
        async with self._db.tenant_session(tenant_id) as session:
            await session.execute(
                update(WebhookDelivery)
                .where(col(WebhookDelivery.id) == delivery_id)
                .values(
                    status=status,
                    attempts=WebhookDelivery.attempts + 1,
                    last_status_code=code,
                    last_error=error,
                    attempt_log=col(WebhookDelivery.attempt_log).op("||")(
                        literal([entry], type_=JSONB)
                    ),
                    delivered_at=now if error is None else None,
                )
            )
