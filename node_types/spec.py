"""NodeTypeSpec: the catalogue entry of a node type (seeded into the NodeType table)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from node_types.ir import RetryPolicySpec, TimeoutSpec

Category = Literal["processing", "io", "control", "integration"]


class NodeTypeSpec(BaseModel):
    """What a node type is, how it is configured and what it reads and produces."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type_name: str
    display_name: str
    description: str
    category: Category
    tags: list[str] = Field(default_factory=list)
    config_schema: dict[str, Any]
    input_schema: dict[str, Any]
    output_schema: dict[str, Any]
    required_services: list[str] = Field(default_factory=list)
    default_config: dict[str, Any] = Field(default_factory=dict)
    execution: Literal["inline", "activity", "human"]
    default_retry: RetryPolicySpec = Field(default_factory=RetryPolicySpec)
    default_timeouts: TimeoutSpec = Field(default_factory=TimeoutSpec)


STATE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "The workflow state (or the Send payload for a dynamic fan-out target).",
}

MESSAGE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["role"],
    "properties": {
        "role": {"enum": ["system", "user", "assistant", "tool"]},
        "content": {"type": ["string", "null"]},
        "id": {"type": "string"},
        "name": {"type": "string"},
        "tool_calls": {"type": "array"},
        "tool_call_id": {"type": "string"},
    },
}

STATE_KEY_NAME: dict[str, Any] = {"type": "string", "pattern": r"^[A-Za-z_][A-Za-z0-9_]{0,127}$"}
