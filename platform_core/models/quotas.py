"""Token quota bookkeeping: reservations per call and monthly usage per tenant."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, CheckConstraint, Column, Index, Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel

from platform_core.models.base import created_at, tenant_fk, timestamp, uuid_pk

RESERVATION_STATUSES = ("reserved", "settled", "released")


class TokenReservation(SQLModel, table=True):
    """Tokens held against the tenant's monthly quota for one attempt of one model call.

    Keyed by run, node task and attempt, so settling is idempotent and a retry can
    release what a crashed attempt left reserved.
    """

    __tablename__ = "token_reservations"
    __table_args__ = (
        UniqueConstraint("execution_id", "task_id", "attempt", name="uq_token_reservations_call"),
        CheckConstraint(f"status IN {RESERVATION_STATUSES}", name="ck_token_reservations_status"),
        # Stale holds and old closed rows, found by the retention sweep (migration 0013).
        Index("ix_token_reservations_tenant_created", "tenant_id", "created_at"),
    )

    id: uuid.UUID = uuid_pk()
    tenant_id: uuid.UUID = tenant_fk()
    execution_id: uuid.UUID = Field(index=True)
    task_id: str = Field(max_length=255)
    attempt: int = Field(default=1)
    model: str = Field(default="", max_length=255)
    reserved_tokens: int = Field(sa_column=Column(BigInteger, nullable=False))
    used_tokens: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    status: str = Field(default="reserved", max_length=20)
    created_at: datetime = created_at()
    settled_at: datetime | None = timestamp()


class TenantTokenUsage(SQLModel, table=True):
    """What a tenant's model calls used in one calendar month (UTC)."""

    __tablename__ = "tenant_token_usage"

    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", primary_key=True, ondelete="CASCADE")
    month: date = Field(primary_key=True)
    prompt_tokens: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    completion_tokens: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    total_tokens: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    cost: Decimal = Field(default=Decimal(0), sa_column=Column(Numeric(14, 6), nullable=False))
    calls: int = Field(default=0)
