"""Sign-in with a tenant's identity provider (OpenID Connect): its settings and the
short-lived attempts that tie an authorization response to the browser that started it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Column, ForeignKey, Uuid
from sqlmodel import Field, SQLModel

from platform_core.models.base import (
    created_at,
    jsonb,
    long_text,
    tenant_fk,
    text_array,
    timestamp,
    updated_at,
    uuid_pk,
)


class IdentityProvider(SQLModel, table=True):
    """A tenant's OpenID Connect provider (one per tenant); the client secret is SM4-sealed."""

    __tablename__ = "identity_providers"
    __table_args__ = (
        CheckConstraint(
            "default_role IN ('admin', 'developer', 'reviewer', 'user', 'viewer')",
            name="ck_identity_providers_default_role",
        ),
    )

    tenant_id: uuid.UUID = Field(
        sa_column=Column(
            Uuid, ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True, nullable=False
        )
    )
    issuer: str = Field(max_length=500)
    client_id: str = Field(max_length=255)
    # Envelope "v1.<key id>.<iv>.<ciphertext>.<mac>" bound to this row; never returned.
    client_secret: str = long_text(nullable=False)
    client_secret_hint: str = Field(max_length=32)
    scopes: str = Field(default="openid email profile", max_length=500)
    # Lower-case e-mail domains allowed to sign in; empty: any domain the provider vouches for.
    allowed_domains: list[str] = text_array()
    # Claim whose value(s) pick the role, and value → tenant role.
    role_claim: str | None = Field(default=None, max_length=100)
    role_mapping: dict[str, Any] = jsonb()
    default_role: str = Field(default="user", max_length=50)
    jit_provisioning: bool = Field(default=True)
    # Off: e-mail + password login is refused for this tenant (lives here so that
    # removing the provider can never leave a tenant without any way in).
    local_login_enabled: bool = Field(default=True)
    enabled: bool = Field(default=True)
    created_at: datetime = created_at()
    updated_at: datetime = updated_at()


class OidcLoginAttempt(SQLModel, table=True):
    """One started sign-in: what the callback must match, usable once, for minutes."""

    __tablename__ = "oidc_login_attempts"

    id: uuid.UUID = uuid_pk()
    tenant_id: uuid.UUID = tenant_fk()
    # SHA-256 of the state; the state itself only travels to the provider and the browser.
    state_hash: str = Field(max_length=64, unique=True)
    nonce: str = Field(max_length=128)
    code_verifier: str = Field(max_length=128)
    redirect_uri: str = Field(max_length=1000)
    expires_at: datetime = timestamp(nullable=False)
    used_at: datetime | None = timestamp()
    created_at: datetime = created_at()
