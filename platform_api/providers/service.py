"""Providers and service configs of a tenant; credentials sealed with the master key ring."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.errors import Conflict, NotFound, ValidationFailed
from platform_api.paging import PageParams
from platform_api.providers.schemas import (
    Limits,
    Pricing,
    ProviderCreate,
    ProviderUpdate,
    ServiceConfigCreate,
    ServiceConfigPublic,
    ServiceConfigUpdate,
)
from platform_core.crypto import (
    KeyRing,
    credentials_associated_data,
    credentials_hint,
)
from platform_core.models import Provider, ServiceConfig
from platform_core.outbound import OutboundPolicy, UnsafeOutboundUrl, check_outbound_url

LLM_SERVICE = "llm"


def _require_base_url(kind: str, base_url: str | None) -> None:
    if kind == "openai_compatible" and not base_url:
        raise ValidationFailed(
            "an openai_compatible provider needs base_url",
            errors=[{"path": "/body/base_url", "message": "required for openai_compatible"}],
        )


async def _require_safe_base_url(base_url: str | None, policy: OutboundPolicy | None) -> None:
    # Checked where a URL enters the system; None = the caller has no policy (migrations).
    if base_url is None or policy is None:
        return
    try:
        await check_outbound_url(base_url, policy)
    except UnsafeOutboundUrl as exc:
        raise ValidationFailed(
            f"base_url refused: {exc}", errors=[{"path": "/body/base_url", "message": str(exc)}]
        ) from None


async def get_all_providers(
    *, session: AsyncSession, page: PageParams
) -> tuple[list[Provider], int]:
    """The tenant's providers by name, and their count (RLS scopes the query)."""
    total = (await session.execute(select(func.count()).select_from(Provider))).scalar_one()
    rows = await session.execute(
        select(Provider).order_by(col(Provider.provider_name)).limit(page.limit).offset(page.offset)
    )
    return list(rows.scalars()), int(total)


async def get_provider_or_raise(*, session: AsyncSession, provider_id: int) -> Provider:
    """One of the tenant's providers (another tenant's is simply not found)."""
    row = await session.get(Provider, provider_id)
    if row is None:
        raise NotFound("provider not found")
    return row


async def create_provider(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    data: ProviderCreate,
    policy: OutboundPolicy | None = None,
) -> Provider:
    """Add a provider; its name is unique in the tenant and its base URL passes SSRF rules."""
    _require_base_url(data.kind, data.base_url)
    await _require_safe_base_url(data.base_url, policy)
    row = Provider(
        tenant_id=tenant_id,
        provider_name=data.provider_name,
        display_name=data.display_name or data.provider_name,
        kind=data.kind,
        service_type=LLM_SERVICE,
        base_url=data.base_url,
        description=data.description,
        is_active=data.is_active,
    )
    session.add(row)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(f"a provider named {data.provider_name!r} already exists") from exc
    return row


async def update_provider(
    *,
    session: AsyncSession,
    row: Provider,
    data: ProviderUpdate,
    policy: OutboundPolicy | None = None,
) -> Provider:
    """Apply the fields that were sent (a new base URL passes the SSRF rules first)."""
    if data.base_url is not None:
        await _require_safe_base_url(data.base_url, policy)
    for name, value in data.model_dump(exclude_unset=True).items():
        if value is None and name in ("display_name", "is_active"):
            continue  # not nullable: null means "leave as is"
        setattr(row, name, value)
    _require_base_url(row.kind, row.base_url)
    row.updated_at = datetime.now(UTC)
    await session.flush()
    return row


async def delete_provider(*, session: AsyncSession, row: Provider) -> None:
    """Delete a provider and (cascade) its service configs."""
    await session.delete(row)
    await session.flush()


async def get_all_configs(
    *, session: AsyncSession, page: PageParams, provider_id: int | None = None
) -> tuple[list[ServiceConfig], int]:
    """The tenant's service configs (of one provider, if given) by name, and their count."""
    conditions = [] if provider_id is None else [col(ServiceConfig.provider_id) == provider_id]
    total = (
        await session.execute(select(func.count()).select_from(ServiceConfig).where(*conditions))
    ).scalar_one()
    rows = await session.execute(
        select(ServiceConfig)
        .where(*conditions)
        .order_by(col(ServiceConfig.service_name))
        .limit(page.limit)
        .offset(page.offset)
    )
    return list(rows.scalars()), int(total)


async def get_config_or_raise(*, session: AsyncSession, config_id: int) -> ServiceConfig:
    """One of the tenant's service configs."""
    row = await session.get(ServiceConfig, config_id)
    if row is None:
        raise NotFound("service config not found")
    return row


