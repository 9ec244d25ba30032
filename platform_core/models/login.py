"""Failed logins, counted to throttle password guessing (per account and per client IP).

Not tenant-owned: a login is refused before any tenant is known, and the same email
may live in several tenants. Rows older than the throttling window mean nothing and
are pruned as new failures arrive.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Column, DateTime, Index, false, func
from sqlmodel import Field, SQLModel


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
