"""A streamed reply put together from its chunks reads as litellm's own builder reads it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from activities.litellm_setup import litellm
from activities.llm_stream import StreamedReply, _built, taking_turns
from tests.openai_server import openai_compatible_server

API_KEY = "sk-stream-test"
SEARCH = {
    "type": "function",
    "function": {
        "name": "search",
        "parameters": {"type": "object", "properties": {"query": {"type": "string"}}},
    },
}


async def _chunks(base_url: str, **extra: Any) -> tuple[list[Any], list[dict[str, Any]]]:
    messages = [{"role": "user", "content": "durable agents on Temporal"}]
    stream = await litellm.acompletion(
        model="openai/gpt-4o-mini",
        api_base=base_url,
        api_key=API_KEY,
        messages=messages,
        stream=True,
        stream_options={"include_usage": True},
        **extra,
    )
    return [chunk async for chunk in stream], messages


def _reply(chunks: list[Any]) -> StreamedReply:
    reply = StreamedReply()
    for chunk in chunks:
        reply.add(chunk)
    return reply


@pytest.mark.parametrize("tools", [None, [SEARCH]], ids=["text", "tool call"])
async def test_reply_from_chunks_equals_litellms_build(tools: list[dict[str, Any]] | None) -> None:
    with openai_compatible_server(API_KEY) as server:
        chunks, messages = await _chunks(server.base_url, **({"tools": tools} if tools else {}))
    ours = _reply(chunks).result(messages)
    theirs = _built(chunks, messages)

    assert ours["content"] == theirs["content"]
    assert ours["tool_calls"] == theirs["tool_calls"]
    for key in ("prompt_tokens", "completion_tokens", "total_tokens"):
        assert ours["usage"][key] == theirs["usage"][key] > 0
    if tools:
        (call,) = ours["tool_calls"]
        assert call["function"]["name"] == "search" and call["id"]
        assert json.loads(call["function"]["arguments"]) == {"query": "durable agents on Temporal"}
    else:
        assert ours["content"] == "Local server says: durable agents on Temporal"


async def test_a_stream_without_usage_is_counted_by_litellm() -> None:
    with openai_compatible_server(API_KEY) as server:
        chunks, messages = await _chunks(server.base_url)
    without_usage = [c for c in chunks if not getattr(c, "usage", None)]
    assert len(without_usage) < len(chunks)  # the server did report usage: now it did not

    result = _reply(without_usage).result(messages)

    assert result["content"] == "Local server says: durable agents on Temporal"
    assert result["usage"]["completion_tokens"] > 0 and result["usage"]["prompt_tokens"] > 0


async def test_a_fast_reply_gives_the_event_loop_a_turn_after_each_chunk() -> None:
    """Chunks already received are read without yielding; the loop must still turn, or a
    fast provider's reply holds up every other task (the API's first-token stream in
    `agentpaas dev`) until its end."""

    async def received(count: int) -> AsyncIterator[int]:
        for i in range(count):
            yield i  # buffered: no await that suspends

    turns = 0

    async def other_task() -> None:
        nonlocal turns
        while True:
            turns += 1
            await asyncio.sleep(0)

    others = asyncio.create_task(other_task())
    await asyncio.sleep(0)
    started = turns
    seen = [chunk async for chunk in taking_turns(received(100))]
    ran_during = turns - started
    others.cancel()
    assert seen == list(range(100))
    assert ran_during >= 99
