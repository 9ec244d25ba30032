"""`human` node type: wait for a person (a HumanInterventionTask in the reviewer inbox).

The workflow creates the task from `prepare(config, node_input)`, waits for an update
whose input passes `validate_input`, and writes `to_update(config, human_input)`. If a
deadline is configured and passes first, `on_deadline(config)` says what to do:
escalate (reassign / raise priority and keep waiting), default_branch (continue with
`default_input` as if the person had answered it, so conditional edges take the
"default" route) or fail the run.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema

from node_types import approval
from node_types.errors import ConfigProblem
from node_types.problem_codes import ProblemCode
from node_types.spec import STATE_KEY_NAME, STATE_SCHEMA, NodeTypeSpec
from node_types.templating import render

# The reviewer's form is a JSON Schema stored with every task: bounded like the API's other
# free JSON fields (platform_api/api/field_types.py, 64 KiB as JSON).
MAX_INPUT_SCHEMA_BYTES = 64 * 1024

APPROVAL_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["approved"],
    "properties": {
        "approved": {"type": "boolean"},
        "comment": {"type": "string", "maxLength": 4000},
    },
}

DEADLINE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["after_seconds", "policy"],
    "properties": {
        "after_seconds": {"type": "number", "exclusiveMinimum": 0},
        "policy": {"enum": ["escalate", "default_branch", "fail"]},
        "default_input": {"type": ["object", "null"]},
        "escalate_to": {"type": ["string", "null"]},
        "escalate_priority": {"type": ["integer", "null"], "minimum": 1, "maximum": 10},
    },
}

CONFIG_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "instruction": {"type": "string", "minLength": 1, "description": "Template."},
        "required_input_schema": {"type": "object"},
        "priority": {"type": "integer", "minimum": 1, "maximum": 10},
        "assigned_to": {"type": ["string", "null"]},
        "due_in_seconds": {"type": ["number", "null"], "exclusiveMinimum": 0},
        "deadline": {"anyOf": [DEADLINE_SCHEMA, {"type": "null"}]},
        "approval": {
            "anyOf": [approval.POLICY_SCHEMA, {"type": "null"}],
            "description": "Sequential stages, each with assignees (roles, groups, users), "
            "a quorum and its own deadline; replaces assigned_to and deadline.",
        },
        "output_key": STATE_KEY_NAME,
        "state_keys": {"type": ["array", "null"], "items": STATE_KEY_NAME},
    },
}

DEFAULT_CONFIG: dict[str, Any] = {
    "instruction": "Please review the request and respond.",
    "required_input_schema": APPROVAL_SCHEMA,
    "priority": 5,
    "assigned_to": None,
    "due_in_seconds": None,
    "deadline": None,
    "approval": None,
    "output_key": "human_input",
    "state_keys": None,
}

NODE_TYPE = NodeTypeSpec(
    type_name="human",
    display_name="Human review",
    description="Pauses the run until a reviewer completes a task with input matching a "
    "schema (approve/reject by default); optional deadline with escalation, a default "
    "answer or failure; or an approval policy: sequential stages of roles, groups or "
    "named people, M of N must agree, per-stage deadlines with reminders and escalation.",
    category="control",
    tags=["human", "approval", "review", "wait"],
    config_schema=CONFIG_SCHEMA,
    input_schema=STATE_SCHEMA,
    output_schema={"type": "object", "description": "{output_key: the reviewer's input}."},
    required_services=[],
    default_config=DEFAULT_CONFIG,
    execution="human",
    default_timeouts={"start_to_close_seconds": 30},
    default_retry={"max_attempts": 5},
)


def _cfg(config: dict[str, Any]) -> dict[str, Any]:
    return {**DEFAULT_CONFIG, **config}


def state_reads(config: dict[str, Any]) -> list[str]:
    """Snapshot keys shown to the reviewer (the instruction is a template)."""
    return list(_cfg(config)["state_keys"] or [])


def state_writes(config: dict[str, Any]) -> list[str]:
    """The key receiving the reviewer's input."""
    return [_cfg(config)["output_key"]]


