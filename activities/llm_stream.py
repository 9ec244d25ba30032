"""A streamed chat completion put together from its chunks: text, tool calls, usage.

litellm's ``stream_chunk_builder`` rebuilds a whole ``ModelResponse`` (pydantic models,
token counting, cost bookkeeping): ≈ 4 ms of worker CPU per call (bench/profile_run.py),
for what the chunks already say. The text is the deltas, each tool call its fragments
(merged as litellm merges them: by index, the id and name as last sent, the arguments
concatenated), the usage the last chunk's when the provider reports it
(``stream_options.include_usage``). Only a stream without usage goes through
``stream_chunk_builder``, which then counts the tokens itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from litellm.types.utils import ModelResponse

from activities.litellm_setup import litellm

T = TypeVar("T")


async def taking_turns(chunks: AsyncIterator[T]) -> AsyncIterator[T]:
    """``chunks``, giving the event loop a turn after each one.

    Chunks already received are read without yielding: a fast provider's whole reply
    would otherwise hold the event loop until its end, and whatever waits on it (the
    API's stream of the first token, in `agentpaas dev`; other runs' calls in a worker)
    would wait with it.
    """
    async for chunk in chunks:
        yield chunk
        await asyncio.sleep(0)


@dataclass
class _ToolCall:
    id: str | None = None
    name: str | None = None
    arguments: list[str] = field(default_factory=list)


@dataclass
class StreamedReply:
    """Collects a completion's chunks as they arrive; :meth:`result` is the reply."""

    _chunks: list[Any] = field(default_factory=list)
    _text: list[str] = field(default_factory=list)
    _calls: dict[int, _ToolCall] = field(default_factory=dict)
    _usage: Any = None

    def add(self, chunk: Any) -> str | None:
        """Take one chunk; returns its text delta, if any."""
        self._chunks.append(chunk)
        usage = getattr(chunk, "usage", None)
        if usage:
            self._usage = usage
        if not chunk.choices:
            return None
        delta = chunk.choices[0].delta
        for call in getattr(delta, "tool_calls", None) or ():
            function = getattr(call, "function", None)
            if function is None:
                continue
            index = getattr(call, "index", None)
            entry = self._calls.setdefault(0 if index is None else index, _ToolCall())
            if call.id:
                entry.id = call.id
            if function.name:
                entry.name = function.name
            if function.arguments:
                entry.arguments.append(function.arguments)
        text: str | None = delta.content
        if text:
            self._text.append(text)
        return text

    def result(self, messages: list[dict[str, Any]]) -> dict[str, Any]:
        """``content``, ``tool_calls`` (OpenAI's shape) and ``usage`` of the reply."""
        if not self._usage:
            return _built(self._chunks, messages)
        usage = self._usage
        return {
            "content": "".join(self._text),
            "tool_calls": [
                {
                    "id": call.id,
                    "type": "function",
                    "function": {"name": call.name, "arguments": "".join(call.arguments)},
                }
                for _, call in sorted(self._calls.items())
            ],
            "usage": usage.model_dump() if hasattr(usage, "model_dump") else dict(usage),
        }


def _built(chunks: list[Any], messages: list[dict[str, Any]]) -> dict[str, Any]:
    """The reply as litellm builds it (and counts its tokens) from the chunks."""
    built = litellm.stream_chunk_builder(chunks, messages=messages)
    if not isinstance(built, ModelResponse):
        # Chat chunks always build a chat response; anything else is a litellm fault.
        raise RuntimeError(f"litellm built {type(built).__name__} from a chat stream")
    message = built.choices[0].message
    tool_calls = [
        {
            "id": call.id,
            "type": "function",
            # Only function tools are sent, so only function calls come back.
            "function": {
                "name": call.function.name,  # type: ignore[union-attr]
                "arguments": call.function.arguments,  # type: ignore[union-attr]
            },
        }
        for call in (message.tool_calls or [])
    ]
    built_usage = getattr(built, "usage", None)  # set at run time, not declared
    return {
        "content": message.content or "",
        "tool_calls": tool_calls,
        "usage": built_usage.model_dump() if built_usage else {},
    }
