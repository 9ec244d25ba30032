"""A chat of any length: 200 turns of 30,000-character messages through the API and worker.

The agent is the demo Assistant's (the ``plain_chat`` template) on the offline scripted
model, in a tenant of its own with a quota no test run reaches. Each run starts with a
bounded window of the chat (platform_api/chats/window.py), its ``llm`` node fills the
model's context window from the database (activities/prompt_window.py), and the quota
reserves what is really sent. The bounds asserted here:

- the workflow's start input stays under ``WORKFLOW_INPUT_BOUND``: the plan, at most
  ``RUN_WINDOW_MAX_BYTES`` (64 KiB) of earlier messages, the new message;
- the execution row's ``input_data`` holds the new message only: under ``INPUT_DATA_BOUND``;
- the tokens reserved and counted per turn are flat once the window is full (within 10%
  from turn 10 to turn 200) and never above the model's window.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlmodel import col

from activities.prompt_window import DEFAULT_CONTEXT_WINDOW
from activities.scripted_llm import LABEL, ScriptedReply, register_script
from agentpaas.runtime.postgres import DatabaseUrls
from platform_api.chats import window
from platform_api.chats.window import RUN_WINDOW_MAX_BYTES
from platform_core.models import WorkflowExecution, WorkflowNodeExecution
from templates_catalog.instantiate import instantiate
from templates_catalog.loader import load_catalog
from tests.helpers import Platform, create_agent, stream_turn
from tests.llm_helpers import TenantAdmin, create_tenant

TURNS = 200
MESSAGE_CHARS = 30_000
# The plan (a few KB), at most RUN_WINDOW_MAX_BYTES of earlier messages, the new message.
WORKFLOW_INPUT_BOUND = RUN_WINDOW_MAX_BYTES + MESSAGE_CHARS + 16 * 1024
# The new message and the run's parameters, nothing of the history.
INPUT_DATA_BOUND = MESSAGE_CHARS + 1024
SAMPLED = (1, 3, 50, TURNS)
WORDS = (
    "durable workflow agent tenant quota model window token history message turn reply "
    "question answer context platform graph node activity stream record summary budget "
    "review store chat user system prompt the a of to and in is it that for on with"
).split()
# What the model was sent, call by call: the turn numbers of its user messages.
SENT: list[list[int]] = []


def _probe(messages: list[dict[str, Any]], params: dict[str, Any]) -> ScriptedReply:
    """The echo script quoting only the message's start, noting what the model was sent.

    The short reply keeps the run about the prompt: echoing 30,000 characters streams
    5,000 word chunks (about 2.7 s a turn on this machine) and tests nothing more.
    """
    assert messages[0]["role"] == "system" and messages[-1]["role"] == "user"
    SENT.append([_turn_of(m) for m in messages if m["role"] == "user"])
    return ScriptedReply(text=f"{LABEL} You said: {str(messages[-1]['content'])[:40]}")


def _turn_of(message: dict[str, Any]) -> int:
    return int(str(message["content"]).split(" ", 1)[0].removeprefix("turn-"))


def _message(turn: int) -> str:
    rng = random.Random(turn)
    words = [f"turn-{turn:03d}"]
    length = len(words[0])
    while length < MESSAGE_CHARS:
        words.append(rng.choice(WORDS))
        length += len(words[-1]) + 1
    return " ".join(words)[:MESSAGE_CHARS]


@pytest.fixture(scope="module")
async def tenant(platform: Platform, database_urls: DatabaseUrls) -> AsyncIterator[TenantAdmin]:
    """A tenant of this module's own whose monthly quota 200 big turns do not reach."""
    yield await create_tenant(platform, database_urls.admin_url, max_tokens_per_month=10**12)


async def _workflow_input(platform: Platform, execution_id: str) -> tuple[int, list[int]]:
    """The run's start input: its size in bytes, and the turns of its user messages."""
    history = await platform.temporal.get_workflow_handle(f"exec-{execution_id}").fetch_history()
    payloads = history.events[0].workflow_execution_started_event_attributes.input.payloads
    run_input = json.loads(payloads[0].data)
    turns = [_turn_of(m) for m in run_input["inputs"]["messages"] if m["role"] == "user"]
    return sum(len(p.data) for p in payloads), turns


async def _records(
    platform: Platform, tenant: TenantAdmin, executions: list[str]
) -> tuple[dict[str, int], dict[str, tuple[int, dict[str, Any]]]]:
    """Each run's input_data size, and its llm node's (tokens counted, last service call)."""
    ids = [uuid.UUID(e) for e in executions]
    async with platform.db.tenant_session(tenant.tenant_id) as session:
        rows = await session.execute(
            select(col(WorkflowExecution.execution_id), col(WorkflowExecution.input_data)).where(
                col(WorkflowExecution.execution_id).in_(ids)
            )
        )
        sizes = {str(e): len(json.dumps(data)) for e, data in rows.all()}
        nodes = await session.execute(
            select(
                col(WorkflowNodeExecution.execution_id),
                col(WorkflowNodeExecution.tokens_consumed),
                col(WorkflowNodeExecution.service_calls),
            ).where(
                col(WorkflowNodeExecution.execution_id).in_(ids),
                col(WorkflowNodeExecution.node_type) == "llm",
            )
        )
        calls = {str(e): (int(tokens), service_calls[-1]) for e, tokens, service_calls in nodes}
    return sizes, calls


