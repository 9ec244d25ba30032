"""Human-intervention tasks: what a run waits for a person to decide."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Index, text
from sqlmodel import Field, SQLModel

from platform_core.models.base import created_at, jsonb, long_text, tenant_fk, timestamp

TASK_STATUSES = ("pending", "in_progress", "completed", "cancelled", "expired")


class HumanInterventionTask(SQLModel, table=True):
    """A question a run asks a person; the run waits durably for the answer."""

    __tablename__ = "human_intervention_tasks"
    __table_args__ = (
        CheckConstraint("priority BETWEEN 1 AND 10", name="ck_human_tasks_priority"),
        CheckConstraint(f"status IN {TASK_STATUSES}", name="ck_human_tasks_status"),
        Index("ix_human_tasks_inbox", "tenant_id", "status", "priority", "due_at"),
        # The inbox's page and count over open tasks only (migration 0014, issue 20).
        Index(
            "ix_human_tasks_open_inbox",
            "tenant_id",
            "priority",
            "due_at",
            "created_at",
            "task_id",
            postgresql_where=text("status IN ('pending', 'in_progress')"),
        ),
    )

    task_id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID = tenant_fk()
    execution_id: uuid.UUID = Field(
        foreign_key="workflow_executions.execution_id", ondelete="CASCADE", index=True
    )
    node_name: str = Field(max_length=128)
    node_task_id: str = Field(default="", max_length=255)
    instruction: str = long_text(nullable=False)
    current_state: dict[str, Any] = jsonb()
    required_input_schema: dict[str, Any] = jsonb()
    status: str = Field(default="pending", max_length=20)
    assignee_rule: dict[str, Any] = jsonb()
    assigned_to: str | None = Field(default=None, max_length=128)
    human_input: dict[str, Any] | None = jsonb(nullable=True)
    completion_note: str | None = long_text()
    completed_by: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    deadline_policy: str | None = Field(default=None, max_length=32)
    escalation_history: list[Any] = jsonb(default=list)
    created_at: datetime = created_at()
    assigned_at: datetime | None = timestamp()
    completed_at: datetime | None = timestamp()
    priority: int = Field(default=5)
    due_at: datetime | None = timestamp(index=True)
