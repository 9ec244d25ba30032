"""API key routes: create (shown once), list, revoke."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from platform_api.api.deps import CurrentCaller, TenantSession
from platform_api.apikeys import service
from platform_api.apikeys.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyPublic
from platform_api.errors import Forbidden
from platform_core.models import ApiKey

router = APIRouter(prefix="/api/v1/api-keys", tags=["api-keys"])


@router.post("", response_model=ApiKeyCreated, status_code=201)
async def create_key(
    body: ApiKeyCreate, caller: CurrentCaller, session: TenantSession
) -> ApiKeyCreated:
    """Create a key acting as the caller with the given scopes; the key is shown only now."""
    if caller.scopes is not None:
        raise Forbidden("API keys cannot create API keys; log in to do that")
    row, full = await service.create_key(
        session=session, tenant_id=caller.tenant_id, user_id=caller.user_id, data=body
    )
    public = ApiKeyPublic.model_validate(row, from_attributes=True)
    return ApiKeyCreated(**public.model_dump(), key=full)


@router.get("", response_model=list[ApiKeyPublic])
async def list_keys(caller: CurrentCaller, session: TenantSession) -> list[ApiKey]:
    """The caller's keys (prefix only)."""
    return await service.list_keys(session=session, user_id=caller.user_id)


@router.delete("/{key_id}", status_code=204)
async def revoke_key(key_id: uuid.UUID, caller: CurrentCaller, session: TenantSession) -> Response:
    """Revoke a key; it stops working at once."""
    await service.revoke_key(session=session, user_id=caller.user_id, key_id=key_id)
    return Response(status_code=204)
