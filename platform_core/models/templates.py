"""Workflow templates (the catalog's and tenants' own) with their nodes and edges."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, Column, Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel

from platform_core.models.base import (
    created_at,
    jsonb,
    long_text,
    tenant_fk,
    text_array,
    updated_at,
    uuid_pk,
)

TEMPLATE_STATUSES = ("active", "deprecated", "draft")


EDGE_TYPES = ("normal", "conditional", "fanout")


class WorkflowTemplate(SQLModel, table=True):
    """A parameterised workflow; ``tenant_id`` is NULL for the shared catalog."""

    __tablename__ = "workflow_templates"
    __table_args__ = (
        CheckConstraint(f"status IN {TEMPLATE_STATUSES}", name="ck_workflow_templates_status"),
        UniqueConstraint("tenant_id", "name", "version", name="uq_workflow_templates_name"),
    )

    id: uuid.UUID = uuid_pk()
    tenant_id: uuid.UUID | None = tenant_fk(nullable=True)
    name: str = Field(max_length=255)
    display_name: str = Field(max_length=255)
    description: str | None = long_text()
    category: str = Field(default="general", max_length=64)
    template_definition: dict[str, Any] = jsonb()
    parameter_schema: dict[str, Any] = jsonb()
    usage_count: int = Field(default=0)
    average_rating: Decimal | None = Field(default=None, sa_column=Column(Numeric(3, 2)))
    version: str = Field(default="1.0.0", max_length=50)
    status: str = Field(default="active", max_length=20)
    created_by: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = created_at()
    updated_at: datetime = updated_at()


class WorkflowTemplateNode(SQLModel, table=True):
    """One node of a template, denormalised for browsing and the editor."""

    __tablename__ = "workflow_template_nodes"
    __table_args__ = (
        UniqueConstraint("template_id", "node_name", name="uq_workflow_template_nodes_name"),
    )

    id: uuid.UUID = uuid_pk()
    tenant_id: uuid.UUID | None = tenant_fk(nullable=True)
    template_id: uuid.UUID = Field(
        foreign_key="workflow_templates.id", ondelete="CASCADE", index=True
    )
    node_name: str = Field(max_length=128)
    node_type_id: uuid.UUID = Field(foreign_key="node_types.id", index=True)
    node_config: dict[str, Any] = jsonb()
    position_config: dict[str, Any] = jsonb()
    parent_nodes: list[str] = text_array()
    child_nodes: list[str] = text_array()
    created_at: datetime = created_at()


class WorkflowTemplateEdge(SQLModel, table=True):
    """One edge of a template: normal, conditional or fan-out."""

    __tablename__ = "workflow_template_edges"
    __table_args__ = (
        CheckConstraint(f"edge_type IN {EDGE_TYPES}", name="ck_workflow_template_edges_type"),
    )

    id: uuid.UUID = uuid_pk()
    tenant_id: uuid.UUID | None = tenant_fk(nullable=True)
    template_id: uuid.UUID = Field(
        foreign_key="workflow_templates.id", ondelete="CASCADE", index=True
    )
    from_node: str = Field(max_length=128)
    to_node: str | None = Field(default=None, max_length=128)
    edge_type: str = Field(default="normal", max_length=20)
    condition_function: str | None = long_text()
    condition_mapping: dict[str, Any] | None = jsonb(nullable=True)
    fanout_targets: list[str] = text_array()
    fanout_condition: dict[str, Any] | None = jsonb(nullable=True)
    execution_order: int = Field(default=0)
    timeout_seconds: int | None = Field(default=None)
    retry_policy: dict[str, Any] | None = jsonb(nullable=True)
    created_at: datetime = created_at()
