"""Tenants, their users and their quotas."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from platform_core.models.base import (
    created_at,
    jsonb,
    tenant_fk,
    timestamp,
    updated_at,
    uuid_pk,
)

TENANT_STATUSES = ("active", "suspended", "deleted")


USER_ROLES = ("admin", "developer", "reviewer", "user", "viewer")


USER_STATUSES = ("active", "suspended")


class Tenant(SQLModel, table=True):
    """An isolated organisation; every tenant-owned row points here."""

    __tablename__ = "tenants"
    __table_args__ = (
        CheckConstraint(f"status IN {TENANT_STATUSES}", name="ck_tenants_status"),
        CheckConstraint("plan IN ('free', 'pro', 'enterprise')", name="ck_tenants_plan"),
    )

    id: uuid.UUID = uuid_pk()
    name: str = Field(max_length=100, unique=True)
    display_name: str = Field(max_length=200)
    plan: str = Field(default="free", max_length=50)
    status: str = Field(default="active", max_length=20)
    settings: dict[str, Any] = jsonb()
    created_at: datetime = created_at()
    updated_at: datetime = updated_at()


class User(SQLModel, table=True):
    """A person in one tenant; the same email may exist in several tenants."""

    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("tenant_id", "email", name="uq_users_tenant_email"),
        CheckConstraint(f"role IN {USER_ROLES}", name="ck_users_role"),
        CheckConstraint(f"status IN {USER_STATUSES}", name="ck_users_status"),
    )

    id: uuid.UUID = uuid_pk()
    tenant_id: uuid.UUID = tenant_fk()
    email: str = Field(max_length=255, index=True)
    display_name: str | None = Field(default=None, max_length=200)
    password_hash: str = Field(max_length=255)
    role: str = Field(default="user", max_length=50)
    status: str = Field(default="active", max_length=20)
    # Bumped to revoke every token issued before (password change, "log out everywhere").
    token_version: int = Field(default=0)
    preferences: dict[str, Any] = jsonb()
    last_login_at: datetime | None = timestamp()
    created_at: datetime = created_at()
    updated_at: datetime = updated_at()


class TenantQuota(SQLModel, table=True):
    """Limits and the running counters checked against them."""

    __tablename__ = "tenant_quotas"

    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", primary_key=True, ondelete="CASCADE")
    max_users: int = Field(default=5)
    max_agents: int = Field(default=10)
    max_sessions_per_day: int = Field(default=100)
    max_tokens_per_month: int = Field(default=1_000_000, sa_column=Column(BigInteger))
    current_month_tokens: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    # Tokens reserved by calls in flight; reconciled when each call reports its usage.
    reserved_tokens: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    current_day_sessions: int = Field(default=0)
    sessions_day: date | None = Field(default=None)
    reset_date: date | None = Field(default=None)
