"""Token quota bookkeeping: reservations per call, monthly usage per tenant, budgets per
agent and per user under the tenant's quota, and the runs waiting for a budget."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    Index,
    Numeric,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel

from platform_core.models.base import created_at, tenant_fk, timestamp, updated_at, uuid_pk

RESERVATION_STATUSES = ("reserved", "settled", "released")
# Budgets a tenant admin sets (agent, user) and the counter of what a user's own model keys
# spent (user_personal: not charged to the tenant; limited only if a limit is set).
BUDGET_SCOPES = ("agent", "user", "user_personal")
# What a run can wait for: one of those budgets, or the tenant's own monthly quota.
WAIT_SCOPES = ("tenant", *BUDGET_SCOPES)


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
    # Whose budgets the hold counts against (besides the tenant's quota, unless paid by
    # a user's own key): settling and releasing give it back to exactly those counters.
    agent_id: uuid.UUID | None = Field(default=None)
    user_id: uuid.UUID | None = Field(default=None)
    # Paid by ``user_id``'s own model key: charged to their user_personal counter only.
    paid_by_user: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})


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


class TokenBudget(SQLModel, table=True):
    """A monthly token budget of one agent or user (under the tenant's quota), and its
    counters for the current UTC calendar month.

    A row exists for every subject that made a call (the counters), with
    ``max_tokens_per_month`` NULL when the subject has no limit of its own.
    """

    __tablename__ = "token_budgets"
    __table_args__ = (
        UniqueConstraint("tenant_id", "scope", "subject_id", name="uq_token_budgets_subject"),
        CheckConstraint(f"scope IN {BUDGET_SCOPES}", name="ck_token_budgets_scope"),
        CheckConstraint(
            "max_tokens_per_month IS NULL OR max_tokens_per_month >= 0",
            name="ck_token_budgets_limit",
        ),
    )

    id: uuid.UUID = uuid_pk()
    tenant_id: uuid.UUID = tenant_fk()
    scope: str = Field(max_length=20)
    subject_id: uuid.UUID
    max_tokens_per_month: int | None = Field(
        default=None, sa_column=Column(BigInteger, nullable=True)
    )
    # The month ``used_tokens`` counts (a call in a later month starts it again).
    month: date | None = Field(default=None)
    used_tokens: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    reserved_tokens: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    updated_at: datetime = updated_at()


class BudgetWait(SQLModel, table=True):
    """A run's node that waits for a budget (written by the llm activity that was refused,
    deleted when the node gets its tokens)."""

    __tablename__ = "budget_waits"
    __table_args__ = (
        CheckConstraint(f"scope IN {WAIT_SCOPES}", name="ck_budget_waits_scope"),
        Index("ix_budget_waits_tenant_scope", "tenant_id", "scope", "subject_id"),
    )

    execution_id: uuid.UUID = Field(
        foreign_key="workflow_executions.execution_id", ondelete="CASCADE", primary_key=True
    )
    task_id: str = Field(max_length=255, primary_key=True)
    tenant_id: uuid.UUID = tenant_fk()
    node_name: str = Field(default="", max_length=128)
    scope: str = Field(max_length=20)
    subject_id: uuid.UUID
    period_end: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    since: datetime = created_at()
