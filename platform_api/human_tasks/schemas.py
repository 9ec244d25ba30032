"""Bodies of the reviewer inbox routes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from platform_api.api.field_types import JSON_LIMIT_NOTE, JsonObject


class Assignees(BaseModel):
    """Who a stage asks: roles, group names, users (ids or e-mails)."""

    roles: list[str] = []
    groups: list[str] = []
    users: list[str] = []


class Delegation(BaseModel):
    """An assignee's part handed to someone else (user ids)."""

    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from", serialization_alias="from")
    to: str
    from_name: str | None = None
    to_name: str | None = None


class TaskPolicy(BaseModel):
    """The stage of an approval policy a task asks."""

    stage: int = Field(description="0-based index of the stage.")
    stage_name: str | None
    stages: int = Field(description="How many stages the policy has.")
    quorum: int = Field(description="How many distinct people must agree.")
    of: int | None = Field(description="How many people the stage names; null for roles/groups.")
    assignees: Assignees
    delegations: list[Delegation]


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
    policy: TaskPolicy | None = None
    agreements: int = 0
    disagreements: int = 0
    still_needed: int | None = Field(
        default=None, description="More agreeing answers needed; null for a single-answer task."
    )


class AnswerPublic(BaseModel):
    """One person's answer to a task that asks several."""

    by: uuid.UUID
    by_name: str | None
    on_behalf_of: uuid.UUID | None
    on_behalf_of_name: str | None = None
    agreed: bool
    input: dict[str, Any]
    note: str | None
    at: datetime


class TaskDetail(TaskPublic):
    """A task with everything a reviewer needs to decide."""

    current_state: dict[str, Any]
    required_input_schema: dict[str, Any]
    human_input: dict[str, Any] | None
    completion_note: str | None
    deadline_policy: str | None
    escalation_history: list[dict[str, Any]]
    answers: list[AnswerPublic] = []
    can_answer: bool = Field(
        default=False, description="The caller may answer now (assignee, not heard yet)."
    )


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
    decided: bool = Field(default=True, description="This answer settled the task's stage.")
    agreements: int = 0
    still_needed: int = 0


class DelegateRequest(BaseModel):
    """Hand my part of a task to another person of the tenant."""

    model_config = ConfigDict(extra="forbid")

    to_user_id: uuid.UUID
    note: str | None = Field(default=None, max_length=2000)
