"""The tenant's webhooks: create (secret made here, shown once, stored sealed), list,
delete, and each one's recent deliveries.

The URL must pass the outbound policy now (and every delivery checks it again). The
secret is sealed like provider keys, bound to the tenant and the webhook's id: deliveries
sign with HMAC-SHA256, which needs the secret itself, so it cannot be a hash.
"""

from __future__ import annotations

import secrets
import uuid

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.errors import NotFound, ValidationFailed
from platform_api.notifications.schemas import WebhookCreate
from platform_core.crypto import KeyRing, credentials_hint
from platform_core.models import Webhook, WebhookDelivery
from platform_core.notifications import webhook_secret_associated_data
from platform_core.outbound import OutboundPolicy, UnsafeOutboundUrl, check_outbound_url

SECRET_PREFIX = "whsec_"
RECENT_DELIVERIES = 50


async def create(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    user_id: uuid.UUID,
    data: WebhookCreate,
    ring: KeyRing,
    policy: OutboundPolicy,
) -> tuple[Webhook, str]:
    """A new webhook; returns the row and its secret (never stored in the clear)."""
    try:
        await check_outbound_url(data.url, policy)
    except UnsafeOutboundUrl as exc:
        raise ValidationFailed(
            f"url refused: {exc}", errors=[{"path": "/body/url", "message": str(exc)}]
        ) from None
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    row = Webhook(
        tenant_id=tenant_id,
        url=data.url,
        description=data.description,
        events=sorted(set(data.events)),
        secret="",
        secret_hint=credentials_hint(secret),
        created_by=user_id,
    )
    row.secret = ring.encrypt(
        secret, associated_data=webhook_secret_associated_data(tenant_id, row.id)
    )
    session.add(row)
    await session.flush()
    return row, secret


async def get_all(*, session: AsyncSession) -> list[Webhook]:
    """The tenant's webhooks, newest first."""
    rows = await session.execute(select(Webhook).order_by(col(Webhook.created_at).desc()))
    return list(rows.scalars())


async def get_or_raise(*, session: AsyncSession, webhook_id: uuid.UUID) -> Webhook:
    """One of the tenant's webhooks (another tenant's is not found)."""
    row = await session.get(Webhook, webhook_id)
    if row is None:
        raise NotFound("webhook not found")
    return row


async def delete(*, session: AsyncSession, webhook_id: uuid.UUID) -> None:
    """Remove a webhook; deliveries still waiting are dropped with it."""
    row = await get_or_raise(session=session, webhook_id=webhook_id)
    await session.delete(row)
    await session.flush()


async def deliveries(*, session: AsyncSession, webhook_id: uuid.UUID) -> list[WebhookDelivery]:
    """The webhook's most recent deliveries, newest first."""
    await get_or_raise(session=session, webhook_id=webhook_id)
    rows = await session.execute(
        select(WebhookDelivery)
        .where(col(WebhookDelivery.webhook_id) == webhook_id)
        .order_by(col(WebhookDelivery.created_at).desc())
        .limit(RECENT_DELIVERIES)
    )
    return list(rows.scalars())
