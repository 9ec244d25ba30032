"""A user's own provider keys and payer choices; the tenant's switch that forbids them.

Every query names the caller as owner besides the tenant (row-level security): a tenant
admin sees no one else's keys either. Keys are sealed with the master key ring, bound
to table, tenant, owner and row, like the tenant's provider keys.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.auth.caller import Caller
from platform_api.errors import Conflict, Forbidden, NotFound, ValidationFailed
from platform_api.personal_keys.schemas import (
    PayerChoice,
    PayerChoicePublic,
    PersonalKeyCreate,
    PersonalKeyPublic,
)
from platform_core.crypto import KeyRing, credentials_hint
from platform_core.models import Agent, AgentPayerChoice, PersonalProviderKey, Tenant
from platform_core.models.personal_keys import (
    ALLOW_PERSONAL_KEYS_SETTING,
    personal_key_associated_data,
    personal_keys_allowed,
    personal_keys_allowed_in_sql,
)
from platform_core.outbound import OutboundPolicy, UnsafeOutboundUrl, check_outbound_url

FORBIDDEN_BY_TENANT = "your organisation does not allow personal model keys"


async def allowed(*, session: AsyncSession, tenant_id: uuid.UUID) -> bool:
    """Whether the tenant lets its users pay with their own keys."""
    tenant = await session.get(Tenant, tenant_id)
    return tenant is not None and personal_keys_allowed(tenant.settings)


async def set_allowed(*, session: AsyncSession, tenant_id: uuid.UUID, allow: bool) -> None:
    """Allow or forbid personal keys (one key of the settings; the others stay)."""
    await session.execute(
        update(Tenant)
        .where(col(Tenant.id) == tenant_id)
        .values(
            settings=func.coalesce(col(Tenant.settings), func.jsonb_build_object()).op("||")(
                func.jsonb_build_object(ALLOW_PERSONAL_KEYS_SETTING, allow)
            ),
            updated_at=datetime.now(UTC),
        )
    )


async def get_all(*, session: AsyncSession, caller: Caller) -> list[PersonalProviderKey]:
    """The caller's own keys, by label."""
    rows = await session.execute(
        select(PersonalProviderKey)
        .where(col(PersonalProviderKey.user_id) == caller.user_id)
        .order_by(col(PersonalProviderKey.label))
    )
    return list(rows.scalars())


async def get_own_or_raise(
    *, session: AsyncSession, caller: Caller, key_id: uuid.UUID
) -> PersonalProviderKey:
    """One of the caller's keys (anyone else's, admins' included, is simply not found)."""
    row = await session.get(PersonalProviderKey, key_id)
    if row is None or row.user_id != caller.user_id:
        raise NotFound("personal key not found")
    return row


def _seal(row: PersonalProviderKey, ring: KeyRing, secret: str) -> None:
    row.credentials = ring.encrypt(
        secret, associated_data=personal_key_associated_data(row.tenant_id, row.user_id, row.id)
    )
    row.credentials_hint = credentials_hint(secret)


async def _require_safe_api_base(api_base: str | None, policy: OutboundPolicy) -> None:
    if api_base is None:
        return
    try:
        await check_outbound_url(api_base, policy)
    except UnsafeOutboundUrl as exc:
        raise ValidationFailed(
            f"api_base refused: {exc}", errors=[{"path": "/body/api_base", "message": str(exc)}]
        ) from None


async def create(
    *,
    session: AsyncSession,
    caller: Caller,
    ring: KeyRing,
    policy: OutboundPolicy,
    data: PersonalKeyCreate,
) -> PersonalProviderKey:
    """Add a key of the caller's, sealed; its endpoint passes the outbound URL policy."""
    await _require_safe_api_base(data.api_base, policy)
    row = PersonalProviderKey(
        tenant_id=caller.tenant_id,
        user_id=caller.user_id,
        kind=data.kind,
        label=data.label,
        api_base=data.api_base,
        credentials="",
        credentials_hint="",
    )
    _seal(row, ring, data.api_key.get_secret_value())
    session.add(row)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(f"you already have a key labelled {data.label!r}") from exc
    await session.refresh(row)
    return row


async def replace_secret(
    *, session: AsyncSession, ring: KeyRing, row: PersonalProviderKey, secret: str
) -> PersonalProviderKey:
    """Seal a new secret into an existing key."""
    _seal(row, ring, secret)
    row.updated_at = datetime.now(UTC)
    await session.flush()
    await session.refresh(row)
    return row


async def delete_key(*, session: AsyncSession, row: PersonalProviderKey) -> None:
    """Delete a key; the agents it paid for go back to the tenant (cascade)."""
    await session.delete(row)
    await session.flush()


