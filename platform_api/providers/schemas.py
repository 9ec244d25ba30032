"""Bodies of the provider and service-config routes.

Credentials are write-only: ``api_key`` is accepted on create and update (as a
``SecretStr``, so it never shows in a repr or a validation error) and no response
model has a field that could carry it back; responses show ``credentials_hint``.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from node_types.llm import MODEL_PARAMS
from platform_api.api.field_types import JSON_LIMIT_NOTE, SECRET_LIMIT_NOTE, JsonObject, Secret

ProviderKind = Literal["openai", "anthropic", "zhipu", "openai_compatible"]
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$"


def _checked_base_url(value: str | None) -> str | None:
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("base_url must be an http(s) URL with a host")
    if parts.username or parts.password:
        raise ValueError("base_url must not carry credentials; set api_key instead")
    if parts.query or parts.fragment:
        raise ValueError("base_url must not have a query or fragment")
    return value.rstrip("/")


def _checked_params(value: dict[str, Any] | None) -> dict[str, Any] | None:
    unknown = sorted(set(value or {}) - set(MODEL_PARAMS))
    if unknown:
        raise ValueError(f"unknown model params {unknown}; allowed: {list(MODEL_PARAMS)}")
    return value


def _checked_api_key(value: SecretStr | None) -> SecretStr | None:
    if value is not None and not value.get_secret_value().strip():
        raise ValueError("api_key must not be blank (omit it for keyless servers)")
    return value


class ProviderCreate(BaseModel):
    """A provider the tenant calls: a vendor, or any OpenAI-compatible server."""

    model_config = ConfigDict(extra="forbid")

    provider_name: str = Field(pattern=NAME_PATTERN)
    display_name: str | None = Field(default=None, min_length=1, max_length=200)
    kind: ProviderKind
    base_url: str | None = Field(
        default=None,
        max_length=500,
        description="Required for openai_compatible (e.g. http://vllm:8000/v1); optional "
        "for the others (a proxy or a regional endpoint).",
    )
    description: str | None = Field(default=None, max_length=2000)
    is_active: bool = True

    _base_url = field_validator("base_url")(_checked_base_url)


class ProviderUpdate(BaseModel):
    """Changes to a provider (its name and kind are fixed)."""

    model_config = ConfigDict(extra="forbid")

    display_name: str | None = Field(default=None, min_length=1, max_length=200)
    base_url: str | None = Field(default=None, max_length=500)
    description: str | None = Field(default=None, max_length=2000)
    is_active: bool | None = None

    _base_url = field_validator("base_url")(_checked_base_url)


class ProviderPublic(BaseModel):
    """A provider as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    provider_id: int
    provider_name: str
    display_name: str
    kind: str
    service_type: str
    base_url: str | None
    description: str | None
    is_active: bool
    created_at: datetime
    updated_at: datetime


class Pricing(BaseModel):
    """Prices that override litellm's cost map (for self-hosted or unlisted models)."""

    model_config = ConfigDict(extra="forbid")

    input_cost_per_token: Decimal = Field(ge=0)
    output_cost_per_token: Decimal = Field(ge=0)


class Limits(BaseModel):
    """Per-call limits; ``max_output_tokens`` also sizes each call's quota reservation."""

    model_config = ConfigDict(extra="forbid")

    max_output_tokens: int | None = Field(default=None, ge=1, le=1_000_000)


class ServiceConfigCreate(BaseModel):
    """One usable model of a provider, with its (write-only) credentials."""

    model_config = ConfigDict(extra="forbid")

    provider_id: int = Field(ge=1, le=2_147_483_647)
    service_name: str = Field(pattern=NAME_PATTERN)
    service_display_name: str | None = Field(default=None, min_length=1, max_length=200)
    model: str = Field(min_length=1, max_length=255, description="The provider's model name.")
    api_key: Secret | None = Field(
        default=None,
        description=f"Write-only: stored SM4-encrypted, never returned. {SECRET_LIMIT_NOTE}",
    )
    params: JsonObject = Field(
        default_factory=dict, description=f"Default model params. {JSON_LIMIT_NOTE}"
    )
    pricing: Pricing | None = None
    limits: Limits = Field(default_factory=Limits)
    is_default: bool = Field(default=False, description="The tenant's default LLM service.")
    is_active: bool = True

    _params = field_validator("params")(_checked_params)
    _api_key = field_validator("api_key")(_checked_api_key)


class ServiceConfigUpdate(BaseModel):
    """Changes to a service config; ``api_key`` replaces the stored key, ``clear_api_key``
    removes it."""

    model_config = ConfigDict(extra="forbid")

    service_display_name: str | None = Field(default=None, min_length=1, max_length=200)
    model: str | None = Field(default=None, min_length=1, max_length=255)
    api_key: Secret | None = Field(
        default=None,
        description=f"Write-only: replaces the stored key. {SECRET_LIMIT_NOTE}",
    )
    clear_api_key: bool = False
    params: JsonObject | None = Field(
        default=None, description=f"Default model params. {JSON_LIMIT_NOTE}"
    )
    pricing: Pricing | None = None
    limits: Limits | None = None
    is_default: bool | None = None
    is_active: bool | None = None

    _params = field_validator("params")(_checked_params)
    _api_key = field_validator("api_key")(_checked_api_key)


class ServiceConfigPublic(BaseModel):
    """A service config as the API shows it: never the key, only a masked hint."""

    provider_id: int
    config_id: int
    service_name: str
    service_display_name: str
    service_type: str
    model: str
    params: dict[str, Any]
    pricing: Pricing | None
    limits: Limits
    is_default: bool
    is_active: bool
    has_credentials: bool
    credentials_hint: str | None
    created_at: datetime
    updated_at: datetime


ProbeReason = Literal[
    "unauthorized",
    "model_not_found",
    "rate_limited",
    "timeout",
    "unreachable",
    "refused_address",
    "config_unavailable",
    "other",
]


class ServiceConfigTestResult(BaseModel):
    """How one tiny call through a service config went."""

    ok: bool
    message: str = Field(description="What happened, in plain words (the provider's reason).")
    model: str = Field(description="The model the call was made to, as litellm names it.")
    latency_ms: int | None = Field(default=None, description="How long the call took.")
    reason: ProbeReason | None = Field(
        default=None, description="Why it failed, as a stable code (null when it worked)."
    )
    params: dict[str, str | int | None] = Field(
        default_factory=dict, description="What the reason names: detail, where, seconds."
    )
