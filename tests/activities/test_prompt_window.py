"""The llm node's prompt window without a database: splitting, whole turns, the limits."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from activities.prompt_window import (
    DEFAULT_CONTEXT_WINDOW,
    HistoryLimits,
    context_window,
    count_tokens,
    fitted_messages,
    keep_recent_turns,
    split_prompt,
)
from node_types import llm as llm_node
from temporal_workflows.contracts import NodeActivityInput

SYSTEM = {"role": "system", "content": "Be brief."}
MODEL = "scripted/echo"


def _conversation(turns: int, words: int = 50) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []
    for turn in range(1, turns + 1):
        messages.append({"role": "user", "content": f"question {turn} " + "word " * words})
        messages.append({"role": "assistant", "content": f"answer {turn}"})
    return messages


def _no_database(tenant_id: str) -> AbstractAsyncContextManager[AsyncSession]:
    raise AssertionError("a run without stored chat messages must not read the database")


async def _fit(config: dict[str, Any], messages: list[dict[str, Any]], max_out: int = 100) -> Any:
    data = NodeActivityInput(
        tenant_id="00000000-0000-0000-0000-000000000001",
        execution_id="00000000-0000-0000-0000-000000000002",
        workflow_id="exec-x",
        node_name="answer",
        node_type="llm",
        config={"system_prompt": "Be brief.", **config},
        node_input={"messages": messages},
        step=1,
        task_id="t",
    )
    request = llm_node.build_request(data.config, data.node_input)
    return await fitted_messages(
        data, request, model=MODEL, max_output_tokens=max_out, sessions=_no_database
    )


def test_split_keeps_the_system_prompt_and_the_latest_user_turn_apart() -> None:
    call: dict[str, Any] = {"role": "assistant", "content": "", "tool_calls": [{"id": "c"}]}
    result: dict[str, Any] = {"role": "tool", "content": "42", "tool_call_id": "c"}
    history = _conversation(2)
    latest = [{"role": "user", "content": "now"}, call, result]
    head, middle, tail = split_prompt([SYSTEM, *history, *latest])
    assert (head, middle, tail) == ([SYSTEM], history, latest)
    # No user turn at all: the last message is still the model's cue.
    assert split_prompt([SYSTEM, {"role": "assistant", "content": "hi"}])[2] == [
        {"role": "assistant", "content": "hi"}
    ]


def test_whole_turns_are_kept_newest_first_until_one_does_not_fit() -> None:
    call: dict[str, Any] = {"role": "assistant", "content": "", "tool_calls": [{"id": "c"}]}
    result: dict[str, Any] = {"role": "tool", "content": "42", "tool_call_id": "c"}
    history: list[dict[str, Any]] = [
        {"role": "user", "content": "q1"},
        {"role": "assistant", "content": "a1"},
        {"role": "user", "content": "q2"},
        call,
        result,
        {"role": "assistant", "content": "a2"},
        {"role": "user", "content": "q3"},
        {"role": "assistant", "content": "a3"},
    ]
    counted = [(m, 10) for m in history]
    # 50 tokens: the last turn (20) and the tool-call turn (40) do not both fit; a turn is
    # never cut, so the tool result never loses its call.
    assert keep_recent_turns(counted, HistoryLimits(50, None, None)) == history[-2:]
    assert keep_recent_turns(counted, HistoryLimits(60, None, None)) == history[2:]
    assert keep_recent_turns(counted, HistoryLimits(10_000, 1, None)) == history[-2:]
    assert keep_recent_turns(counted, HistoryLimits(10_000, None, 7)) == history[2:]
    assert keep_recent_turns(counted, HistoryLimits(0, None, None)) == []


def test_unknown_models_get_the_default_window_and_known_ones_litellms() -> None:
    assert context_window(MODEL) == DEFAULT_CONTEXT_WINDOW
    assert context_window(MODEL, 8192) == 8192
    assert context_window("gpt-4o-mini") == 128_000


async def test_the_node_limits_trim_the_history_not_the_current_turn() -> None:
    messages = [*_conversation(6), {"role": "user", "content": "latest question"}]
    everything = await _fit({}, messages)
    assert everything[1:] == messages

    two_turns = await _fit({"history_max_turns": 2}, messages)
    assert [m["content"][:10] for m in two_turns] == [
        "Be brief.",
        "question 5",
        "answer 5",
        "question 6",
        "answer 6",
        "latest que",
    ]
    turn_tokens = count_tokens(MODEL, messages[-3:-1])
    one_turn = await _fit({"history_max_tokens": turn_tokens + 10}, messages)
    assert [m["content"][:10] for m in one_turn][1:] == ["question 6", "answer 6", "latest que"]


async def test_the_context_window_leaves_room_for_the_reply() -> None:
    messages = [*_conversation(40, words=400), {"role": "user", "content": "latest"}]
    fitted = await _fit({"context_window_tokens": 4096}, messages, max_out=1000)
    assert fitted[0]["content"] == "Be brief." and fitted[-1]["content"] == "latest"
    assert fitted[1]["role"] == "user"  # the history starts at a whole turn
    assert count_tokens(MODEL, fitted) <= 4096 - 1000
    assert len(fitted) > 3  # and uses the room it has
    # A current turn bigger than the window is still sent whole (the provider says no).
    huge = [*messages[:-1], {"role": "user", "content": "word " * 5000}]
    assert (await _fit({"context_window_tokens": 4096}, huge))[1:] == [huge[-1]]


async def test_history_limit_still_counts_the_messages_sent() -> None:
    messages = [*_conversation(6), {"role": "user", "content": "latest question"}]
    fitted = await _fit({"history_limit": 3}, messages)
    assert [m["content"][:10] for m in fitted] == [
        "Be brief.",
        "question 6",
        "answer 6",
        "latest que",
    ]


async def test_tool_specs_take_their_share_of_the_window() -> None:
    messages = [*_conversation(40, words=100), {"role": "user", "content": "latest"}]
    tool = {"name": "lookup", "description": "word " * 1500, "parameters": {"type": "object"}}
    without = await _fit({"context_window_tokens": 4096}, messages)
    with_tool = await _fit({"context_window_tokens": 4096, "tools": [tool]}, messages)
    assert 1 < len(with_tool) < len(without)
