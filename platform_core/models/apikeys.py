"""API keys (hashed) with their scopes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from platform_core.models.base import (
    created_at,
    jsonb,
    tenant_fk,
    timestamp,
    uuid_pk,
)


class ApiKey(SQLModel, table=True):
    """A scoped credential shown once; only its hash and a visible prefix are stored."""

    __tablename__ = "api_keys"

    id: uuid.UUID = uuid_pk()
    tenant_id: uuid.UUID = tenant_fk()
    user_id: uuid.UUID | None = Field(
        default=None, foreign_key="users.id", ondelete="SET NULL", index=True
    )
    key_prefix: str = Field(max_length=16, index=True)
    key_hash: str = Field(max_length=255, unique=True)
    name: str | None = Field(default=None, max_length=100)
    scopes: list[Any] = jsonb(default=list)
    expires_at: datetime | None = timestamp()
    last_used_at: datetime | None = timestamp()
    revoked_at: datetime | None = timestamp()
    created_at: datetime = created_at()
