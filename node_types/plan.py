"""ExecutionPlan: the compiled, JSON-serialisable form of a definition that runs are driven by.

It is Temporal workflow input and is stored as JSONB, so nothing in here may depend on
dict key order (JSONB reorders keys): ordered things are lists, and code that iterates a
dict of the plan sorts it first.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from node_types.ir import Edge, Position, StateKey, WorkflowDefinition

Execution = Literal["inline", "activity", "human"]


class ResolvedRetryPolicy(BaseModel):
    """A retry policy with every field filled (node spec over node type defaults)."""

    model_config = ConfigDict(extra="forbid")

    max_attempts: int
    initial_interval_seconds: float
    backoff_coefficient: float
    maximum_interval_seconds: float
    non_retryable_error_types: list[str]


class ResolvedTimeouts(BaseModel):
    """Timeouts with node spec values over node type defaults (None = no such timeout)."""

    model_config = ConfigDict(extra="forbid")

    start_to_close_seconds: float | None
    schedule_to_close_seconds: float | None
    heartbeat_seconds: float | None


class PlanNode(BaseModel):
    """One node as the interpreter needs it: how it runs, its full config, its I/O keys."""

    model_config = ConfigDict(extra="forbid")

    name: str
    type: str
    execution: Execution
    config: dict[str, Any]
    retry: ResolvedRetryPolicy
    timeouts: ResolvedTimeouts
    reads: list[str]
    writes: list[str]
    required_services: list[str]
    position: Position | None = None


class ExecutionPlan(BaseModel):
    """A validated, normalised definition plus everything precomputed for routing."""

    model_config = ConfigDict(extra="forbid")

    plan_version: Literal[1] = 1
    definition: WorkflowDefinition
    nodes: list[PlanNode]
    state: dict[str, StateKey]
    # source node (or "__start__") -> its outgoing edges in definition order
    outgoing: dict[str, list[Edge]] = Field(default_factory=dict)
    max_steps: int
    inputs: list[str]
    output: str | None = None
    plan_hash: str = ""

    def node(self, name: str) -> PlanNode:
        """The plan node called `name` (KeyError if there is none)."""
        # A scan, not a cache: cached private state would make equal plans compare unequal.
        for node in self.nodes:
            if node.name == name:
                return node
        raise KeyError(name)

    def edges_from(self, source: str) -> list[Any]:
        """Outgoing edges of `source` in definition order (empty for sinks)."""
        return self.outgoing.get(source, [])


_PARSED: dict[str, ExecutionPlan] = {}
_PARSED_LIMIT = 256


def parse_plan(raw: dict[str, Any]) -> ExecutionPlan:
    """Validate a stored plan once per distinct plan hash and reuse it afterwards.

    Workers run many runs of the same agent version; re-validating the pydantic model
    at the start of each costs milliseconds per run. Keyed by the content hash, so a
    cached plan is exactly the one the dict describes; plans are never mutated.
    """
    key = raw.get("plan_hash") if isinstance(raw, dict) else None
    if key and key in _PARSED:
        return _PARSED[key]
    plan = ExecutionPlan.model_validate(raw)
    if key:
        if len(_PARSED) >= _PARSED_LIMIT:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[key] = plan
    return plan
