"""`llm` node type: one chat-completion call (runs as an activity).

The pure halves shared by the activity and scripted fakes:
`build_request(config, node_input)` makes the provider-neutral request (litellm /
OpenAI chat format) and `to_update(config, response)` turns the model's reply into the
state update.
"""

from __future__ import annotations

import json
from typing import Any, TypeGuard

from node_types.errors import NodeOutputError
from node_types.spec import MESSAGE_SCHEMA, STATE_KEY_NAME, STATE_SCHEMA, NodeTypeSpec
from node_types.templating import render

_MESSAGE_FIELDS = ("role", "content", "name", "tool_calls", "tool_call_id")
_OPTIONAL_KEY = {"anyOf": [STATE_KEY_NAME, {"type": "null"}]}
_TOOL = {
    "anyOf": [
        {
            "type": "string",
            "minLength": 1,
            "description": "An MCP tool name, resolved at run time.",
        },
        {
            "type": "object",
            "required": ["name"],
            "additionalProperties": False,
            "properties": {
                "name": {"type": "string", "minLength": 1},
                "description": {"type": "string"},
                "parameters": {"type": "object"},
            },
        },
    ]
}

# The parameters users' own defaults (their settings) may set on a node that allows them,
# each with its own range; the node's bounds (``user_params``) narrow it.
USER_PARAM_RANGES: dict[str, tuple[float, float]] = {
    "temperature": (0.0, 2.0),
    "max_tokens": (1, 1_000_000),
}


def _bounds_schema(kind: str, low: float, high: float) -> dict[str, Any]:
    limit = {"type": kind, "minimum": low, "maximum": high}
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {"min": limit, "max": limit},
    }


_USER_PARAMS: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "temperature": _bounds_schema("number", 0, 2),
        "max_tokens": _bounds_schema("integer", 1, 1_000_000),
    },
}

# The model parameters a call takes from the node, a service config's presets or the
# version's override: the activity merges exactly these, and a service config may preset
# no others.
MODEL_PARAMS = (
    "temperature",
    "max_tokens",
    "top_p",
    "stop",
    "seed",
    "presence_penalty",
    "frequency_penalty",
)

CONFIG_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "model": {"type": ["string", "null"], "description": "null = the tenant's default model"},
        "system_prompt": {"type": "string", "description": "Template with {{ expr }}."},
        "prompt": {
            "type": ["string", "null"],
            "description": "Template sent as a final user message (not stored in state).",
        },
        "messages_key": _OPTIONAL_KEY,
        "include_history": {"type": "boolean"},
        "history_limit": {"type": ["integer", "null"], "minimum": 1},
        "history_max_turns": {
            "type": ["integer", "null"],
            "minimum": 1,
            "description": "Earlier user turns sent at most; null = as many as fit.",
        },
        "history_max_tokens": {
            "type": ["integer", "null"],
            "minimum": 1,
            "description": "Tokens the earlier conversation may take; null = what the "
            "model's context window leaves.",
        },
        "context_window_tokens": {
            "type": ["integer", "null"],
            "minimum": 1024,
            "maximum": 10_000_000,
            "description": "The model's context window; null = litellm's figure for the "
            "model (32,768 for models litellm does not know).",
        },
        "append_to_messages": {"type": "boolean"},
        "message_name": {"type": ["string", "null"], "pattern": "^[A-Za-z0-9_-]{1,64}$"},
        "output_key": _OPTIONAL_KEY,
        "json_schema": {"type": ["object", "null"], "description": "Ask for JSON output."},
        "temperature": {"type": ["number", "null"], "minimum": 0, "maximum": 2},
        "max_tokens": {"type": ["integer", "null"], "minimum": 1, "maximum": 1_000_000},
        "top_p": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
        "stop": {"type": ["array", "null"], "items": {"type": "string"}, "maxItems": 4},
        "tools": {"type": "array", "items": _TOOL},
        "tool_choice": {"enum": ["auto", "none", "required", None]},
        "stream": {"type": "boolean"},
        "user_params": {
            "anyOf": [{"type": "null"}, _USER_PARAMS],
            "title": "Users' default model parameters",
            "description": "Whether the defaults users set in their settings apply to this "
            "node, and within which bounds; null = they do not.",
        },
    },
}

