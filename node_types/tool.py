"""`tool` node type: call MCP tools (runs as an activity).

Two modes:
- `tool_calls` (default): execute the tool calls of the last assistant message in the
  conversation and append one `tool` message per call (the LLM ↔ tool loop).
- `direct`: call one named tool with arguments computed from state by expressions and
  write the result to `output_key`.

Pure halves: `prepare(config, node_input)` lists the calls to make and
`to_update(config, calls, results)` turns their results into the state update.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from node_types.errors import ConfigProblem, NodeOutputError
from node_types.expressions import evaluate
from node_types.problem_codes import ProblemCode
from node_types.spec import STATE_KEY_NAME, STATE_SCHEMA, NodeTypeSpec

_OPTIONAL_KEY = {"anyOf": [STATE_KEY_NAME, {"type": "null"}]}

CONFIG_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "mode": {"enum": ["tool_calls", "direct"]},
        "server": {"type": ["string", "null"], "description": "MCP server name; null = any."},
        "tool": {"type": ["string", "null"], "description": "Tool to call in direct mode."},
        "arguments": {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "description": "Direct mode: argument name -> expression over state.",
        },
        "arguments_from": {
            "type": ["string", "null"],
            "description": "Direct mode: expression giving an object of arguments "
            "(`arguments` entries override its keys).",
        },
        "allowed_tools": {"type": ["array", "null"], "items": {"type": "string"}},
        "messages_key": _OPTIONAL_KEY,
        "output_key": _OPTIONAL_KEY,
    },
    "if": {"properties": {"mode": {"const": "direct"}}, "required": ["mode"]},
    "then": {"properties": {"tool": {"type": "string", "minLength": 1}}},
}

DEFAULT_CONFIG: dict[str, Any] = {
    "mode": "tool_calls",
    "server": None,
    "tool": None,
    "arguments": {},
    "arguments_from": None,
    "allowed_tools": None,
    "messages_key": "messages",
    "output_key": None,
}

NODE_TYPE = NodeTypeSpec(
    type_name="tool",
    display_name="Tool (MCP)",
    description="Calls tools on the agent's MCP servers: either the tool calls the model "
    "just made, or one tool with arguments taken from state.",
    category="integration",
    tags=["tool", "mcp", "activity"],
    config_schema=CONFIG_SCHEMA,
    input_schema=STATE_SCHEMA,
    output_schema={
        "type": "object",
        "description": "{messages_key: [tool messages]} (tool_calls) or {output_key: result}.",
    },
    required_services=["mcp_service"],
    default_config=DEFAULT_CONFIG,
    execution="activity",
    default_timeouts={"start_to_close_seconds": 60},
    default_retry={"max_attempts": 3},
)


def _cfg(config: dict[str, Any]) -> dict[str, Any]:
    return {**DEFAULT_CONFIG, **config}


def state_reads(config: dict[str, Any]) -> list[str]:
    """The conversation key in tool_calls mode (arguments are expressions)."""
    cfg = _cfg(config)
    return [cfg["messages_key"]] if cfg["mode"] == "tool_calls" and cfg["messages_key"] else []


def state_writes(config: dict[str, Any]) -> list[str]:
    """Tool messages go to the conversation; a direct result goes to output_key."""
    cfg = _cfg(config)
    keys = [cfg["messages_key"]] if cfg["mode"] == "tool_calls" and cfg["messages_key"] else []
    return keys + ([cfg["output_key"]] if cfg["output_key"] else [])


def config_expressions(config: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(config pointer, "expression"|"template", text) for validation and read tracking."""
    arguments = _cfg(config)["arguments"] or {}
    return [
        (f"/arguments/{k}", "expression", v) for k, v in arguments.items() if isinstance(v, str)
    ]


