"""Human-intervention tasks: what a run waits for a person to decide."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Index, UniqueConstraint, text
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


class HumanTaskAnswer(SQLModel, table=True):
    """One person's answer to a task that needs several (an approval policy's stage).

    Keyed by task and voice (whose part it is, after delegation): a retried writer adds
    nothing, and one person is heard once.
    """

    __tablename__ = "human_task_answers"
    __table_args__ = (UniqueConstraint("task_id", "voice", name="uq_human_task_answers_voice"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID = tenant_fk()
    task_id: uuid.UUID = Field(
        foreign_key="human_intervention_tasks.task_id", ondelete="CASCADE", index=True
    )
    answered_by: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE")
    voice: str = Field(max_length=255)
    agreed: bool
    human_input: dict[str, Any] = jsonb()
    note: str | None = long_text()
    answered_at: datetime = created_at()


class UserGroup(SQLModel, table=True):
    """A named set of a tenant's users (a department, a committee), named by approval
    policies' assignees."""

    __tablename__ = "user_groups"
    __table_args__ = (UniqueConstraint("tenant_id", "name", name="uq_user_groups_name"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID = tenant_fk()
    name: str = Field(max_length=100)
    description: str | None = Field(default=None, max_length=500)
    created_at: datetime = created_at()


class UserGroupMember(SQLModel, table=True):
    """A user's membership of a group."""

    __tablename__ = "user_group_members"
    # "Which groups am I in": the inbox and every answer ask it.
    __table_args__ = (Index("ix_user_group_members_user", "user_id"),)

    group_id: uuid.UUID = Field(foreign_key="user_groups.id", ondelete="CASCADE", primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    tenant_id: uuid.UUID = tenant_fk()