DEFAULT_CONFIG: dict[str, Any] = {
    "model": None,
    "system_prompt": "You are a helpful assistant.",
    "prompt": None,
    "messages_key": "messages",
    "include_history": True,
    "history_limit": None,
    "history_max_turns": None,
    "history_max_tokens": None,
    "context_window_tokens": None,
    "append_to_messages": True,
    "message_name": None,
    "output_key": None,
    "json_schema": None,
    "temperature": 0.7,
    "max_tokens": None,
    "top_p": None,
    "stop": None,
    "tools": [],
    "tool_choice": None,
    "stream": True,
    "user_params": None,
}

NODE_TYPE = NodeTypeSpec(
    type_name="llm",
    display_name="LLM",
    description="Calls a chat model with a system prompt, the conversation and optional "
    "tools or JSON output; appends the reply to the conversation and/or a state key.",
    category="processing",
    tags=["llm", "chat", "model", "activity"],
    config_schema=CONFIG_SCHEMA,
    input_schema=STATE_SCHEMA,
    output_schema={
        "type": "object",
        "properties": {
            "messages": {"type": "array", "items": MESSAGE_SCHEMA},
        },
        "description": "{messages_key: [assistant message]} and/or {output_key: text or JSON}.",
    },
    required_services=["llm_service"],
    default_config=DEFAULT_CONFIG,
    execution="activity",
    default_timeouts={"start_to_close_seconds": 120, "heartbeat_seconds": 30},
    default_retry={"max_attempts": 3, "non_retryable_error_types": ["NodeOutputError"]},
)


def _cfg(config: dict[str, Any]) -> dict[str, Any]:
    return {**DEFAULT_CONFIG, **config}


def state_reads(config: dict[str, Any]) -> list[str]:
    """The conversation key when history is included."""
    cfg = _cfg(config)
    return [cfg["messages_key"]] if cfg["messages_key"] and cfg["include_history"] else []


def state_writes(config: dict[str, Any]) -> list[str]:
    """The conversation key (when the reply is appended) and the output key."""
    cfg = _cfg(config)
    keys = [cfg["messages_key"]] if cfg["messages_key"] and cfg["append_to_messages"] else []
    return keys + ([cfg["output_key"]] if cfg["output_key"] else [])


def speaks_to_user(config: dict[str, Any]) -> bool:
    """Whether the reply joins the conversation (else it is a step's internal output)."""
    cfg = _cfg(config)
    return bool(cfg["messages_key"] and cfg["append_to_messages"])


