"""What the budgets routes take and answer: per-agent and per-user monthly token budgets
under the tenant's quota, and the runs waiting for one."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

BudgetScope = Literal["agent", "user", "user_personal"]
WaitScope = Literal["tenant", "agent", "user", "user_personal"]


class BudgetUpdate(BaseModel):
    """A budget's new monthly limit; null removes the subject's own limit."""

    model_config = ConfigDict(extra="forbid")

    max_tokens_per_month: int | None = Field(
        ge=0,
        le=10**15,
        description="Tokens per UTC calendar month; at most the tenant's own quota. "
        "null: no limit of its own (the tenant's quota still applies).",
    )


class BudgetPublic(BaseModel):
    """One agent's or user's budget and what it used this month."""

    scope: BudgetScope
    subject_id: uuid.UUID
    subject_name: str = Field(description="The agent's name or the user's e-mail.")
    limit: int | None = Field(description="The monthly limit; null: none of its own.")
    used: int = Field(description="Tokens used this month.")
    reserved: int = Field(description="Held by calls in flight.")
    remaining: int | None = Field(description="What is left (never below 0); null: no limit.")
    waiting_runs: int = Field(description="Runs waiting for this budget now.")


class TenantBudget(BaseModel):
    """The tenant's own monthly token quota (set by the platform's operators)."""

    limit: int | None
    used: int
    reserved: int
    remaining: int | None
    waiting_runs: int


class BudgetsReport(BaseModel):
    """Every budget of the tenant as of ``as_of``; counters start again at ``period_end``."""

    as_of: datetime
    period_end: datetime
    tenant: TenantBudget
    budgets: list[BudgetPublic]


class BudgetWaitPublic(BaseModel):
    """A run waiting for a budget."""

    execution_id: uuid.UUID
    chat_id: uuid.UUID | None
    agent_id: uuid.UUID
    agent_name: str
    user_id: uuid.UUID | None
    user_email: str | None
    node_name: str
    scope: WaitScope
    subject_id: uuid.UUID
    since: datetime
    period_end: datetime = Field(description="When the period ends and the run tries again.")


class BudgetWaitBrief(BaseModel):
    """Which budget a run waits for (on the executions list)."""

    model_config = ConfigDict(from_attributes=True)

    scope: WaitScope
    subject_id: uuid.UUID
    node_name: str
    since: datetime
    period_end: datetime


class BudgetChange(BaseModel):
    """A budget as changed, and how many waiting runs were told to try again."""

    budget: BudgetPublic
    woken_runs: int
