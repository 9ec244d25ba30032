"""Bodies of the developer routes for agents and their versions."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from platform_api.api.field_types import JSON_LIMIT_NOTE, JsonObject

Tag = str


class AgentCreate(BaseModel):
    """A new agent (starts as a draft)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=255)
    description: str | None = Field(default=None, max_length=10_000)
    category_id: uuid.UUID | None = None
    tags: list[Tag] = Field(default_factory=list, max_length=20)

    @model_validator(mode="after")
    def _tags(self) -> AgentCreate:
        if any(not t.strip() or len(t) > 50 for t in self.tags):
            raise ValueError("tags must be non-empty and at most 50 characters")
        return self


class AgentUpdate(BaseModel):
    """Changes to an agent (any subset)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=255)
    description: str | None = Field(default=None, max_length=10_000)
    category_id: uuid.UUID | None = None
    tags: list[Tag] | None = Field(default=None, max_length=20)


class VersionSummary(BaseModel):
    """A version in a list."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    version: str
    status: str
    is_current: bool
    plan_hash: str
    changelog: str | None
    review_note: str | None = Field(
        default=None, description="The reviewer's note on approving, or why it was rejected."
    )
    created_at: datetime
    published_at: datetime | None


class AgentSummary(BaseModel):
    """An agent in the developer's list, with its current and newest version."""

    id: uuid.UUID
    name: str
    description: str | None
    tags: list[str]
    status: str = Field(description="The agent's own status: draft, published or archived.")
    current_version: str | None = Field(description="The published version users chat with.")
    latest_version: str | None = Field(description="The newest version, whatever its status.")
    latest_status: str | None = Field(
        description="The newest version's status: draft, submitted, published, rejected, archived."
    )
    created_at: datetime
    updated_at: datetime


class AgentDetail(BaseModel):
    """An agent with its versions (newest first)."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    description: str | None
    category_id: uuid.UUID | None
    tags: list[str]
    status: str
    developer_id: uuid.UUID
    download_count: int
    average_rating: Decimal | None
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    versions: list[VersionSummary] = Field(default_factory=list)


class VersionCreate(BaseModel):
    """A new version: an inline definition, or a template with parameters."""

    model_config = ConfigDict(extra="forbid")

    version: str = Field(pattern=r"^[0-9A-Za-z][0-9A-Za-z.\-+_]{0,49}$")
    workflow_definition: dict[str, Any] | None = None
    workflow_template_id: uuid.UUID | None = None
    template_name: str | None = Field(
        default=None, max_length=255, description="A catalog template by name (latest version)."
    )
    template_parameters: dict[str, Any] | None = None
    system_prompt: str | None = Field(default=None, max_length=100_000)
    tool_dependencies: list[str] = Field(default_factory=list, max_length=100)
    rag_enabled: bool = False
    model_params_override: JsonObject | None = Field(
        default=None,
        description=f"Model parameters every llm node of this version uses. {JSON_LIMIT_NOTE}",
    )
    service_dependencies: dict[str, dict[str, int]] = Field(default_factory=dict)
    input_schema: JsonObject | None = Field(
        default=None,
        description=f"JSON Schema of a direct run's input. {JSON_LIMIT_NOTE}",
    )
    changelog: str | None = Field(default=None, max_length=10_000)

    @model_validator(mode="after")
    def _one_definition(self) -> VersionCreate:
        given = [
            self.workflow_definition is not None,
            self.workflow_template_id is not None,
            self.template_name is not None,
        ]
        if sum(given) != 1:
            raise ValueError(
                "give exactly one of workflow_definition, workflow_template_id or template_name"
            )
        if self.template_parameters is not None and self.workflow_definition is not None:
            raise ValueError("template_parameters only go with a template")
        return self


class VersionPublic(VersionSummary):
    """A version in full, with its definition and compiled plan hash."""

    agent_id: uuid.UUID
    workflow_definition: dict[str, Any] | None
    workflow_template_id: uuid.UUID | None
    template_parameters: dict[str, Any] | None
    system_prompt: str | None
    tool_dependencies: list[str]
    rag_enabled: bool
    model_params_override: dict[str, Any] | None
    service_dependencies: dict[str, Any]
    input_schema: dict[str, Any] | None


class SubmissionPublic(VersionPublic):
    """A version waiting for review, with the name of its agent."""

    agent_name: str


class ValidateRequest(BaseModel):
    """A definition to check without saving it."""

    model_config = ConfigDict(extra="forbid")

    workflow_definition: dict[str, Any]


class ValidateResponse(BaseModel):
    """A valid definition's plan hash and node count."""

    valid: bool = True
    plan_hash: str
    nodes: int


class ReviewDecision(BaseModel):
    """A reviewer's note (optional when approving, required when rejecting)."""

    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(default=None, max_length=10_000)


class RejectDecision(BaseModel):
    """Why a version is rejected."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=10_000)


class TransitionPublic(BaseModel):
    """One lifecycle transition."""

    model_config = ConfigDict(from_attributes=True)

    from_status: str
    to_status: str
    actor_id: uuid.UUID | None
    reason: str | None
    created_at: datetime


class JsonChange(BaseModel):
    """One value added, removed or changed, at a JSON pointer."""

    op: Literal["added", "removed", "changed"]
    path: str
    old: Any = None
    new: Any = None


class NodeChange(BaseModel):
    """A node present in both versions whose spec changed (its position aside)."""

    name: str
    changes: list[JsonChange]


class DrawnEdge(BaseModel):
    """One line of the graph: a conditional edge's outcome, a fan-out's target, a plain edge."""

    source: str
    target: str
    kind: str
    label: str = Field(description="The outcome (conditional), `each <key>` (fan-out) or empty.")


class GraphDiff(BaseModel):
    """What changed in the graph, by node name: for drawing the diff on the canvas."""

    nodes_added: list[str]
    nodes_removed: list[str]
    nodes_changed: list[NodeChange]
    edges_added: list[DrawnEdge]
    edges_removed: list[DrawnEdge]
    state_changes: list[JsonChange]


class VersionDiff(BaseModel):
    """What changed from one version to another."""

    model_config = ConfigDict(populate_by_name=True)

    from_version: str | None = Field(alias="from", description="None: nothing published yet.")
    to_version: str = Field(alias="to")
    changes: list[JsonChange] = Field(description="Every change, as JSON-pointer changes.")
    graph: GraphDiff


class AgentDayStats(BaseModel):
    """One day of an agent's use (UTC)."""

    day: date
    runs: int = 0
    users: int = Field(default=0, description="Distinct users who ran it that day.")
    failures: int = 0
    tokens: int = 0
    ratings: int = Field(default=0, description="Ratings given that day.")
    average_rating: Decimal | None = None


class AgentStats(BaseModel):
    """An agent's use over a window of days, with the totals and its overall rating."""

    agent_id: uuid.UUID
    since: date
    days: list[AgentDayStats]
    runs: int
    users: int = Field(description="Distinct users over the whole window.")
    failures: int
    tokens: int
    average_rating: Decimal | None = Field(description="Over every rating the agent has had.")
    rating_count: int
