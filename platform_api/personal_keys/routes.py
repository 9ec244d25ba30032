"""A user's own model keys and who pays per agent; the tenant admin's switch for them."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from platform_api.api.deps import CurrentCaller, SettingsDep, TenantSession
from platform_api.personal_keys import service
from platform_api.personal_keys.schemas import (
    PayerChoice,
    PayerChoicePublic,
    PersonalKeyCreate,
    PersonalKeyList,
    PersonalKeyPublic,
    PersonalKeyReplace,
    PersonalKeysPolicy,
)
from platform_core.crypto import key_ring_from_settings
from platform_core.outbound import OutboundPolicy

router = APIRouter(prefix="/api/v1/me", tags=["personal keys"])
policy_router = APIRouter(prefix="/api/v1/tenant/personal-keys", tags=["personal keys"])


@router.get("/provider-keys", response_model=PersonalKeyList)
async def list_personal_keys(caller: CurrentCaller, session: TenantSession) -> PersonalKeyList:
    """Your own model keys (masked), and whether your organisation allows them."""
    rows = await service.get_all(session=session, caller=caller)
    return PersonalKeyList(
        items=[service.public(r) for r in rows],
        allowed=await service.allowed(session=session, tenant_id=caller.tenant_id),
    )


@router.post("/provider-keys", response_model=PersonalKeyPublic, status_code=201)
async def create_personal_key(
    body: PersonalKeyCreate, caller: CurrentCaller, session: TenantSession, settings: SettingsDep
) -> PersonalKeyPublic:
    """Add a model key of yours; it is sealed with SM4 and never returned."""
    row = await service.create(
        session=session,
        caller=caller,
        ring=key_ring_from_settings(settings),
        policy=OutboundPolicy.from_settings(settings),
        data=body,
    )
    return service.public(row)


@router.put("/provider-keys/{personal_key_id}/secret", response_model=PersonalKeyPublic)
async def replace_personal_key(
    personal_key_id: uuid.UUID,
    body: PersonalKeyReplace,
    caller: CurrentCaller,
    session: TenantSession,
    settings: SettingsDep,
) -> PersonalKeyPublic:
    """Replace the secret of one of your keys."""
    row = await service.get_own_or_raise(session=session, caller=caller, key_id=personal_key_id)
    row = await service.replace_secret(
        session=session,
        ring=key_ring_from_settings(settings),
        row=row,
        secret=body.api_key.get_secret_value(),
    )
    return service.public(row)


@router.delete("/provider-keys/{personal_key_id}", status_code=204)
async def delete_personal_key(
    personal_key_id: uuid.UUID, caller: CurrentCaller, session: TenantSession
) -> Response:
    """Delete one of your keys; agents it paid for are paid by the organisation again."""
    row = await service.get_own_or_raise(session=session, caller=caller, key_id=personal_key_id)
    await service.delete_key(session=session, row=row)
    return Response(status_code=204)


@router.get("/agents/{agent_id}/payer", response_model=PayerChoicePublic)
async def get_agent_payer(
    agent_id: uuid.UUID, caller: CurrentCaller, session: TenantSession
) -> PayerChoicePublic:
    """Who pays for your runs of an agent: the organisation or one of your keys."""
    return await service.get_payer(session=session, caller=caller, agent_id=agent_id)


@router.put("/agents/{agent_id}/payer", response_model=PayerChoicePublic)
async def set_agent_payer(
    agent_id: uuid.UUID, body: PayerChoice, caller: CurrentCaller, session: TenantSession
) -> PayerChoicePublic:
    """Choose who pays for your runs of an agent (403 when personal keys are forbidden)."""
    return await service.set_payer(session=session, caller=caller, agent_id=agent_id, data=body)


@policy_router.get("", response_model=PersonalKeysPolicy)
async def get_personal_keys_policy(
    caller: CurrentCaller, session: TenantSession
) -> PersonalKeysPolicy:
    """Whether the organisation's users may pay with their own model keys."""
    return PersonalKeysPolicy(
        allow_personal_keys=await service.allowed(session=session, tenant_id=caller.tenant_id)
    )


@policy_router.put("", response_model=PersonalKeysPolicy)
async def set_personal_keys_policy(
    body: PersonalKeysPolicy, caller: CurrentCaller, session: TenantSession
) -> PersonalKeysPolicy:
    """Allow or forbid personal model keys; forbidden, every run uses the organisation's keys."""
    await service.set_allowed(
        session=session, tenant_id=caller.tenant_id, allow=body.allow_personal_keys
    )
    return body
