"""Notification routes: the caller's notification centre and e-mail choices, and the
tenant admin's webhooks."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from platform_api.api.deps import CurrentCaller, SettingsDep, TenantSession
from platform_api.api.pagination import page_params
from platform_api.notifications import service, webhooks
from platform_api.notifications.schemas import (
    NotificationPage,
    NotificationPublic,
    NotificationSettings,
    ReadAllResult,
    WebhookCreate,
    WebhookCreated,
    WebhookDeliveryPublic,
    WebhookPublic,
)
from platform_api.paging import PageParams
from platform_core.crypto import key_ring_from_settings
from platform_core.models import Notification, Webhook, WebhookDelivery
from platform_core.outbound import OutboundPolicy

router = APIRouter(prefix="/api/v1/notifications", tags=["notifications"])
settings_router = APIRouter(prefix="/api/v1/me/notification-settings", tags=["notifications"])
webhooks_router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])


@router.get("", response_model=NotificationPage)
async def list_notifications(
    caller: CurrentCaller,
    session: TenantSession,
    page: Annotated[PageParams, Depends(page_params)],
    unread: Annotated[bool, Query(description="Only unread notifications.")] = False,
) -> NotificationPage:
    """The caller's notifications, newest first, with the unread count."""
    rows, total, unread_count = await service.get_all(
        session=session, user_id=caller.user_id, page=page, unread_only=unread
    )
    return NotificationPage(
        items=[NotificationPublic.model_validate(row) for row in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
        unread=unread_count,
    )


@router.post("/read-all", response_model=ReadAllResult)
async def read_all(caller: CurrentCaller, session: TenantSession) -> ReadAllResult:
    """Mark every notification of the caller read."""
    return ReadAllResult(
        marked=await service.mark_all_read(session=session, user_id=caller.user_id)
    )


@router.post("/{notification_id}/read", response_model=NotificationPublic)
async def read_one(
    notification_id: uuid.UUID, caller: CurrentCaller, session: TenantSession
) -> Notification:
    """Mark one of the caller's notifications read."""
    return await service.mark_read(
        session=session, user_id=caller.user_id, notification_id=notification_id
    )


@settings_router.get("", response_model=NotificationSettings)
async def get_settings(caller: CurrentCaller, session: TenantSession) -> NotificationSettings:
    """Which notification kinds the caller also receives by e-mail."""
    kinds = await service.get_email_kinds(session=session, user_id=caller.user_id)
    return NotificationSettings.model_validate({"email_kinds": kinds})


@settings_router.put("", response_model=NotificationSettings)
async def put_settings(
    body: NotificationSettings, caller: CurrentCaller, session: TenantSession
) -> NotificationSettings:
    """Choose which notification kinds the caller also receives by e-mail."""
    kinds = await service.put_email_kinds(
        session=session, user_id=caller.user_id, kinds=list(body.email_kinds)
    )
    return NotificationSettings.model_validate({"email_kinds": kinds})


@webhooks_router.post("", response_model=WebhookCreated, status_code=201)
async def create_webhook(
    body: WebhookCreate, caller: CurrentCaller, session: TenantSession, settings: SettingsDep
) -> WebhookCreated:
    """Add an endpoint; its signing secret is in this response only."""
    row, secret = await webhooks.create(
        session=session,
        tenant_id=caller.tenant_id,
        user_id=caller.user_id,
        data=body,
        ring=key_ring_from_settings(settings),
        policy=OutboundPolicy.from_settings(settings),
    )
    return WebhookCreated(**WebhookPublic.model_validate(row).model_dump(), secret=secret)


@webhooks_router.get("", response_model=list[WebhookPublic])
async def list_webhooks(session: TenantSession) -> list[Webhook]:
    """The tenant's webhooks (secret hints only)."""
    return await webhooks.get_all(session=session)


@webhooks_router.delete("/{webhook_id}", status_code=204)
async def delete_webhook(webhook_id: uuid.UUID, session: TenantSession) -> Response:
    """Remove an endpoint; nothing more is sent to it."""
    await webhooks.delete(session=session, webhook_id=webhook_id)
    return Response(status_code=204)


@webhooks_router.get("/{webhook_id}/deliveries", response_model=list[WebhookDeliveryPublic])
async def list_deliveries(webhook_id: uuid.UUID, session: TenantSession) -> list[WebhookDelivery]:
    """The endpoint's recent deliveries and their attempts, newest first."""
    return await webhooks.deliveries(session=session, webhook_id=webhook_id)
