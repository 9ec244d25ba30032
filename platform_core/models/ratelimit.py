"""Rate-limit counters: one fixed-window hit count per bucket, shared by every API replica."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime
from sqlmodel import Field, SQLModel


class RateLimitCounter(SQLModel, table=True):
    """Hits of one bucket (an opaque digest of a credential or client IP) in its window.

    UNLOGGED: counters are worth losing on a crash (a window restarts) rather than
    paying WAL on every request. Keyed by an opaque id, not by tenant, so no RLS.
    """

    __tablename__ = "rate_limit_counters"
    __table_args__ = {"prefixes": ["UNLOGGED"]}

    bucket: str = Field(max_length=80, primary_key=True)
    window_start: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    hits: int = Field(default=0)