def config_expressions(config: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(config pointer, "expression"|"template", text) for validation and read tracking."""
    cfg = _cfg(config)
    return [
        (f"/{field}", "template", cfg[field])
        for field in ("system_prompt", "prompt")
        if isinstance(cfg.get(field), str)
    ]


def build_request(config: dict[str, Any], node_input: dict[str, Any]) -> dict[str, Any]:
    """The chat request: messages (system prompt, history, prompt) and model parameters.

    `tools` holds OpenAI function specs for tools declared with parameters; `tool_names`
    lists bare names the activity resolves against the agent's MCP servers.
    """
    cfg = _cfg(config)
    messages: list[dict[str, Any]] = []
    system = render(cfg["system_prompt"], node_input) if cfg["system_prompt"] else ""
    if system.strip():
        messages.append({"role": "system", "content": system})
    if cfg["messages_key"] and cfg["include_history"]:
        history = [m for m in node_input.get(cfg["messages_key"]) or [] if isinstance(m, dict)]
        if cfg["history_limit"]:
            history = history[-cfg["history_limit"] :]
        messages += [_wire_message(m) for m in history]
    if cfg["prompt"]:
        messages.append({"role": "user", "content": render(cfg["prompt"], node_input)})
    request: dict[str, Any] = {"model": cfg["model"], "messages": messages, "stream": cfg["stream"]}
    for param in ("temperature", "max_tokens", "top_p", "stop"):
        if cfg[param] is not None:
            request[param] = cfg[param]
    specs = [t for t in cfg["tools"] if isinstance(t, dict)]
    names = [t for t in cfg["tools"] if isinstance(t, str)]
    if specs:
        request["tools"] = [_function_spec(t) for t in specs]
    if names:
        request["tool_names"] = names
    if (specs or names) and cfg["tool_choice"]:
        request["tool_choice"] = cfg["tool_choice"]
    if cfg["json_schema"] is not None:
        request["response_format"] = {
            "type": "json_schema",
            "json_schema": {"name": "output", "schema": cfg["json_schema"]},
        }
    return request


def allows_user_params(config: dict[str, Any]) -> bool:
    """Whether users' default model parameters apply to this node at all."""
    bounds = _cfg(config).get("user_params")
    return isinstance(bounds, dict) and any(_limits(bounds, name) for name in USER_PARAM_RANGES)


def user_param_values(config: dict[str, Any], defaults: dict[str, Any] | None) -> dict[str, Any]:
    """The user's default model parameters this node allows, clamped to its bounds.

    ``config["user_params"]`` lists the parameters users may set (``{"temperature":
    {"min": 0.2, "max": 1}, "max_tokens": {"max": 512}}``); absent or null, the node takes
    none. A parameter is allowed when it has at least one bound (an emptied form leaves
    ``{}``, which allows nothing); a bound not given is the parameter's own range. A value
    that is not a number is ignored; ``max_tokens`` stays an integer.
    """
    bounds = _cfg(config).get("user_params")
    if not isinstance(bounds, dict) or not defaults:
        return {}
    values: dict[str, Any] = {}
    for name, (low, high) in USER_PARAM_RANGES.items():
        limits, value = _limits(bounds, name), defaults.get(name)
        if not limits or not _is_number(value):
            continue
        least, most = limits.get("min", low), limits.get("max", high)
        clamped = min(max(value, least, low), most, high)
        values[name] = int(clamped) if name == "max_tokens" else float(clamped)
    return values


def _limits(bounds: dict[str, Any], name: str) -> dict[str, Any]:
    """The numeric bounds given for ``name`` (empty: the parameter is not allowed)."""
    limits = bounds.get(name)
    if not isinstance(limits, dict):
        return {}
    return {k: v for k in ("min", "max") if _is_number(v := limits.get(k))}


def _is_number(value: Any) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def to_update(config: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
    """State update for a model reply.

    `response` is either the assistant message (`{"role", "content", "tool_calls"?}`) or
    an OpenAI-style completion (`{"choices": [{"message": ...}], ...}`). Raises
    NodeOutputError when JSON output was requested and the reply is not valid JSON.
    """
    cfg = _cfg(config)
    message = _assistant_message(response)
    content = message.get("content") if isinstance(message.get("content"), str) else ""
    reply: dict[str, Any] = {"role": "assistant", "content": content}
    if message.get("tool_calls"):
        reply["tool_calls"] = [_normalised_call(c, i) for i, c in enumerate(message["tool_calls"])]
    if cfg["message_name"]:
        reply["name"] = cfg["message_name"]
    update: dict[str, Any] = {}
    if cfg["messages_key"] and cfg["append_to_messages"]:
        update[cfg["messages_key"]] = [reply]
    if cfg["output_key"]:
        update[cfg["output_key"]] = _parsed_output(cfg, content)
    return update


def _assistant_message(response: dict[str, Any]) -> dict[str, Any]:
    if isinstance(response.get("choices"), list) and response["choices"]:
        message = response["choices"][0].get("message") or {}
    else:
        message = response.get("message", response)
    if not isinstance(message, dict):
        raise NodeOutputError("the model response has no assistant message")
    return message


def _parsed_output(cfg: dict[str, Any], content: str) -> Any:
    if cfg["json_schema"] is None:
        return content
    text = content.strip()
    if text.startswith("```"):  # models often fence JSON despite response_format
        text = text.strip("`").removeprefix("json").strip()
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise NodeOutputError(f"the model did not return valid JSON: {exc.msg}") from None


def _normalised_call(call: dict[str, Any], index: int) -> dict[str, Any]:
    function = call.get("function") or {}
    arguments = function.get("arguments", "{}")
    if not isinstance(arguments, str):
        arguments = json.dumps(arguments, ensure_ascii=False, sort_keys=True)
    return {
        "id": call.get("id") or f"call_{index}",
        "type": "function",
        "function": {"name": function.get("name", ""), "arguments": arguments},
    }


def _wire_message(message: dict[str, Any]) -> dict[str, Any]:
    # Providers reject unknown fields (our ids), so send only the chat-format fields.
    return {k: message[k] for k in _MESSAGE_FIELDS if message.get(k) is not None}


def _function_spec(tool: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "function",
        "function": {
            "name": tool["name"],
            "description": tool.get("description", ""),
            "parameters": tool.get("parameters") or {"type": "object", "properties": {}},
        },
    }
