"""Creating, listing, revoking and authenticating API keys."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.apikeys.keys import new_key, parse_key
from platform_api.apikeys.schemas import ApiKeyCreate
from platform_api.errors import NotFound, Unauthorized
from platform_core.db import Database
from platform_core.models import ApiKey, Tenant, User


async def create_key(
    *, session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID, data: ApiKeyCreate
) -> tuple[ApiKey, str]:
    """A key owned by the caller; returns the row and the full key (shown once)."""
    full, prefix, digest = new_key(tenant_id)
    row = ApiKey(
        tenant_id=tenant_id,
        user_id=user_id,
        key_prefix=prefix,
        key_hash=digest,
        name=data.name,
        scopes=data.scopes,
        expires_at=data.expires_at,
    )
    session.add(row)
    await session.flush()
    return row, full


async def list_keys(*, session: AsyncSession, user_id: uuid.UUID) -> list[ApiKey]:
    """The caller's keys, newest first."""
    rows = await session.execute(
        select(ApiKey).where(ApiKey.user_id == user_id).order_by(col(ApiKey.created_at).desc())
    )
    return list(rows.scalars())


async def revoke_key(*, session: AsyncSession, user_id: uuid.UUID, key_id: uuid.UUID) -> None:
    """Revoke one of the caller's keys (idempotent)."""
    row = await session.get(ApiKey, key_id)
    if row is None or row.user_id != user_id:
        raise NotFound("API key not found")
    if row.revoked_at is None:
        row.revoked_at = datetime.now(UTC)
        session.add(row)


async def authenticate_key(*, database: Database, token: str) -> tuple[User, list[str]]:
    """The user a key acts for and its scopes; 401 for anything not valid right now."""
    user, row = await authenticate_key_row(database=database, token=token)
    return user, list(row.scopes)


async def authenticate_key_row(*, database: Database, token: str) -> tuple[User, ApiKey]:
    """The user a key acts for and the key itself; 401 unless key, user and tenant are good.

    A suspended user or a suspended (or deleted) tenant makes every key of theirs
    fail at once: nothing about the key row needs to change.
    """
    parsed = parse_key(token)
    if parsed is None:
        raise Unauthorized("invalid API key")
    now = datetime.now(UTC)
    async with database.tenant_session(parsed.tenant_id) as session:
        row = (
            await session.execute(select(ApiKey).where(ApiKey.key_hash == parsed.digest))
        ).scalar_one_or_none()
        if row is None or row.revoked_at is not None or row.user_id is None:
            raise Unauthorized("invalid API key")
        if row.expires_at is not None and row.expires_at <= now:
            raise Unauthorized("API key expired")
        user = await session.get(User, row.user_id)
        tenant = await session.get(Tenant, parsed.tenant_id)
        if user is None or tenant is None or user.status != "active" or tenant.status != "active":
            raise Unauthorized("account or tenant is not active")
        await session.execute(
            update(ApiKey).where(col(ApiKey.id) == row.id).values(last_used_at=now)
        )
        return user, row
