"""Shapes of replay checks."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Unmatched = Literal["live", "refuse"]


class ReplayCheckRequest(BaseModel):
    """Check a draft or submitted version against recorded conversations."""

    model_config = ConfigDict(extra="forbid")

    conversations: int = Field(
        default=20, ge=1, le=100, description="How many of the latest recorded runs to replay."
    )
    unmatched: Unmatched = Field(
        default="live",
        description="A call that matches no recorded one: made live, or refused (the "
        "conversation then stops there). A person is never asked during a check.",
    )


class ConversationVerdict(BaseModel):
    """One conversation: how the candidate's run compares with the recorded one."""

    index: int
    recorded_execution_id: uuid.UUID
    execution_id: uuid.UUID
    status: str
    error: str | None = None
    verdict: Literal["same", "different_answer", "different_path"]
    recorded_path: list[str]
    path: list[str]
    recorded_answer: str | None = None
    answer: str | None = None
    answer_diff: str = ""


class ReplayCheckPublic(BaseModel):
    """A check and its report (complete once ``status`` is no longer ``running``)."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    agent_id: uuid.UUID
    agent_version_id: uuid.UUID
    baseline_version_id: uuid.UUID
    status: str
    options: dict[str, Any]
    report: list[ConversationVerdict]
    summary: dict[str, Any]
    created_at: datetime
    finished_at: datetime | None = None
