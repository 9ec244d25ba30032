"""`router` node type: pick a route name from ordered cases and write it to state.

Runs inline in the workflow (deterministic, no I/O). The usual pattern is a router
followed by a conditional edge whose condition is the route key; a router with no cases
is a pure pass-through that only exists to hang conditional edges on.
"""

from __future__ import annotations

from typing import Any

from node_types.expressions import evaluate
from node_types.spec import STATE_KEY_NAME, STATE_SCHEMA, NodeTypeSpec

CONFIG_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "cases": {
            "type": "array",
            "description": "Checked in order; the first case whose `when` is truthy wins.",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["when", "route"],
                "properties": {
                    "when": {"type": "string", "minLength": 1},
                    "route": {"type": "string", "minLength": 1},
                },
            },
        },
        "default": {"type": ["string", "null"], "description": "Route when no case matches."},
        "output_key": {"anyOf": [STATE_KEY_NAME, {"type": "null"}]},
    },
}

NODE_TYPE = NodeTypeSpec(
    type_name="router",
    display_name="Router",
    description="Chooses a route from ordered conditions over state and records it for a "
    "conditional edge. Runs inside the workflow, no I/O.",
    category="control",
    tags=["routing", "condition", "inline"],
    config_schema=CONFIG_SCHEMA,
    input_schema=STATE_SCHEMA,
    output_schema={
        "type": "object",
        "description": "{output_key: route} when the router has cases or a default, else {}.",
    },
    required_services=[],
    default_config={"cases": [], "default": None, "output_key": "route"},
    execution="inline",
)


def _chooses(config: dict[str, Any]) -> bool:
    return bool(config.get("output_key")) and bool(config.get("cases") or config.get("default"))


def state_reads(config: dict[str, Any]) -> list[str]:
    """Keys read outside expressions (none: every read is in a `when`)."""
    return []


def state_writes(config: dict[str, Any]) -> list[str]:
    """The route key, when the router chooses anything."""
    return [config["output_key"]] if _chooses(config) else []


def config_expressions(config: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(config pointer, "expression"|"template", text) for validation and read tracking."""
    return [
        (f"/cases/{i}/when", "expression", case["when"])
        for i, case in enumerate(config.get("cases") or [])
        if isinstance(case, dict) and isinstance(case.get("when"), str)
    ]


def run(config: dict[str, Any], node_input: dict[str, Any]) -> dict[str, Any]:
    """Evaluate the cases in order; return the state update."""
    if not _chooses(config):
        return {}
    route = config.get("default")
    for case in config.get("cases") or []:
        if evaluate(case["when"], node_input):
            route = case["route"]
            break
    return {config["output_key"]: route}
