"""Graph IR: the pydantic shape of a workflow definition (state, nodes, edges, limits).

The IR only checks shape. Cross-references (edge targets, node types, expressions,
reachability) are checked by `node_types.validation`, which reports every problem at once.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

START = "__start__"
END = "__end__"
SPECIAL_NODES = (START, END)

NODE_NAME_PATTERN = r"^[A-Za-z][A-Za-z0-9_-]{0,127}$"
STATE_KEY_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]{0,127}$"
DEFAULT_MAX_STEPS = 25

Reducer = Literal["replace", "append", "add_messages", "merge"]
SIMPLE_TYPES = ("any", "string", "number", "integer", "boolean", "object", "array", "null")


class _Strict(BaseModel):
    # Unknown keys are mistakes in a hand-written definition; say so instead of dropping them.
    model_config = ConfigDict(extra="forbid")


class StateKey(_Strict):
    """One state channel: its type (a simple JSON type name or a JSON Schema) and reducer."""

    type: str | dict[str, Any] = "any"
    reducer: Reducer = "replace"
    default: Any = None
    description: str | None = None


class RetryPolicySpec(_Strict):
    """Temporal-style retry policy; unset fields fall back to the node type's defaults."""

    max_attempts: int | None = Field(default=None, ge=1, le=100)
    initial_interval_seconds: float | None = Field(default=None, gt=0, le=86_400)
    backoff_coefficient: float | None = Field(default=None, ge=1, le=100)
    maximum_interval_seconds: float | None = Field(default=None, gt=0, le=86_400)
    non_retryable_error_types: list[str] | None = None


class TimeoutSpec(_Strict):
    """Activity timeouts in seconds; unset fields fall back to the node type's defaults."""

    start_to_close_seconds: float | None = Field(default=None, gt=0, le=7 * 86_400)
    schedule_to_close_seconds: float | None = Field(default=None, gt=0, le=30 * 86_400)
    heartbeat_seconds: float | None = Field(default=None, gt=0, le=86_400)


class Position(_Strict):
    """Where the visual editor draws the node."""

    x: float
    y: float


class NodeSpec(_Strict):
    """One node: a name unique in the graph, a registered node type and its config."""

    name: str = Field(pattern=NODE_NAME_PATTERN)
    type: str = Field(min_length=1, max_length=64)
    description: str | None = None
    config: dict[str, Any] = Field(default_factory=dict)
    retry: RetryPolicySpec | None = None
    timeouts: TimeoutSpec | None = None
    position: Position | None = None
    # Extra state keys the node reads/writes beyond what its type derives from the config.
    reads: list[str] | None = None
    writes: list[str] | None = None


class NormalEdge(_Strict):
    """`source` always continues to `target` in the next step."""

    type: Literal["normal"] = "normal"
    source: str
    target: str


class ConditionalEdge(_Strict):
    """Evaluate `condition` on the source's view of the state; its outcome picks a target.

    The outcome string is the value itself for strings, "true"/"false" for booleans,
    "null" for None and the JSON text for numbers; unmatched outcomes go to `default`.
    """

    type: Literal["conditional"] = "conditional"
    source: str
    condition: str = Field(min_length=1)
    mapping: dict[str, str] = Field(default_factory=dict)
    default: str | None = None


class FanoutEdge(_Strict):
    """Run several nodes in the next step.

    Static: `targets` all run (once each). Dynamic (LangGraph `Send`): `over` yields a
    list and each item starts one instance of `target`, whose input is
    `{item_key: item, **{k: state[k] for k in include}}` instead of the state.
    """

    type: Literal["fanout"] = "fanout"
    source: str
    targets: list[str] | None = None
    target: str | None = None
    over: str | None = None
    item_key: str = Field(default="item", pattern=STATE_KEY_PATTERN)
    include: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _static_or_dynamic(self) -> FanoutEdge:
        static = self.targets is not None
        dynamic = self.target is not None or self.over is not None
        if static == dynamic:
            raise ValueError("a fanout edge has either `targets` or `target` + `over`")
        if static and not self.targets:
            raise ValueError("`targets` must name at least one node")
        if dynamic and (self.target is None or self.over is None):
            raise ValueError("a dynamic fanout needs both `target` and `over`")
        return self

    @property
    def is_dynamic(self) -> bool:
        """True for a Send-style fan-out over a list."""
        return self.target is not None


Edge = Annotated[NormalEdge | ConditionalEdge | FanoutEdge, Field(discriminator="type")]
EDGE_TYPES = ("normal", "conditional", "fanout")


class WorkflowDefinition(_Strict):
    """A whole graph agent: state channels, nodes, edges, step limit, inputs and output."""

    ir_version: Literal[1] = 1
    name: str | None = None
    description: str | None = None
    state: dict[str, StateKey] = Field(default_factory=dict)
    nodes: list[NodeSpec] = Field(min_length=1, max_length=500)
    edges: list[Edge] = Field(default_factory=list, max_length=2000)
    max_steps: int = Field(default=DEFAULT_MAX_STEPS, ge=1, le=10_000)
    # State keys a caller may provide when starting a run; None = ["messages"] if declared.
    inputs: list[str] | None = None
    # State key holding the answer; None = content of the last assistant message.
    output: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _edge_type_defaults_to_normal(cls, data: Any) -> Any:
        # Hand-written graphs mostly use plain edges; let them omit `"type": "normal"`.
        if isinstance(data, dict) and isinstance(data.get("edges"), list):
            edges = [
                {"type": "normal", **e} if isinstance(e, dict) and "type" not in e else e
                for e in data["edges"]
            ]
            data = {**data, "edges": edges}
        return data

    def resolved_inputs(self) -> list[str]:
        """The declared input keys, or the chat default (`messages` when it exists)."""
        if self.inputs is not None:
            return list(self.inputs)
        return ["messages"] if "messages" in self.state else []


def edge_targets(edge: NormalEdge | ConditionalEdge | FanoutEdge) -> list[str]:
    """Every node an edge can lead to, in a stable order (mapping values sorted by outcome)."""
    if isinstance(edge, NormalEdge):
        return [edge.target]
    if isinstance(edge, ConditionalEdge):
        found = [edge.mapping[k] for k in sorted(edge.mapping)]
        if edge.default is not None:
            found.append(edge.default)
        return list(dict.fromkeys(found))
    if edge.targets is not None:
        return list(edge.targets)
    return [edge.target] if edge.target is not None else []