def config_expressions(config: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(config pointer, "expression"|"template", text) for validation and read tracking."""
    return [("/instruction", "template", _cfg(config)["instruction"])]


def config_problems(config: dict[str, Any]) -> list[ConfigProblem]:
    """The input schema must be a valid schema, a default answer must satisfy it, and an
    approval policy must be one that can be met."""
    cfg = _cfg(config)
    size = len(
        json.dumps(cfg["required_input_schema"], ensure_ascii=False, separators=(",", ":")).encode(
            "utf-8", "surrogatepass"
        )
    )
    if size > MAX_INPUT_SCHEMA_BYTES:
        limit = f"{MAX_INPUT_SCHEMA_BYTES // 1024} KiB"
        return [
            ConfigProblem(
                "/required_input_schema",
                f"is {size} bytes as JSON; at most {limit} allowed",
                ProblemCode.HUMAN_INPUT_SCHEMA_TOO_LARGE,
                {"size": size, "limit": limit},
            )
        ]
    try:
        jsonschema.Draft202012Validator.check_schema(cfg["required_input_schema"])
    except jsonschema.exceptions.SchemaError as exc:
        return [
            ConfigProblem(
                "/required_input_schema",
                f"invalid JSON Schema: {exc.message}",
                ProblemCode.HUMAN_INPUT_SCHEMA_INVALID,
                {"detail": exc.message},
            )
        ]
    problems: list[ConfigProblem] = []
    if cfg["approval"]:
        problems += approval.policy_problems(cfg["approval"], cfg["required_input_schema"])
        if cfg["deadline"]:
            problems.append(
                ConfigProblem(
                    "/deadline",
                    "an approval policy sets its deadlines per stage",
                    ProblemCode.HUMAN_DEADLINE_WITH_POLICY,
                )
            )
    deadline = cfg["deadline"] or {}
    if deadline.get("policy") == "default_branch":
        if deadline.get("default_input") is None:
            missing = ConfigProblem(
                "/deadline/default_input",
                "default_branch needs a default_input",
                ProblemCode.HUMAN_DEFAULT_INPUT_MISSING,
            )
            return [*problems, missing]
        problems += [
            ConfigProblem(
                f"/deadline/default_input{path}",
                message,
                ProblemCode.HUMAN_DEFAULT_INPUT_INVALID,
                {"detail": message},
            )
            for path, message in validate_input(cfg, deadline["default_input"])
        ]
    return problems


def prepare(config: dict[str, Any], node_input: dict[str, Any]) -> dict[str, Any]:
    """Fields of the HumanInterventionTask to create (the activity adds ids and times)."""
    cfg = _cfg(config)
    keys = cfg["state_keys"]
    snapshot = node_input if keys is None else {k: node_input.get(k) for k in keys}
    return {
        "instruction": render(cfg["instruction"], node_input),
        "required_input_schema": copy.deepcopy(cfg["required_input_schema"]),
        "priority": cfg["priority"],
        "assigned_to": cfg["assigned_to"],
        "due_in_seconds": cfg["due_in_seconds"],
        "deadline": copy.deepcopy(cfg["deadline"]),
        "approval": approval.policy_of(cfg),
        "current_state": copy.deepcopy(snapshot),
    }


def validate_input(config: dict[str, Any], human_input: Any) -> list[tuple[str, str]]:
    """Every (JSON pointer, message) by which `human_input` fails the required schema."""
    schema = _cfg(config)["required_input_schema"]
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(human_input), key=lambda e: list(e.absolute_path))
    return [(_pointer(e.absolute_path), e.message) for e in errors]


def to_update(config: dict[str, Any], human_input: dict[str, Any]) -> dict[str, Any]:
    """State update once the person has answered."""
    return {_cfg(config)["output_key"]: copy.deepcopy(human_input)}


def on_deadline(config: dict[str, Any]) -> dict[str, Any] | None:
    """What to do when the deadline passes; None when there is no deadline.

    `{"action": "escalate", "assigned_to", "priority"}` — update the task, keep waiting;
    `{"action": "default_branch", "update"}` — write `update` and continue;
    `{"action": "fail", "reason"}` — fail the node (non-retryable).
    """
    cfg = _cfg(config)
    deadline = cfg["deadline"]
    if not deadline:
        return None
    if deadline["policy"] == "escalate":
        return {
            "action": "escalate",
            "assigned_to": deadline.get("escalate_to") or cfg["assigned_to"],
            "priority": deadline.get("escalate_priority") or min(cfg["priority"] + 3, 10),
        }
    if deadline["policy"] == "default_branch":
        return {"action": "default_branch", "update": to_update(cfg, deadline["default_input"])}
    return {
        "action": "fail",
        "reason": f"no human input within {deadline['after_seconds']} seconds",
    }


def _pointer(path: Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)