async def test_two_hundred_turns_of_30000_characters_stay_bounded(
    platform: Platform, tenant: TenantAdmin, database_urls: DatabaseUrls
) -> None:
    register_script("long-chat-probe", _probe)
    catalog = {t.name: t for t in load_catalog()}
    definition = instantiate(catalog["plain_chat"], {"model": "scripted/long-chat-probe"})
    agent_id = await create_agent(database_urls.admin_url, tenant.tenant_id, definition)
    SENT.clear()
    chat_id: str | None = None
    executions: list[str] = []
    started = time.monotonic()
    for turn in range(1, TURNS + 1):
        body: dict[str, Any] = {"message": _message(turn)}
        body.update({"chat_id": chat_id} if chat_id else {"agent_id": agent_id})
        response, frames = await stream_turn(platform.client, tenant.token, body)
        assert response.status_code == 200, (turn, response.text)
        done = frames[-1]["data"]
        assert done["status"] == "completed", (turn, json.dumps(done)[:2000])  # type: ignore[index]
        assert f"You said: turn-{turn:03d}" in done["answer"]  # type: ignore[index]
        chat_id = response.headers["X-Chat-Id"]
        executions.append(response.headers["X-Execution-Id"])
    elapsed = time.monotonic() - started

    # The workflow's input: bounded, and no bigger at the last turn than once the window filled.
    inputs = {t: await _workflow_input(platform, executions[t - 1]) for t in SAMPLED}
    sizes = {t: size for t, (size, _) in inputs.items()}
    assert all(size < WORKFLOW_INPUT_BOUND for size in sizes.values()), sizes
    assert sizes[TURNS] <= sizes[3] * 1.05, sizes

    input_data, calls = await _records(platform, tenant, executions)
    assert max(input_data.values()) < INPUT_DATA_BOUND, max(input_data.values())
    reserved = [calls[e][1]["reserved_tokens"] for e in executions]
    counted = [calls[e][0] for e in executions]
    report = {
        "seconds": round(elapsed, 1),
        "workflow_input_bytes": sizes,
        "input_data_bytes_max": max(input_data.values()),
        **{f"turn_{t}": {"reserved": reserved[t - 1], "counted": counted[t - 1]} for t in SAMPLED},
        "turns_sent_last": SENT[-1],
        "turns_in_last_input": inputs[TURNS][1],
    }
    print(json.dumps(report))  # noqa: T201  (the measured figures, for the README)
    assert max(reserved) <= DEFAULT_CONTEXT_WINDOW, report
    assert max(reserved[9:]) <= min(reserved[9:]) * 1.1, report
    assert max(counted[9:]) <= min(counted[9:]) * 1.1, report

    # Every call ended with its own turn after a gapless run of the turns just before it;
    # at the last turn the model saw more turns than the run's input carried: the activity
    # loaded them from the chat.
    for turn, seen in enumerate(SENT, start=1):
        assert seen == list(range(turn - len(seen) + 1, turn + 1)), (turn, seen)
    assert len(SENT[-1]) > len(inputs[TURNS][1]) > 1, report


async def test_the_model_sees_its_own_branch_loaded_from_the_chat(
    platform: Platform,
    tenant: TenantAdmin,
    database_urls: DatabaseUrls,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Runs start with one earlier message: everything else the model sees was loaded
    # by the activity, walking the branch of the message being answered.
    monkeypatch.setattr(window, "RUN_WINDOW_MAX_MESSAGES", 1)
    register_script("long-chat-probe", _probe)
    catalog = {t.name: t for t in load_catalog()}
    definition = instantiate(catalog["plain_chat"], {"model": "scripted/long-chat-probe"})
    agent_id = await create_agent(database_urls.admin_url, tenant.tenant_id, definition)
    SENT.clear()

    async def turn(number: int, **body: Any) -> dict[str, Any]:
        response, frames = await stream_turn(
            platform.client, tenant.token, {"message": f"turn-{number:03d} hello", **body}
        )
        assert response.status_code == 200, response.text
        assert frames[-1]["data"]["status"] == "completed"  # type: ignore[index]
        return dict(response.headers)

    chat_id = (await turn(1, agent_id=agent_id))["x-chat-id"]
    await turn(2, chat_id=chat_id)
    await turn(3, chat_id=chat_id)
    history = await platform.client.get(
        "/api/v1/chat/history", params={"chat_id": chat_id}, headers=tenant.headers
    )
    first_reply = history.json()["messages"][1]
    assert first_reply["role"] == "assistant"
    # An edit after the first exchange branches off: turns 2 and 3 are not on its branch.
    await turn(4, chat_id=chat_id, parent_message_id=first_reply["id"])
    await turn(5, chat_id=chat_id)
    assert SENT == [[1], [1, 2], [1, 2, 3], [1, 4], [1, 4, 5]]
