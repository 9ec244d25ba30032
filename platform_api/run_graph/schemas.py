"""Public shape of an agent version's graph, as the live execution graph draws it.

Every field is required (nullable where it may be empty), so the generated UI types need
no guessing about what a response leaves out.
"""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, Field

EdgeKind = Literal["normal", "conditional", "fan_out"]
NodeRole = Literal["start", "end", "node"]


class RunGraphPosition(BaseModel):
    """Where the definition places a node (set by the visual editor)."""

    x: float
    y: float


class RunGraphNode(BaseModel):
    """A node of the plan, or the start or end marker."""

    id: str = Field(description="The node name; `__start__` and `__end__` for the markers.")
    role: NodeRole
    type: str = Field(description="The node type (`start` / `end` for the markers).")
    label: str
    description: str | None
    execution: Literal["inline", "activity", "human"] | None
    position: RunGraphPosition | None = Field(
        description="Stored in the definition; null: lay it out automatically."
    )


class RunGraphFanOut(BaseModel):
    """How a fan-out edge starts its targets."""

    dynamic: bool = Field(description="One instance of the target per item of `over`.")
    over: str | None
    item_key: str | None
    targets: int = Field(description="How many targets the edge starts (1 when dynamic).")


class RunGraphEdge(BaseModel):
    """One drawn edge. A conditional or static fan-out IR edge is one drawn edge per target."""

    id: str
    group: int = Field(description="Index of the definition's edge this one is drawn from.")
    source: str
    target: str
    kind: EdgeKind
    condition: str | None
    outcomes: list[str] = Field(description="Condition outcomes leading to the target.")
    is_default: bool = Field(description="Taken when no outcome matches.")
    fan_out: RunGraphFanOut | None


class RunGraph(BaseModel):
    """The graph of one agent version, from its compiled plan."""

    agent_id: uuid.UUID
    agent_version_id: uuid.UUID
    version: str
    plan_hash: str
    name: str | None
    start: str
    end: str
    nodes: list[RunGraphNode]
    edges: list[RunGraphEdge]