def config_problems(config: dict[str, Any]) -> list[tuple[str, str]]:
    """Semantic checks beyond the JSON Schema."""
    cfg = _cfg(config)
    if cfg["mode"] == "direct" and not cfg["output_key"]:
        message = "direct mode needs an output_key for the tool's result"
        return [ConfigProblem("/output_key", message, ProblemCode.TOOL_NEEDS_OUTPUT_KEY)]
    if cfg["mode"] == "tool_calls" and not cfg["messages_key"]:
        message = "tool_calls mode reads calls from and writes results to messages"
        return [ConfigProblem("/messages_key", message, ProblemCode.TOOL_NEEDS_MESSAGES_KEY)]
    return []


def prepare(config: dict[str, Any], node_input: dict[str, Any]) -> list[dict[str, Any]]:
    """The calls to make: `{"id", "name", "server", "arguments": dict, "error"?}`.

    A call with an `error` (unknown JSON, a tool not in allowed_tools) must not be made;
    `to_update` reports the error back to the model as that call's result.
    """
    cfg = _cfg(config)
    if cfg["mode"] == "direct":
        arguments = _direct_arguments(cfg, node_input)
        return [
            {"id": "direct", "name": cfg["tool"], "server": cfg["server"], "arguments": arguments}
        ]
    history = node_input.get(cfg["messages_key"]) or []
    last = history[-1] if history and isinstance(history[-1], dict) else {}
    if last.get("role") != "assistant":
        return []
    return [_call_from(cfg, raw, i) for i, raw in enumerate(last.get("tool_calls") or [])]


def to_update(
    config: dict[str, Any], calls: list[dict[str, Any]], results: list[dict[str, Any] | None]
) -> dict[str, Any]:
    """State update from the results, aligned with `calls`.

    Each result is `{"content": Any, "is_error": bool}` (None for calls that carried an
    `error` and were not made).
    """
    cfg = _cfg(config)
    if len(calls) != len(results):
        raise ValueError("tool.to_update needs one result per call")
    if cfg["mode"] == "direct":
        result = results[0] or {}
        return {cfg["output_key"]: result.get("content")} if calls else {}
    if not calls:
        return {}
    messages = [_tool_message(call, result) for call, result in zip(calls, results, strict=True)]
    update: dict[str, Any] = {cfg["messages_key"]: messages}
    if cfg["output_key"]:
        update[cfg["output_key"]] = [m["content"] for m in messages]
    return update


def _direct_arguments(cfg: dict[str, Any], node_input: dict[str, Any]) -> dict[str, Any]:
    base = evaluate(cfg["arguments_from"], node_input) if cfg["arguments_from"] else {}
    if base is None:
        base = {}
    if not isinstance(base, dict):
        raise NodeOutputError("tool arguments_from must give an object")
    explicit = {k: evaluate(v, node_input) for k, v in (cfg["arguments"] or {}).items()}
    return copy.deepcopy({**base, **explicit})


def _call_from(cfg: dict[str, Any], raw: Any, index: int) -> dict[str, Any]:
    function = raw.get("function", {}) if isinstance(raw, dict) else {}
    name = function.get("name") or ""
    call: dict[str, Any] = {
        "id": (raw.get("id") if isinstance(raw, dict) else None) or f"call_{index}",
        "name": name,
        "server": cfg["server"],
        "arguments": {},
    }
    arguments = function.get("arguments", "{}")
    try:
        parsed = json.loads(arguments) if isinstance(arguments, str) else arguments
    except json.JSONDecodeError as exc:
        return {**call, "error": f"arguments are not valid JSON: {exc.msg}"}
    if not isinstance(parsed, dict):
        return {**call, "error": "arguments must be a JSON object"}
    call["arguments"] = parsed
    if cfg["allowed_tools"] is not None and name not in cfg["allowed_tools"]:
        return {**call, "error": f"tool {name!r} is not allowed for this node"}
    return call


def _tool_message(call: dict[str, Any], result: dict[str, Any] | None) -> dict[str, Any]:
    if call.get("error"):
        content = f"Error: {call['error']}"
    else:
        value = (result or {}).get("content")
        content = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        if (result or {}).get("is_error"):
            content = f"Error: {content}"
    return {"role": "tool", "tool_call_id": call["id"], "name": call["name"], "content": content}
