"""Bodies of the reviewer inbox routes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from platform_api.api.field_types import JSON_LIMIT_NOTE, JsonObject


class TaskPublic(BaseModel):
    """A human-intervention task in the inbox."""

    model_config = ConfigDict(from_attributes=True)

    task_id: uuid.UUID
    execution_id: uuid.UUID
    agent_id: uuid.UUID | None = None
    node_name: str
    instruction: str
    status: str
    priority: int
    assigned_to: str | None
    assigned_at: datetime | None
    due_at: datetime | None
    created_at: datetime
    completed_at: datetime | None


class TaskDetail(TaskPublic):
    """A task with everything a reviewer needs to decide."""

    current_state: dict[str, Any]
    required_input_schema: dict[str, Any]
    human_input: dict[str, Any] | None
    completion_note: str | None
    deadline_policy: str | None
    escalation_history: list[dict[str, Any]]


class CompleteRequest(BaseModel):
    """The reviewer's answer; ``input`` must match the task's required_input_schema."""

    model_config = ConfigDict(extra="forbid")

    input: JsonObject = Field(
        description=f"The answer, checked against the task's schema. {JSON_LIMIT_NOTE}"
    )
    completion_note: str | None = Field(default=None, max_length=10_000)


class CompletionResult(BaseModel):
    """The accepted completion."""

    task_id: uuid.UUID
    status: str = "completed"
    completed_by: uuid.UUID
    completed_at: datetime
