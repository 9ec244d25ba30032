"""What the usage endpoint answers: each quota's limit, use and reset time."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field


class QuotaUsage(BaseModel):
    """One quota of the tenant's plan and how much of it is used."""

    name: str = Field(description="users, agents, sessions_per_day or tokens_per_month.")
    limit: int | None = Field(description="The plan's limit; null means unlimited.")
    used: int
    reserved: int = Field(
        default=0, description="Held by calls in flight (tokens only); counts as used."
    )
    remaining: int | None = Field(description="What is left (never below 0); null: unlimited.")
    resets_at: datetime | None = Field(
        default=None, description="When the counter starts again; null for standing counts."
    )


class UsageReport(BaseModel):
    """The tenant's quotas as of ``as_of``."""

    tenant_id: uuid.UUID
    as_of: datetime
    quotas: list[QuotaUsage]
