"""Bodies of the identity-provider routes (OpenID Connect sign-in).

The client secret is write-only: accepted on PUT as a ``SecretStr`` (never in a repr or
a validation error); responses carry only ``client_secret_hint``.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from platform_api.api.field_types import SECRET_LIMIT_NOTE, Secret

TenantRole = Literal["admin", "developer", "reviewer", "user", "viewer"]
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_CLAIM = re.compile(r"^[A-Za-z0-9_:./-]{1,100}$")


class IdentityProviderSettings(BaseModel):
    """What the tenant admin configures (PUT replaces everything but a secret left out)."""

    model_config = ConfigDict(extra="forbid")

    issuer: str = Field(
        min_length=8,
        max_length=500,
        description="The issuer URL exactly as the provider names it (discovery is read "
        "from {issuer}/.well-known/openid-configuration).",
    )
    client_id: str = Field(min_length=1, max_length=255)
    client_secret: Secret | None = Field(
        default=None,
        description="Write-only. Required the first time; left out, the stored one is kept. "
        + SECRET_LIMIT_NOTE,
    )
    scopes: str = Field(default="openid email profile", min_length=6, max_length=500)
    allowed_domains: list[str] = Field(
        default_factory=list,
        max_length=100,
        description="E-mail domains allowed to sign in (lower case); empty: any.",
    )
    role_claim: str | None = Field(
        default=None, description="The ID-token claim whose value(s) pick the role."
    )
    role_mapping: dict[str, TenantRole] = Field(
        default_factory=dict,
        max_length=100,
        description="Claim value → tenant role; with several matches the highest role wins.",
    )
    default_role: TenantRole = "user"
    jit_provisioning: bool = Field(
        default=True, description="Create an account at the first sign-in of a new person."
    )
    local_login_enabled: bool = Field(
        default=True, description="Off: e-mail and password login is refused for the tenant."
    )
    enabled: bool = True

    @field_validator("issuer")
    @classmethod
    def _issuer(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("issuer must be an http(s) URL with a host")
        if parts.username or parts.password or parts.query or parts.fragment:
            raise ValueError("issuer must not carry credentials, a query or a fragment")
        return value

    @field_validator("scopes")
    @classmethod
    def _scopes(cls, value: str) -> str:
        if "openid" not in value.split():
            raise ValueError("scopes must include openid")
        return " ".join(value.split())

    @field_validator("allowed_domains")
    @classmethod
    def _domains(cls, value: list[str]) -> list[str]:
        domains = sorted({d.strip().lower().lstrip("@") for d in value})
        bad = [d for d in domains if not _DOMAIN.fullmatch(d)]
        if bad:
            raise ValueError(f"not e-mail domains: {bad[:3]}")
        return domains

    @field_validator("role_claim")
    @classmethod
    def _claim(cls, value: str | None) -> str | None:
        if value is not None and not _CLAIM.fullmatch(value):
            raise ValueError("role_claim must be a claim name (letters, digits, _:./-)")
        return value

    @field_validator("role_mapping")
    @classmethod
    def _mapping(cls, value: dict[str, str]) -> dict[str, str]:
        if any(not 1 <= len(key) <= 200 for key in value):
            raise ValueError("role_mapping keys must be 1 to 200 characters")
        return value

    @model_validator(mode="after")
    def _never_locked_out(self) -> IdentityProviderSettings:
        # Password login may be switched off only while there is another way in.
        if not self.local_login_enabled and not self.enabled:
            raise ValueError("local login can be switched off only while the provider is enabled")
        return self


class IdentityProviderPublic(BaseModel):
    """The tenant's identity provider as shown to its admin (never the secret)."""

    issuer: str
    client_id: str
    client_secret_hint: str
    scopes: str
    allowed_domains: list[str]
    role_claim: str | None
    role_mapping: dict[str, str]
    default_role: str
    jit_provisioning: bool
    local_login_enabled: bool
    enabled: bool
    redirect_uri: str = Field(description="The redirect URI to register at the provider.")
    created_at: datetime
    updated_at: datetime


class OidcCallback(BaseModel):
    """What the provider handed the browser on its way back: the code and our state."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=2048)
    state: str = Field(min_length=16, max_length=256)
