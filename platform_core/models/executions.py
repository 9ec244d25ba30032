"""Runs and their node executions."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, Column, Index, Numeric, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from platform_core.models.base import created_at, jsonb, long_text, tenant_fk, timestamp

EXECUTION_STATUSES = (
    "pending",
    "running",
    "completed",
    "failed",
    "paused",
    "interrupted",
    "cancelled",
)


NODE_STATUSES = ("running", "completed", "failed", "skipped", "waiting", "cancelled")


class WorkflowExecution(SQLModel, table=True):
    """One run of an agent version: a Temporal workflow ``exec-<execution_id>``."""

    __tablename__ = "workflow_executions"
    __table_args__ = (
        # The seeds key LangGraph threads per chat; here each run is its own thread
        # (thread_id = the Temporal workflow id), so the pair stays unique.
        UniqueConstraint("chat_id", "thread_id", name="uq_workflow_executions_chat_thread"),
        CheckConstraint(f"status IN {EXECUTION_STATUSES}", name="ck_workflow_executions_status"),
        Index("ix_workflow_executions_tenant_started", "tenant_id", "started_at"),
        # The run-events retention sweep pages through finished runs (migration 0013).
        Index(
            "ix_workflow_executions_tenant_completed",
            "tenant_id",
            "completed_at",
            postgresql_where=text("completed_at IS NOT NULL"),
        ),
        # One active run per chat, enforced where races cannot slip past it.
        Index(
            "uq_workflow_executions_one_active_per_chat",
            "chat_id",
            unique=True,
            postgresql_where=text("status IN ('pending', 'running', 'paused')"),
        ),
    )

    execution_id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID = tenant_fk()
    chat_id: uuid.UUID | None = Field(
        default=None, foreign_key="chats.id", ondelete="CASCADE", index=True
    )
    message_id: uuid.UUID | None = Field(
        default=None, foreign_key="chat_messages.id", ondelete="CASCADE"
    )
    agent_id: uuid.UUID = Field(foreign_key="agents.id", ondelete="CASCADE", index=True)
    agent_version_id: uuid.UUID = Field(foreign_key="agent_versions.id", index=True)
    user_id: uuid.UUID | None = Field(
        default=None, foreign_key="users.id", ondelete="SET NULL", index=True
    )
    workflow_id: str = Field(max_length=255, unique=True)
    thread_id: str = Field(max_length=255)
    checkpoint_id: str | None = Field(default=None, max_length=255)
    checkpointer_schema: str = Field(default="temporal", max_length=64)
    status: str = Field(default="running", max_length=20)
    current_node: str | None = Field(default=None, max_length=128)
    input_data: dict[str, Any] = jsonb()
    final_result: dict[str, Any] | None = jsonb(nullable=True)
    error_info: dict[str, Any] | None = jsonb(nullable=True)
    total_nodes: int = Field(default=0)
    completed_nodes: int = Field(default=0)
    failed_nodes: int = Field(default=0)
    tokens_consumed: int = Field(default=0)
    cost_estimate: Decimal = Field(default=Decimal(0), sa_column=Column(Numeric(12, 6)))
    started_at: datetime = created_at()
    completed_at: datetime | None = timestamp()
    paused_at: datetime | None = timestamp()


class WorkflowNodeExecution(SQLModel, table=True):
    """One execution of one node in one superstep, written idempotently by ``task_id``."""

    __tablename__ = "workflow_node_executions"
    __table_args__ = (
        UniqueConstraint("execution_id", "task_id", name="uq_workflow_node_executions_task"),
        CheckConstraint(f"status IN {NODE_STATUSES}", name="ck_workflow_node_executions_status"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID = tenant_fk()
    execution_id: uuid.UUID = Field(
        foreign_key="workflow_executions.execution_id", ondelete="CASCADE", index=True
    )
    node_name: str = Field(max_length=128)
    node_type: str = Field(default="", max_length=64)
    step: int = Field(default=0)
    task_id: str = Field(max_length=255)
    status: str = Field(default="running", max_length=20)
    input_state: dict[str, Any] | None = jsonb(nullable=True)
    output_state: dict[str, Any] | None = jsonb(nullable=True)
    service_calls: list[Any] = jsonb(default=list)
    # The task's own log lines, credentials masked (``activities.node_logs``).
    logs: list[Any] = jsonb(default=list)
    started_at: datetime = created_at()
    completed_at: datetime | None = timestamp()
    duration_ms: int | None = Field(default=None)
    retry_count: int = Field(default=0)
    max_retries: int = Field(default=3)
    error_message: str | None = long_text()
    tokens_consumed: int | None = Field(default=None)
    cost_estimate: Decimal | None = Field(default=None, sa_column=Column(Numeric(10, 6)))
