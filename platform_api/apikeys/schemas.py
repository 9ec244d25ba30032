"""Bodies of the API key routes."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from platform_api.api.field_types import FUTURE_NOTE, FutureDatetime
from platform_api.apikeys.scopes import SCOPES


class ApiKeyCreate(BaseModel):
    """A new key with scopes and an optional expiry."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    scopes: list[str] = Field(min_length=1, max_length=len(SCOPES))
    expires_at: FutureDatetime | None = Field(
        default=None, description=f"When the key stops working (none: never). {FUTURE_NOTE}"
    )

    @field_validator("scopes")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(SCOPES))
        if unknown:
            raise ValueError(f"unknown scopes: {', '.join(unknown)}; known: {', '.join(SCOPES)}")
        return sorted(set(value))


class ApiKeyPublic(BaseModel):
    """A key as listed: never the secret, only its visible prefix."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str | None
    key_prefix: str
    scopes: list[str]
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None
    created_at: datetime


class ApiKeyCreated(ApiKeyPublic):
    """The one response that carries the full key; store it now, it is not shown again."""

    key: str