def _seal(row: ServiceConfig, ring: KeyRing, secret: str) -> None:
    assert row.config_id is not None  # flushed before sealing: the row id is bound in
    row.credentials = ring.encrypt(
        secret, associated_data=credentials_associated_data(row.tenant_id, row.config_id)
    )
    row.credentials_hint = credentials_hint(secret)


async def _make_sole_default(session: AsyncSession, row: ServiceConfig) -> None:
    # One default LLM service per tenant: setting one unsets the others.
    await session.execute(
        update(ServiceConfig)
        .where(
            col(ServiceConfig.service_type) == row.service_type,
            col(ServiceConfig.config_id) != row.config_id,
            col(ServiceConfig.is_default).is_(True),
        )
        .values(is_default=False)
    )


async def create_config(
    *, session: AsyncSession, ring: KeyRing, tenant_id: uuid.UUID, data: ServiceConfigCreate
) -> ServiceConfig:
    """Add a service config to one of the tenant's providers, sealing its key."""
    await get_provider_or_raise(session=session, provider_id=data.provider_id)
    row = ServiceConfig(
        tenant_id=tenant_id,
        provider_id=data.provider_id,
        service_name=data.service_name,
        service_display_name=data.service_display_name or data.service_name,
        service_type=LLM_SERVICE,
        config_data={"model": data.model, "params": data.params},
        pricing_config=data.pricing.model_dump(mode="json") if data.pricing else {},
        limits_config=data.limits.model_dump(mode="json", exclude_none=True),
        is_default=data.is_default,
        is_active=data.is_active,
    )
    session.add(row)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(f"a service config named {data.service_name!r} already exists") from exc
    if data.api_key is not None:
        _seal(row, ring, data.api_key.get_secret_value())
    if row.is_default:
        await _make_sole_default(session, row)
    await session.flush()
    await session.refresh(row)  # server-side updated_at: load it here, not lazily later
    return row


async def update_config(
    *, session: AsyncSession, ring: KeyRing, row: ServiceConfig, data: ServiceConfigUpdate
) -> ServiceConfig:
    """Apply the fields that were sent; a new ``api_key`` is sealed, ``clear_api_key`` drops it."""
    sent = data.model_fields_set
    if data.api_key is not None and data.clear_api_key:
        raise ValidationFailed("send either api_key or clear_api_key, not both")
    config_data = dict(row.config_data)
    if data.model is not None:
        config_data["model"] = data.model
    if data.params is not None:
        config_data["params"] = data.params
    row.config_data = config_data
    if data.service_display_name is not None:
        row.service_display_name = data.service_display_name
    if "pricing" in sent:
        row.pricing_config = data.pricing.model_dump(mode="json") if data.pricing else {}
    if data.limits is not None:
        row.limits_config = data.limits.model_dump(mode="json", exclude_none=True)
    if data.is_active is not None:
        row.is_active = data.is_active
    if data.is_default is not None:
        row.is_default = data.is_default
    if data.api_key is not None:
        _seal(row, ring, data.api_key.get_secret_value())
    elif data.clear_api_key:
        row.credentials, row.credentials_hint = None, None
    row.updated_at = datetime.now(UTC)
    await session.flush()
    if row.is_default:
        await _make_sole_default(session, row)
    await session.refresh(row)
    return row


async def delete_config(*, session: AsyncSession, row: ServiceConfig) -> None:
    """Delete a service config (runs bound to it are refused from then on)."""
    await session.delete(row)
    await session.flush()


async def rewrap_credentials(*, session: AsyncSession, ring: KeyRing) -> int:
    """Re-seal every visible credential not under the current master key; returns how many.

    In a tenant session that is the tenant's rows; as the table owner, every tenant's.
    """
    rows = await session.execute(
        select(ServiceConfig).where(col(ServiceConfig.credentials).is_not(None))
    )
    changed = 0
    for row in rows.scalars():
        assert row.credentials is not None and row.config_id is not None
        if ring.needs_rewrap(row.credentials):
            row.credentials = ring.rewrap(
                row.credentials,
                associated_data=credentials_associated_data(row.tenant_id, row.config_id),
            )
            changed += 1
    await session.flush()
    return changed


def config_public(row: ServiceConfig) -> ServiceConfigPublic:
    """The public view of a config: the hint, never the sealed credentials."""
    data: dict[str, Any] = row.config_data or {}
    assert row.config_id is not None
    return ServiceConfigPublic(
        provider_id=row.provider_id,
        config_id=row.config_id,
        service_name=row.service_name,
        service_display_name=row.service_display_name,
        service_type=row.service_type,
        model=str(data.get("model", "")),
        params=dict(data.get("params") or {}),
        pricing=Pricing.model_validate(row.pricing_config) if row.pricing_config else None,
        limits=Limits.model_validate(row.limits_config or {}),
        is_default=row.is_default,
        is_active=row.is_active,
        has_credentials=row.credentials is not None,
        credentials_hint=row.credentials_hint,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
