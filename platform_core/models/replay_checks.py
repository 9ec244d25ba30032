"""Replay checks: a candidate version run against its agent's recorded conversations."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from platform_core.models.base import created_at, jsonb, tenant_fk, timestamp, uuid_pk

REPLAY_CHECK_STATUSES = ("running", "completed", "failed")


class ReplayCheck(SQLModel, table=True):
    """One check of a draft or submitted version against the published one's conversations.

    ``report`` holds one entry per conversation (its verdict, both paths, both answers and
    their diff) as the check goes; ``summary`` counts the verdicts once it has finished.
    """

    __tablename__ = "replay_checks"
    __table_args__ = (
        CheckConstraint(f"status IN {REPLAY_CHECK_STATUSES}", name="ck_replay_checks_status"),
    )

    id: uuid.UUID = uuid_pk()
    tenant_id: uuid.UUID = tenant_fk()
    agent_id: uuid.UUID = Field(foreign_key="agents.id", ondelete="CASCADE", index=True)
    agent_version_id: uuid.UUID = Field(
        foreign_key="agent_versions.id", ondelete="CASCADE", index=True
    )
    baseline_version_id: uuid.UUID = Field(foreign_key="agent_versions.id", ondelete="CASCADE")
    requested_by: uuid.UUID | None = Field(
        default=None, foreign_key="users.id", ondelete="SET NULL"
    )
    status: str = Field(default="running", max_length=20)
    options: dict[str, Any] = jsonb()
    report: list[dict[str, Any]] = jsonb(default=list)
    summary: dict[str, Any] = jsonb()
    created_at: datetime = created_at()
    finished_at: datetime | None = timestamp()
