"""Model/service providers and their per-tenant configurations (seeds requirements §4.4)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from platform_core.models.base import created_at, jsonb, long_text, tenant_fk, updated_at

# How the platform talks to a provider (litellm route); "openai_compatible" needs base_url.
PROVIDER_KINDS = ("openai", "anthropic", "zhipu", "openai_compatible")


class Provider(SQLModel, table=True):
    """A service vendor a tenant uses: OpenAI, Zhipu GLM, Anthropic, an OpenAI-compatible URL."""

    __tablename__ = "providers"
    __table_args__ = (
        UniqueConstraint("tenant_id", "provider_name", name="uq_providers_tenant_name"),
        CheckConstraint(f"kind IN {PROVIDER_KINDS}", name="ck_providers_kind"),
    )

    provider_id: int | None = Field(default=None, primary_key=True)
    tenant_id: uuid.UUID = tenant_fk()
    provider_name: str = Field(max_length=100)
    display_name: str = Field(max_length=200)
    kind: str = Field(default="openai_compatible", max_length=32)
    service_type: str = Field(default="llm", max_length=50)
    description: str | None = long_text()
    base_url: str | None = Field(default=None, max_length=500)
    is_active: bool = Field(default=True)
    created_at: datetime = created_at()
    updated_at: datetime = updated_at()


class ServiceConfig(SQLModel, table=True):
    """A usable service (e.g. one model) of a provider; credentials are SM4-encrypted."""

    __tablename__ = "service_configs"
    __table_args__ = (
        UniqueConstraint("tenant_id", "service_name", name="uq_service_configs_tenant_name"),
    )

    config_id: int | None = Field(default=None, primary_key=True)
    tenant_id: uuid.UUID = tenant_fk()
    provider_id: int = Field(foreign_key="providers.provider_id", ondelete="CASCADE", index=True)
    service_name: str = Field(max_length=100)
    service_display_name: str = Field(max_length=200)
    service_type: str = Field(default="llm", max_length=50)
    config_data: dict[str, Any] = jsonb()
    # Envelope text "v1.<key id>.<iv>.<ciphertext>.<mac>"; never returned by the API.
    credentials: str | None = long_text()
    credentials_hint: str | None = Field(default=None, max_length=32)
    pricing_config: dict[str, Any] = jsonb()
    limits_config: dict[str, Any] = jsonb()
    is_default: bool = Field(default=False)
    is_active: bool = Field(default=True)
    created_at: datetime = created_at()
    updated_at: datetime = updated_at()
