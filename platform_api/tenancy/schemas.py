"""Bodies of the tenant (platform admin) and user (tenant admin) routes.

Write models forbid unknown fields, so ``id``, ``tenant_id``, ``token_version``,
``password_hash`` and the like can never be set by a client: they answer 422.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field

from platform_api.api.field_types import JSON_LIMIT_NOTE, MAX_JSON_FIELD_BYTES, JsonAtMost
from platform_core.models.personal_keys import ALLOW_PERSONAL_KEYS_SETTING
from platform_core.settings import (
    AUDIT_RETENTION_MAX_DAYS,
    AUDIT_RETENTION_MIN_DAYS,
    AUDIT_RETENTION_SETTING,
)

TenantPlan = Literal["free", "pro", "enterprise"]
TenantStatus = Literal["active", "suspended", "deleted"]
UserRole = Literal["admin", "developer", "reviewer", "user", "viewer"]
UserStatus = Literal["active", "suspended"]
# When true, a submission is approved only after a finished replay check of it
# (``platform_api.replay_checks``).
REPLAY_CHECK_SETTING = "require_replay_check"


def _check_known_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """The settings the platform reads must hold what it expects (the rest are free)."""
    days = settings.get(AUDIT_RETENTION_SETTING)
    if days is not None and (
        not isinstance(days, int)
        or isinstance(days, bool)
        or not AUDIT_RETENTION_MIN_DAYS <= days <= AUDIT_RETENTION_MAX_DAYS
    ):
        raise ValueError(
            f"{AUDIT_RETENTION_SETTING} must be a whole number of days from "
            f"{AUDIT_RETENTION_MIN_DAYS} to {AUDIT_RETENTION_MAX_DAYS}"
        )
    required = settings.get(REPLAY_CHECK_SETTING)
    if required is not None and not isinstance(required, bool):
        raise ValueError(f"{REPLAY_CHECK_SETTING} must be true or false")
    allowed = settings.get(ALLOW_PERSONAL_KEYS_SETTING)
    if allowed is not None and not isinstance(allowed, bool):
        raise ValueError(f"{ALLOW_PERSONAL_KEYS_SETTING} must be true or false")
    return settings


# Free settings: at most 100 keys (a dict bound, before the size rule wraps it, so the
# OpenAPI document says maxProperties) and 64 KiB as JSON; the keys the platform reads
# are checked.
TenantSettings = Annotated[
    dict[str, Any],
    Field(max_length=100),
    JsonAtMost(MAX_JSON_FIELD_BYTES),
    AfterValidator(_check_known_settings),
]
# What the settings mean to the platform, for the OpenAPI descriptions.
SETTINGS_NOTE = (
    f"`{AUDIT_RETENTION_SETTING}` ({AUDIT_RETENTION_MIN_DAYS}–{AUDIT_RETENTION_MAX_DAYS}) "
    "keeps the tenant's audit log that many days instead of the platform's default; "
    f"`{REPLAY_CHECK_SETTING}` (true/false) approves a new version of a published agent only "
    "after a finished replay check of it; "
    f"`{ALLOW_PERSONAL_KEYS_SETTING}` (true/false, default true) lets users pay for their runs "
    "with their own model keys."
)
TENANT_NAME_PATTERN = r"^[a-z0-9][a-z0-9-]{1,62}$"
MAX_TOKENS_PER_MONTH = 10**13


class QuotaLimits(BaseModel):
    """A tenant's limits; omitted fields keep their current (or default) value."""

    model_config = ConfigDict(extra="forbid")

    max_users: int | None = Field(default=None, ge=1, le=1_000_000)
    max_agents: int | None = Field(default=None, ge=0, le=1_000_000)
    max_sessions_per_day: int | None = Field(default=None, ge=0, le=100_000_000)
    max_tokens_per_month: int | None = Field(default=None, ge=0, le=MAX_TOKENS_PER_MONTH)


class QuotaPublic(BaseModel):
    """Limits and what is used of them."""

    model_config = ConfigDict(from_attributes=True)

    max_users: int
    max_agents: int
    max_sessions_per_day: int
    max_tokens_per_month: int
    current_month_tokens: int
    current_day_sessions: int


class FirstAdmin(BaseModel):
    """The new tenant's first administrator."""

    model_config = ConfigDict(extra="forbid")

    email: EmailStr
    password: str = Field(min_length=1, max_length=1024)
    display_name: str | None = Field(default=None, max_length=200)


class TenantCreate(BaseModel):
    """A new tenant with its first admin, created in one transaction."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=TENANT_NAME_PATTERN, description="Unique, lower case, for login.")
    display_name: str = Field(min_length=1, max_length=200)
    plan: TenantPlan = "free"
    settings: TenantSettings = Field(
        default_factory=dict,
        description=f"Free tenant settings (at most 100 keys). {SETTINGS_NOTE} {JSON_LIMIT_NOTE}",
    )
    quotas: QuotaLimits = Field(default_factory=QuotaLimits)
    admin: FirstAdmin


class TenantUpdate(BaseModel):
    """What a platform admin may change; omitted fields stay as they are."""

    model_config = ConfigDict(extra="forbid")

    display_name: str | None = Field(default=None, min_length=1, max_length=200)
    plan: TenantPlan | None = None
    status: TenantStatus | None = None
    settings: TenantSettings | None = Field(
        default=None,
        description=f"Replaces the settings (at most 100 keys). {SETTINGS_NOTE} {JSON_LIMIT_NOTE}",
    )
    quotas: QuotaLimits | None = None


class TenantPublic(BaseModel):
    """A tenant as the platform admin sees it (quotas on single-tenant answers)."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    display_name: str
    plan: str
    status: str
    settings: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    quotas: QuotaPublic | None = None


class UserCreate(BaseModel):
    """A new account in the caller's tenant (the password policy applies)."""

    model_config = ConfigDict(extra="forbid")

    email: EmailStr
    display_name: str | None = Field(default=None, max_length=200)
    role: UserRole = "user"
    password: str = Field(min_length=1, max_length=1024)


class UserUpdate(BaseModel):
    """Role, status or name; a role or status change ends the user's sessions."""

    model_config = ConfigDict(extra="forbid")

    display_name: str | None = Field(default=None, max_length=200)
    role: UserRole | None = None
    status: UserStatus | None = None


class UserPublic(BaseModel):
    """An account as a tenant admin sees it (never its password hash)."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    display_name: str | None
    role: str
    status: str
    last_login_at: datetime | None
    created_at: datetime
    updated_at: datetime
