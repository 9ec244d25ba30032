"""Agents and their versions (the agent lifecycle: draft, review, publish, archive)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, Column, Index, Numeric, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from platform_core.models.base import (
    created_at,
    jsonb,
    long_text,
    tenant_fk,
    text_array,
    timestamp,
    updated_at,
    uuid_pk,
)

AGENT_STATUSES = ("draft", "published", "archived")


VERSION_STATUSES = ("draft", "submitted", "published", "rejected", "archived")


class Agent(SQLModel, table=True):
    """An agent a developer builds; users chat with its published versions."""

    __tablename__ = "agents"
    __table_args__ = (
        CheckConstraint(f"status IN {AGENT_STATUSES}", name="ck_agents_status"),
        UniqueConstraint("tenant_id", "name", name="uq_agents_tenant_name"),
        # Store browsing and quota usage by status (migration 0014, issue 20).
        Index("ix_agents_tenant_status_published", "tenant_id", "status", "published_at"),
        # Store full-text search, through agentpaas_store_matches (migration 0014).
        Index(
            "ix_agents_document",
            text("agentpaas_agent_document(name::text, description, tags)"),
            postgresql_using="gin",
        ),
        # Typo-tolerant store search (pg_trgm, migration 0006).
        Index(
            "ix_agents_name_trgm",
            "name",
            postgresql_using="gin",
            postgresql_ops={"name": "gin_trgm_ops"},
        ),
    )

    id: uuid.UUID = uuid_pk()
    tenant_id: uuid.UUID = tenant_fk()
    name: str = Field(max_length=255)
    description: str | None = long_text()
    developer_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    category_id: uuid.UUID | None = Field(
        default=None, foreign_key="agent_categories.id", ondelete="SET NULL", index=True
    )
    tags: list[str] = text_array()
    status: str = Field(default="draft", max_length=20)
    download_count: int = Field(default=0)
    average_rating: Decimal | None = Field(default=None, sa_column=Column(Numeric(3, 2)))
    rating_count: int = Field(default=0)
    published_at: datetime | None = timestamp()
    created_at: datetime = created_at()
    updated_at: datetime = updated_at()


class AgentVersion(SQLModel, table=True):
    """An immutable version: an inline graph or a template with parameters, compiled."""

    __tablename__ = "agent_versions"
    __table_args__ = (
        UniqueConstraint("agent_id", "version", name="uq_agent_versions_agent_version"),
        # Exactly one way to define the workflow (seeds §4.2 constraint 1).
        CheckConstraint(
            "(workflow_definition IS NOT NULL) <> (workflow_template_id IS NOT NULL)",
            name="ck_agent_versions_definition_xor_template",
        ),
        CheckConstraint(f"status IN {VERSION_STATUSES}", name="ck_agent_versions_status"),
        # At most one current version per agent (seeds §4.2 constraint 2).
        Index(
            "uq_agent_versions_one_current",
            "agent_id",
            unique=True,
            postgresql_where=text("is_current"),
        ),
    )

    id: uuid.UUID = uuid_pk()
    tenant_id: uuid.UUID = tenant_fk()
    agent_id: uuid.UUID = Field(foreign_key="agents.id", ondelete="CASCADE", index=True)
    version: str = Field(max_length=50)
    status: str = Field(default="draft", max_length=20)
    service_dependencies: dict[str, Any] = jsonb()
    model_params_override: dict[str, Any] | None = jsonb(nullable=True)
    workflow_definition: dict[str, Any] | None = jsonb(nullable=True)
    workflow_template_id: uuid.UUID | None = Field(
        default=None, foreign_key="workflow_templates.id", ondelete="RESTRICT", index=True
    )
    template_parameters: dict[str, Any] | None = jsonb(nullable=True)
    # The compiled execution plan and its hash, stored at creation.
    execution_plan: dict[str, Any] = jsonb()
    plan_hash: str = Field(default="", max_length=64)
    input_schema: dict[str, Any] | None = jsonb(nullable=True)
    system_prompt: str | None = long_text()
    tool_dependencies: list[str] = text_array()
    rag_enabled: bool = Field(default=False)
    changelog: str | None = long_text()
    is_current: bool = Field(default=False)
    created_by: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    submitted_at: datetime | None = timestamp()
    reviewed_by: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    review_note: str | None = long_text()
    published_at: datetime | None = timestamp()
    created_at: datetime = created_at()


class AgentVersionTransition(SQLModel, table=True):
    """Every review/publish lifecycle transition of a version, for the record."""

    __tablename__ = "agent_version_transitions"

    id: uuid.UUID = uuid_pk()
    tenant_id: uuid.UUID = tenant_fk()
    agent_version_id: uuid.UUID = Field(
        foreign_key="agent_versions.id", ondelete="CASCADE", index=True
    )
    from_status: str = Field(max_length=20)
    to_status: str = Field(max_length=20)
    actor_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    reason: str | None = long_text()
    created_at: datetime = created_at()
