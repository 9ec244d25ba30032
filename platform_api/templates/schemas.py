"""Bodies of the template routes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from platform_api.api.field_types import JSON_LIMIT_NOTE, JsonObject


class TemplateSummary(BaseModel):
    """A template in a list."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    display_name: str
    description: str | None
    category: str
    version: str
    status: str
    usage_count: int
    shared: bool = Field(description="True for the platform catalog (read-only to tenants).")
    updated_at: datetime


class TemplateNodePublic(BaseModel):
    """A node of a template."""

    model_config = ConfigDict(from_attributes=True)

    node_name: str
    node_type: str
    node_config: dict[str, Any]
    position_config: dict[str, Any]
    parent_nodes: list[str]
    child_nodes: list[str]


class TemplateEdgePublic(BaseModel):
    """An edge of a template."""

    model_config = ConfigDict(from_attributes=True)

    from_node: str
    to_node: str | None
    edge_type: str
    condition_function: str | None
    condition_mapping: dict[str, Any] | None
    fanout_targets: list[str]
    fanout_condition: dict[str, Any] | None
    execution_order: int


class TemplateDetail(TemplateSummary):
    """A template with its definition, parameters, nodes and edges."""

    template_definition: dict[str, Any]
    parameter_schema: dict[str, Any]
    nodes: list[TemplateNodePublic]
    edges: list[TemplateEdgePublic]


class TemplateCreate(BaseModel):
    """A tenant's own template."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")
    display_name: str = Field(min_length=1, max_length=255)
    description: str | None = Field(default=None, max_length=10_000)
    category: str = Field(default="general", min_length=1, max_length=64)
    version: str = Field(default="1.0.0", pattern=r"^\d+\.\d+\.\d+$")
    parameter_schema: JsonObject = Field(
        default_factory=lambda: {"type": "object"},
        description=f"JSON Schema of the template's parameters. {JSON_LIMIT_NOTE}",
    )
    definition: dict[str, Any]


class TemplateUpdate(BaseModel):
    """Changes to a tenant's own template (any subset)."""

    model_config = ConfigDict(extra="forbid")

    display_name: str | None = Field(default=None, min_length=1, max_length=255)
    description: str | None = Field(default=None, max_length=10_000)
    category: str | None = Field(default=None, min_length=1, max_length=64)
    status: str | None = Field(default=None, pattern=r"^(active|deprecated|draft)$")
    parameter_schema: JsonObject | None = Field(
        default=None,
        description=f"JSON Schema of the template's parameters. {JSON_LIMIT_NOTE}",
    )
    definition: dict[str, Any] | None = None


class InstantiateRequest(BaseModel):
    """Parameters for a template."""

    model_config = ConfigDict(extra="forbid")

    parameters: JsonObject = Field(
        default_factory=dict,
        description=f"Values for the template's parameter schema. {JSON_LIMIT_NOTE}",
    )


class CompiledDefinition(BaseModel):
    """A valid definition and the hash of its compiled plan."""

    definition: dict[str, Any]
    plan_hash: str
