"""The durable log of every run's events (node events, token batches, the final ``done``).

A run's stream is ``run_events`` rows keyed by (stream id, seq): seq is the SSE offset
clients resume from. ``run_event_streams`` holds each stream's next seq; appending locks
that row, so a stream's events commit in seq order and a live listener never sees seq
n+1 before n. Both are written only through ``agentpaas_append_run_events`` (migration
0010), which also notifies the API processes listening (``platform_core.run_event_log``).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from platform_core.models.base import created_at, jsonb


class RunEvent(SQLModel, table=True):
    """One event of a stream, at its offset."""

    __tablename__ = "run_events"
    __table_args__ = (
        # An event the workflow hands to an activity carries a key: a retried activity
        # writes it once.
        Index(
            "uq_run_events_key",
            "stream_id",
            "event_key",
            unique=True,
            postgresql_where=text("event_key IS NOT NULL"),
        ),
    )

    stream_id: str = Field(max_length=255, primary_key=True)
    seq: int = Field(primary_key=True)
    # No index of its own: every read names the stream, and an index costs every append.
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", ondelete="CASCADE")
    event: dict[str, Any] = jsonb()
    event_key: str | None = Field(default=None, max_length=160)
    created_at: datetime = created_at()


class RunEventStream(SQLModel, table=True):
    """A stream's next offset (the row appends lock to keep offsets in commit order)."""

    __tablename__ = "run_event_streams"

    stream_id: str = Field(max_length=255, primary_key=True)
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", ondelete="CASCADE", index=True)
    next_seq: int = Field(default=0)
    created_at: datetime = created_at()
