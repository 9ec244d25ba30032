"""Users' own model-provider keys, and which key pays for each agent they use.

A personal key is sealed like a tenant's provider key (SM4-CBC + HMAC-SM3 envelope
from the master key ring), bound by its associated data to this table, the tenant, the
owner and the row, so a sealed key copied to another row or user fails to open.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ColumnElement, UniqueConstraint, cast, func, literal
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from platform_core.models.base import created_at, long_text, tenant_fk, updated_at, uuid_pk
from platform_core.models.providers import PROVIDER_KINDS

# The tenant setting (``tenants.settings``) that, set to false, forbids personal keys:
# runs then use the tenant's keys whatever a user chose.
ALLOW_PERSONAL_KEYS_SETTING = "allow_personal_keys"


def personal_keys_allowed(tenant_settings: dict[str, Any] | None) -> bool:
    """Whether a tenant with these settings lets users pay with their own keys (default yes)."""
    return (tenant_settings or {}).get(ALLOW_PERSONAL_KEYS_SETTING) is not False


def personal_keys_allowed_in_sql(tenant_settings: Any) -> ColumnElement[bool]:
    """:func:`personal_keys_allowed` as an SQL condition on a ``tenants.settings`` column,
    for a query that decides it in the same read: anything but JSON ``false`` allows."""
    return (
        func.coalesce(tenant_settings, func.jsonb_build_object())
        .op("->")(ALLOW_PERSONAL_KEYS_SETTING)
        .is_distinct_from(cast(literal("false"), JSONB))
    )


def personal_key_associated_data(tenant_id: object, user_id: object, key_id: object) -> bytes:
    """What binds a personal key's envelope to its row: table, tenant, owner and row id."""
    return f"personal_provider_keys/{tenant_id}/{user_id}/{key_id}".encode()


class PersonalProviderKey(SQLModel, table=True):
    """One user's key for one provider kind; only its owner ever uses or sees (a hint of) it."""

    __tablename__ = "personal_provider_keys"
    __table_args__ = (
        UniqueConstraint("user_id", "label", name="uq_personal_provider_keys_user_label"),
        CheckConstraint(f"kind IN {PROVIDER_KINDS}", name="ck_personal_provider_keys_kind"),
    )

    id: uuid.UUID = uuid_pk()
    tenant_id: uuid.UUID = tenant_fk()
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    kind: str = Field(max_length=32)
    label: str = Field(max_length=100)
    api_base: str | None = Field(default=None, max_length=500)
    # Envelope text "v1.<key id>.<iv>.<ciphertext>.<mac>"; never returned by the API.
    credentials: str = long_text(nullable=False)
    credentials_hint: str = Field(max_length=32)
    created_at: datetime = created_at()
    updated_at: datetime = updated_at()


class AgentPayerChoice(SQLModel, table=True):
    """Who pays when a user runs an agent: one of the user's keys (no row: the tenant)."""

    __tablename__ = "agent_payer_choices"

    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    agent_id: uuid.UUID = Field(foreign_key="agents.id", ondelete="CASCADE", primary_key=True)
    tenant_id: uuid.UUID = tenant_fk()
    key_id: uuid.UUID = Field(
        foreign_key="personal_provider_keys.id", ondelete="CASCADE", index=True
    )
    updated_at: datetime = updated_at()
