"""Bodies of the personal-key routes.

The key is write-only: ``api_key`` is accepted on create and replace (a ``SecretStr``,
so it never shows in a repr or a validation error) and no response model has a field
that could carry it back; responses show ``key_hint`` (e.g. ``sk-…abcd``).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from platform_api.api.field_types import SECRET_LIMIT_NOTE, Secret
from platform_api.providers.schemas import ProviderKind, _checked_base_url


def _checked_key(value: SecretStr) -> SecretStr:
    if not value.get_secret_value().strip():
        raise ValueError("api_key must not be blank")
    return value


class PersonalKeyCreate(BaseModel):
    """One of the caller's own keys for a provider kind."""

    model_config = ConfigDict(extra="forbid")

    kind: ProviderKind = Field(
        description="Which kind of provider the key is for; it pays only for models bound "
        "to a tenant provider of the same kind."
    )
    label: str = Field(min_length=1, max_length=100, description="Your name for the key.")
    api_base: str | None = Field(
        default=None,
        max_length=500,
        description="Your own endpoint (checked by the outbound URL policy); by default "
        "the tenant provider's endpoint is called.",
    )
    api_key: Secret = Field(
        description=f"Write-only: stored SM4-encrypted, never returned. {SECRET_LIMIT_NOTE}"
    )

    _api_base = field_validator("api_base")(_checked_base_url)
    _api_key = field_validator("api_key")(_checked_key)


class PersonalKeyReplace(BaseModel):
    """A new secret for an existing key (its kind, label and endpoint stay)."""

    model_config = ConfigDict(extra="forbid")

    api_key: Secret = Field(description=f"Write-only: replaces the stored key. {SECRET_LIMIT_NOTE}")

    _api_key = field_validator("api_key")(_checked_key)


class PersonalKeyPublic(BaseModel):
    """A personal key as its owner sees it: never the key, only a masked hint."""

    id: uuid.UUID
    kind: str
    label: str
    api_base: str | None
    key_hint: str
    created_at: datetime
    updated_at: datetime


class PersonalKeyList(BaseModel):
    """The caller's keys, and whether the tenant lets them pay with them."""

    items: list[PersonalKeyPublic]
    allowed: bool = Field(description="False when the tenant admin forbids personal keys.")


class PayerChoice(BaseModel):
    """Who pays for the caller's runs of one agent."""

    model_config = ConfigDict(extra="forbid")

    payer: Literal["tenant", "personal"]
    key_id: uuid.UUID | None = Field(
        default=None, description="One of the caller's keys; required when payer is personal."
    )


class PayerChoicePublic(BaseModel):
    """The caller's choice for one agent, and whether it applies."""

    agent_id: uuid.UUID
    payer: Literal["tenant", "personal"]
    key_id: uuid.UUID | None
    key_label: str | None
    key_hint: str | None
    allowed: bool = Field(description="False when the tenant admin forbids personal keys.")


class PersonalKeysPolicy(BaseModel):
    """The tenant's switch for personal keys (tenant admins)."""

    model_config = ConfigDict(extra="forbid")

    allow_personal_keys: bool
