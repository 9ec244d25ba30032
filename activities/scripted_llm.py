"""The offline scripted model: a stand-in LLM registered with litellm, named as such.

It is the only stand-in on the platform: no network exists here and tests must not
spend tokens. It answers through litellm's custom-provider interface exactly as a
real provider does (streaming chunks, usage), so everything above litellm runs for
real. Models are named ``scripted/<script>``; a script turns the conversation into
a reply (text, tool calls or JSON) and may add per-token latency.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from litellm import CustomLLM
from litellm.types.utils import GenericStreamingChunk, ModelResponse, Usage

SCRIPTED_PROVIDER = "scripted"
LABEL = "[offline scripted model]"


@dataclass
class ScriptedReply:
    """What a script answers."""

    text: str = ""
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    seconds_per_token: float = 0.0


Script = Callable[[list[dict[str, Any]], dict[str, Any]], ScriptedReply]
_SCRIPTS: dict[str, Script] = {}


def register_script(name: str, script: Script) -> None:
    """Add or replace a script (tests and demos register their own)."""
    _SCRIPTS[name] = script


def _last_user_text(messages: list[dict[str, Any]]) -> str:
    for message in reversed(messages):
        if message.get("role") == "user":
            content = message.get("content")
            return content if isinstance(content, str) else json.dumps(content)
    return ""


def example_from_schema(schema: Any, hint: str = "", depth: int = 0) -> Any:
    """A small instance that satisfies a JSON Schema (enough for structured-output nodes)."""
    if not isinstance(schema, dict) or depth > 8:
        return hint
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    for combinator in ("anyOf", "oneOf", "allOf"):
        if schema.get(combinator):
            return example_from_schema(schema[combinator][0], hint, depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties") or {}
        return {name: example_from_schema(sub, hint, depth + 1) for name, sub in properties.items()}
    if kind == "array":
        return []
    if kind == "boolean":
        return True
    if kind in ("integer", "number"):
        return max(1, int(schema.get("minimum", 1)))
    if kind == "null":
        return None
    return hint or "scripted"


def _json_schema_of(params: dict[str, Any]) -> dict[str, Any] | None:
    response_format = params.get("response_format")
    if isinstance(response_format, dict) and response_format.get("type") == "json_schema":
        schema = (response_format.get("json_schema") or {}).get("schema")
        return schema if isinstance(schema, dict) else {}
    return None


def _echo(messages: list[dict[str, Any]], params: dict[str, Any]) -> ScriptedReply:
    said = _last_user_text(messages)
    schema = _json_schema_of(params)
    if schema is not None:
        # Structured output was requested: answer with a valid instance, still labelled.
        return ScriptedReply(text=json.dumps(example_from_schema(schema, f"{LABEL} {said}")))
    return ScriptedReply(
        text=f"{LABEL} No real model is configured for this agent. You said: {said}",
        seconds_per_token=float(params.get("scripted_latency", 0.0)),
    )


def _json(messages: list[dict[str, Any]], params: dict[str, Any]) -> ScriptedReply:
    return ScriptedReply(text=json.dumps({"answer": _last_user_text(messages), "label": LABEL}))


register_script("echo", _echo)
register_script("json", _json)


def _script_for(model: str) -> Script:
    name = model.split("/", 1)[-1]
    script = _SCRIPTS.get(name)
    if script is None:
        raise ValueError(f"unknown scripted model {model!r}; known: {sorted(_SCRIPTS)}")
    return script


def _count_tokens(text: str) -> int:
    return max(1, len(text.split())) if text else 0


def _prompt_tokens(messages: list[dict[str, Any]]) -> int:
    return sum(_count_tokens(str(m.get("content") or "")) for m in messages)


def _pieces(text: str) -> list[str]:
    words = text.split(" ")
    return [w if i == len(words) - 1 else w + " " for i, w in enumerate(words)]


class ScriptedLLM(CustomLLM):
    """litellm custom provider ``scripted``."""

    def _reply(
        self, model: str, messages: list[dict[str, Any]], optional_params: dict[str, Any]
    ) -> ScriptedReply:
        return _script_for(model)(list(messages), dict(optional_params or {}))

    def _usage(self, messages: list[dict[str, Any]], reply: ScriptedReply) -> Usage:
        prompt = _prompt_tokens(messages)
        completion = _count_tokens(reply.text) + 10 * len(reply.tool_calls)
        return Usage(
            prompt_tokens=prompt, completion_tokens=completion, total_tokens=prompt + completion
        )

    def _response(
        self, model: str, messages: list[dict[str, Any]], optional_params: dict[str, Any]
    ) -> ModelResponse:
        reply = self._reply(model, messages, optional_params)
        message: dict[str, Any] = {"role": "assistant", "content": reply.text or None}
        if reply.tool_calls:
            message["tool_calls"] = reply.tool_calls
        return ModelResponse(
            model=model,
            choices=[
                {
                    "index": 0,
                    "message": message,
                    "finish_reason": "tool_calls" if reply.tool_calls else "stop",
                }
            ],
            usage=self._usage(messages, reply),
        )

    def completion(
        self, model: str, messages: list[dict[str, Any]], *args: Any, **kwargs: Any
    ) -> ModelResponse:
        """Blocking completion."""
        return self._response(model, messages, kwargs.get("optional_params") or {})

    async def acompletion(
        self, model: str, messages: list[dict[str, Any]], *args: Any, **kwargs: Any
    ) -> ModelResponse:
        """Async completion."""
        return self._response(model, messages, kwargs.get("optional_params") or {})

    def _chunks(
        self, model: str, messages: list[dict[str, Any]], optional_params: dict[str, Any]
    ) -> Iterator[tuple[float, GenericStreamingChunk]]:
        reply = self._reply(model, messages, optional_params)
        usage = self._usage(messages, reply)
        pieces = _pieces(reply.text) if reply.text else []
        for piece in pieces:
            yield (
                reply.seconds_per_token,
                GenericStreamingChunk(
                    text=piece,
                    is_finished=False,
                    finish_reason="",
                    usage=None,
                    index=0,
                    tool_use=None,
                ),
            )
        for index, call in enumerate(reply.tool_calls):
            yield (
                0.0,
                GenericStreamingChunk(
                    text="",
                    is_finished=False,
                    finish_reason="",
                    usage=None,
                    index=0,
                    tool_use={
                        "id": call.get("id"),
                        "type": "function",
                        "function": call["function"],
                        "index": index,
                    },
                ),
            )
        yield (
            0.0,
            GenericStreamingChunk(
                text="",
                is_finished=True,
                finish_reason="tool_calls" if reply.tool_calls else "stop",
                usage={
                    "prompt_tokens": usage.prompt_tokens,
                    "completion_tokens": usage.completion_tokens,
                    "total_tokens": usage.total_tokens,
                },
                index=0,
                tool_use=None,
            ),
        )

    def streaming(
        self, model: str, messages: list[dict[str, Any]], *args: Any, **kwargs: Any
    ) -> Iterator[GenericStreamingChunk]:
        """Blocking stream."""
        for delay, chunk in self._chunks(model, messages, kwargs.get("optional_params") or {}):
            if delay:
                time.sleep(delay)
            yield chunk

    async def astreaming(  # type: ignore[override]
        self, model: str, messages: list[dict[str, Any]], *args: Any, **kwargs: Any
    ) -> AsyncIterator[GenericStreamingChunk]:
        """Async stream, one chunk per word, with the script's latency."""
        for delay, chunk in self._chunks(model, messages, kwargs.get("optional_params") or {}):
            if delay:
                await asyncio.sleep(delay)
            yield chunk