async def rewrap_personal_keys(*, session: AsyncSession, ring: KeyRing) -> int:
    """Re-seal every visible personal key not under the current master key; returns how many.

    The companion of the providers' ``rewrap_credentials`` for master-key rotation.
    """
    rows = await session.execute(select(PersonalProviderKey))
    changed = 0
    for row in rows.scalars():
        if ring.needs_rewrap(row.credentials):
            row.credentials = ring.rewrap(
                row.credentials,
                associated_data=personal_key_associated_data(row.tenant_id, row.user_id, row.id),
            )
            changed += 1
    await session.flush()
    return changed


def public(row: PersonalProviderKey) -> PersonalKeyPublic:
    """The owner's view of a key: the hint, never the sealed key."""
    return PersonalKeyPublic(
        id=row.id,
        kind=row.kind,
        label=row.label,
        api_base=row.api_base,
        key_hint=row.credentials_hint,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


async def _agent_or_raise(session: AsyncSession, agent_id: uuid.UUID) -> None:
    if await session.get(Agent, agent_id) is None:
        raise NotFound("agent not found")


async def get_payer(
    *, session: AsyncSession, caller: Caller, agent_id: uuid.UUID
) -> PayerChoicePublic:
    """Who pays for the caller's runs of the agent."""
    await _agent_or_raise(session, agent_id)
    is_allowed = await allowed(session=session, tenant_id=caller.tenant_id)
    key = await chosen_key(session=session, user_id=caller.user_id, agent_id=agent_id)
    return PayerChoicePublic(
        agent_id=agent_id,
        payer="personal" if key else "tenant",
        key_id=key.id if key else None,
        key_label=key.label if key else None,
        key_hint=key.credentials_hint if key else None,
        allowed=is_allowed,
    )


async def set_payer(
    *, session: AsyncSession, caller: Caller, agent_id: uuid.UUID, data: PayerChoice
) -> PayerChoicePublic:
    """Choose the tenant or one of the caller's keys; 403 when the tenant forbids keys."""
    await _agent_or_raise(session, agent_id)
    if data.payer == "tenant":
        await session.execute(
            delete(AgentPayerChoice).where(
                col(AgentPayerChoice.user_id) == caller.user_id,
                col(AgentPayerChoice.agent_id) == agent_id,
            )
        )
        return await get_payer(session=session, caller=caller, agent_id=agent_id)
    if data.key_id is None:
        raise ValidationFailed(
            "a personal payer needs key_id",
            errors=[{"path": "/body/key_id", "message": "required when payer is personal"}],
        )
    if not await allowed(session=session, tenant_id=caller.tenant_id):
        raise Forbidden(FORBIDDEN_BY_TENANT)
    await get_own_or_raise(session=session, caller=caller, key_id=data.key_id)
    values = {
        "user_id": caller.user_id,
        "agent_id": agent_id,
        "tenant_id": caller.tenant_id,
        "key_id": data.key_id,
        "updated_at": datetime.now(UTC),
    }
    await session.execute(
        insert(AgentPayerChoice)
        .values(**values)
        .on_conflict_do_update(
            index_elements=["user_id", "agent_id"],
            set_={"key_id": data.key_id, "updated_at": values["updated_at"]},
        )
    )
    return await get_payer(session=session, caller=caller, agent_id=agent_id)


async def chosen_key(
    *, session: AsyncSession, user_id: uuid.UUID, agent_id: uuid.UUID
) -> PersonalProviderKey | None:
    """The user's key chosen to pay for the agent, if any."""
    row = await session.execute(
        select(PersonalProviderKey)
        .join(AgentPayerChoice, col(AgentPayerChoice.key_id) == col(PersonalProviderKey.id))
        .where(
            col(AgentPayerChoice.user_id) == user_id,
            col(AgentPayerChoice.agent_id) == agent_id,
            col(PersonalProviderKey.user_id) == user_id,
        )
    )
    return row.scalars().first()


def payer_read(*, tenant_id: Any, user_id: Any, agent_id: Any) -> Any:
    """A scalar subquery: the id of the key that pays for a run starting now (NULL: the
    tenant pays; always for a run without a user). Read with every run's registration: the
    user's choice for the agent, counted only while the tenant allows personal keys
    (``personal_keys_allowed``: unless set false). The ids may be bound parameters (a
    statement built once)."""
    tenant_allows = exists().where(
        col(Tenant.id) == tenant_id, personal_keys_allowed_in_sql(col(Tenant.settings))
    )
    return (
        select(col(PersonalProviderKey.id))
        .join(AgentPayerChoice, col(AgentPayerChoice.key_id) == col(PersonalProviderKey.id))
        .where(
            col(AgentPayerChoice.user_id) == user_id,
            col(AgentPayerChoice.agent_id) == agent_id,
            col(PersonalProviderKey.user_id) == user_id,
            tenant_allows,
        )
        .scalar_subquery()
    )
