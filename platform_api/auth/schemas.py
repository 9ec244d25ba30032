"""Request and response bodies of the auth routes."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field


class LoginRequest(BaseModel):
    """Email and password; the tenant is found from the email when it is unique."""

    model_config = ConfigDict(extra="forbid")

    email: EmailStr
    password: str = Field(min_length=1, max_length=1024)


class LoginWithTenantRequest(LoginRequest):
    """Login when the email exists in several tenants: name the tenant (id or name)."""

    tenant: str = Field(min_length=1, max_length=100)


class RefreshRequest(BaseModel):
    """A refresh token to exchange for a new pair (single use)."""

    model_config = ConfigDict(extra="forbid")

    refresh_token: str = Field(min_length=1, max_length=4096)


class TokenPair(BaseModel):
    """Access and refresh tokens."""

    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_at: datetime
    tenant_id: uuid.UUID
    role: str


class TenantChoice(BaseModel):
    """A tenant the email belongs to."""

    tenant_id: uuid.UUID
    name: str
    display_name: str


class TenantSelectionRequired(BaseModel):
    """The 202 answer when the email exists in several tenants."""

    detail: str = (
        "this email belongs to several tenants; choose one with /api/auth/login-with-tenant"
    )
    tenants: list[TenantChoice]


class MeResponse(BaseModel):
    """The caller's account."""

    id: uuid.UUID
    email: str
    display_name: str | None
    role: str
    tenant_id: uuid.UUID
    tenant_name: str
    tenant_display_name: str
    # Admin of the platform tenant: may manage every tenant (/api/v1/platform/...).
    platform_admin: bool = False


class PasswordChange(BaseModel):
    """The caller's current password and the new one (the password policy applies)."""

    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024)
