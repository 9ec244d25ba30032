"""Logging in: refresh tokens and the throttle of failed logins."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Index,
    false,
    func,
)
from sqlmodel import Field, SQLModel

from platform_core.models.base import (
    created_at,
    tenant_fk,
    timestamp,
    uuid_pk,
)


class RefreshToken(SQLModel, table=True):
    """One issued refresh token; rotation links tokens of one login into a family."""

    __tablename__ = "refresh_tokens"

    id: uuid.UUID = uuid_pk()
    tenant_id: uuid.UUID = tenant_fk()
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    family_id: uuid.UUID = Field(index=True)
    token_hash: str = Field(max_length=128, unique=True)
    expires_at: datetime = timestamp(nullable=False)
    used_at: datetime | None = timestamp()
    revoked_at: datetime | None = timestamp()
    created_at: datetime = created_at()


class LoginFailure(SQLModel, table=True):
    """One failed login: the (lower-cased) email tried and the client address."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_email_at", "email", "attempted_at"),
        Index("ix_login_failures_ip_at", "client_ip", "attempted_at"),
    )

    id: int | None = Field(
        default=None, sa_column=Column(BigInteger, primary_key=True, autoincrement=True)
    )
    email: str = Field(max_length=320)
    client_ip: str = Field(max_length=64)
    attempted_at: datetime = Field(
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now())
    )
    # Set when the account then logged in: no longer counts for the account, still for the IP.
    account_cleared: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=false())
    )
