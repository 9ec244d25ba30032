"""`transform` node type: compute state updates from expressions and text templates.

Runs inline in the workflow (deterministic, no I/O). Every value is computed from the
node's input as it was when the node started, so the order of keys does not matter.
"""

from __future__ import annotations

import copy
from typing import Any

from node_types.expressions import evaluate
from node_types.spec import STATE_SCHEMA, NodeTypeSpec
from node_types.templating import render

_KEY_MAP: dict[str, Any] = {
    "type": "object",
    "propertyNames": {"pattern": r"^[A-Za-z_][A-Za-z0-9_]{0,127}$"},
    "additionalProperties": {"type": "string"},
}

CONFIG_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "assign": {
            **_KEY_MAP,
            "description": "state key -> expression; the value is written through the "
            "key's reducer (e.g. a list for an append key).",
        },
        "render": {**_KEY_MAP, "description": "state key -> text template with {{ expr }}."},
    },
}

NODE_TYPE = NodeTypeSpec(
    type_name="transform",
    display_name="Transform",
    description="Computes new state values from expressions and templates (counters, "
    "formatting, building messages). Runs inside the workflow, no I/O.",
    category="processing",
    tags=["expression", "state", "inline"],
    config_schema=CONFIG_SCHEMA,
    input_schema=STATE_SCHEMA,
    output_schema={"type": "object", "description": "One entry per assigned/rendered key."},
    required_services=[],
    default_config={"assign": {}, "render": {}},
    execution="inline",
)


def state_reads(config: dict[str, Any]) -> list[str]:
    """Keys read outside expressions (none)."""
    return []


def state_writes(config: dict[str, Any]) -> list[str]:
    """Every assigned or rendered key."""
    keys = list(config.get("assign") or {}) + list(config.get("render") or {})
    return list(dict.fromkeys(keys))


def config_expressions(config: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(config pointer, "expression"|"template", text) for validation and read tracking."""
    found = [(f"/assign/{k}", "expression", v) for k, v in (config.get("assign") or {}).items()]
    found += [(f"/render/{k}", "template", v) for k, v in (config.get("render") or {}).items()]
    return [f for f in found if isinstance(f[2], str)]


def run(config: dict[str, Any], node_input: dict[str, Any]) -> dict[str, Any]:
    """Evaluate every assignment and template against the node input."""
    update: dict[str, Any] = {}
    for key, text in (config.get("assign") or {}).items():
        # Copy so the update never aliases the input state.
        update[key] = copy.deepcopy(evaluate(text, node_input))
    for key, text in (config.get("render") or {}).items():
        update[key] = render(text, node_input)
    return update
