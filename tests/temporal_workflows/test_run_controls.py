"""Run controls through the API: pause/resume, cancel, and retry from the failed node."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import select
from temporalio.client import WorkflowExecutionStatus, WorkflowFailureError

from activities.scripted_llm import ScriptedReply, register_script
from platform_core.models import (
    ChatMessage,
    HumanInterventionTask,
    WorkflowExecution,
    WorkflowNodeExecution,
)
from temporal_workflows.contracts import SA_STATUS, run_workflow_id
from tests.helpers import (
    Platform,
    approval_agent,
    create_agent,
    parse_sse,
    stream_turn,
    wait_for_open_task,
)

CALLS: Counter[str] = Counter()
BROKEN: set[str] = set()


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _counting(name: str, *, words: int = 3, delay: float = 0.0):  # type: ignore[no-untyped-def]
    def script(messages: list[dict[str, Any]], params: dict[str, Any]) -> ScriptedReply:
        CALLS[name] += 1
        if name in BROKEN:
            raise ConnectionError(f"{name} is down")
        return ScriptedReply(text=" ".join([name] * words), seconds_per_token=delay)

    register_script(name, script)
    return f"scripted/{name}"


def _chain(models: list[tuple[str, str]]) -> dict[str, Any]:
    names = [n for n, _ in models]
    return {
        "state": {"messages": {"reducer": "add_messages"}},
        "nodes": [
            {"name": n, "type": "llm", "config": {"model": m}, "retry": {"max_attempts": 1}}
            for n, m in models
        ],
        "edges": [
            {"source": "__start__", "target": names[0]},
            *({"source": a, "target": b} for a, b in zip(names, names[1:], strict=False)),
            {"source": names[-1], "target": "__end__"},
        ],
    }


async def _nodes(platform: Platform, execution_id: str) -> dict[str, str]:
    async with platform.db.tenant_session(platform.seeded.tenant_id) as session:
        rows = (
            await session.execute(
                select(WorkflowNodeExecution).where(
                    WorkflowNodeExecution.execution_id == uuid.UUID(execution_id)
                )
            )
        ).scalars()
        return {r.node_name: r.status for r in rows}


async def _status(platform: Platform, execution_id: str) -> str:
    async with platform.db.tenant_session(platform.seeded.tenant_id) as session:
        row = await session.get(WorkflowExecution, uuid.UUID(execution_id))
        assert row is not None
        return row.status


async def test_retry_reruns_only_the_failed_node_and_what_follows(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    tag = uuid.uuid4().hex[:6]
    first, second, third = f"first-{tag}", f"second-{tag}", f"third-{tag}"
    definition = _chain(
        [("first", _counting(first)), ("second", _counting(second)), ("third", _counting(third))]
    )
    agent_id = await create_agent(database_urls.admin_url, platform.seeded.tenant_id, definition)
    BROKEN.add(second)
    response, frames = await stream_turn(
        platform.client, admin_token, {"agent_id": agent_id, "message": "go"}
    )
    failed_id = response.headers["X-Execution-Id"]
    assert frames[-1]["data"]["status"] == "failed"  # type: ignore[index]
    assert await _nodes(platform, failed_id) == {"first": "completed", "second": "failed"}
    assert (CALLS[first], CALLS[second], CALLS[third]) == (1, 1, 0)

    BROKEN.discard(second)
    retried = await platform.client.post(
        f"/api/v1/executions/{failed_id}/retry", headers=_auth(admin_token)
    )
    assert retried.status_code == 201, retried.text
    new_id = retried.json()["execution_id"]
    assert retried.json()["reused_tasks"] == ["0:first:0"]
    events = await platform.client.get(
        f"/api/v1/executions/{new_id}/events", headers=_auth(admin_token), timeout=60
    )
    frames = parse_sse(events.text)
    assert frames[-1]["data"]["status"] == "completed"  # type: ignore[index]
    # The first node was not called again; the failed one and what follows ran.
    assert (CALLS[first], CALLS[second], CALLS[third]) == (1, 2, 1)
    assert await _nodes(platform, new_id) == {
        "first": "skipped",
        "second": "completed",
        "third": "completed",
    }
    assert frames[-1]["data"]["answer"] == " ".join([third] * 3)  # type: ignore[index]
    again = await platform.client.post(
        f"/api/v1/executions/{new_id}/retry", headers=_auth(admin_token)
    )
    assert again.status_code == 409


async def test_pause_finishes_the_step_and_resume_continues(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    tag = uuid.uuid4().hex[:6]
    slow_a, slow_b = f"slowa-{tag}", f"slowb-{tag}"
    definition = _chain(
        [("a", _counting(slow_a, words=10, delay=0.1)), ("b", _counting(slow_b, words=2))]
    )
    agent_id = await create_agent(database_urls.admin_url, platform.seeded.tenant_id, definition)
    turn = asyncio.create_task(
        stream_turn(platform.client, admin_token, {"agent_id": agent_id, "message": "go"})
    )
    execution_id = await _running_execution(platform, admin_token, agent_id)
    paused = await platform.client.post(
        f"/api/v1/executions/{execution_id}/pause", headers=_auth(admin_token)
    )
    assert paused.status_code == 202
    # Node a (about a second) finishes; b must not start while paused.
    for _ in range(100):
        progress = (
            await platform.client.get(
                f"/api/v1/executions/{execution_id}/progress", headers=_auth(admin_token)
            )
        ).json()
        if progress["nodes"].get("0:a:0") == "completed":
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.5)
    progress = (
        await platform.client.get(
            f"/api/v1/executions/{execution_id}/progress", headers=_auth(admin_token)
        )
    ).json()
    assert progress["paused"] is True
    assert progress["nodes"] == {"0:a:0": "completed"}
    assert CALLS[slow_b] == 0
    assert await _status(platform, execution_id) == "paused"

    resumed = await platform.client.post(
        f"/api/v1/executions/{execution_id}/resume", headers=_auth(admin_token)
    )
    assert resumed.status_code == 202
    response, frames = await turn
    events = [f["event"] for f in frames]
    assert "paused" in events and "resumed" in events
    assert frames[-1]["data"]["status"] == "completed"  # type: ignore[index]
    assert CALLS[slow_b] == 1


async def _running_execution(platform: Platform, token: str, agent_id: str) -> str:
    for _ in range(100):
        async with platform.db.tenant_session(platform.seeded.tenant_id) as session:
            row = (
                await session.execute(
                    select(WorkflowExecution).where(
                        WorkflowExecution.agent_id == uuid.UUID(agent_id)
                    )
                )
            ).scalar_one_or_none()
        if row is not None:
            return str(row.execution_id)
        await asyncio.sleep(0.05)
    raise AssertionError("the run did not start")


async def test_cancel_stops_the_run_and_closes_its_open_task(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    agent_id = await create_agent(
        database_urls.admin_url, platform.seeded.tenant_id, approval_agent()
    )
    turn = asyncio.create_task(
        stream_turn(platform.client, admin_token, {"agent_id": agent_id, "message": "risky"})
    )
    task = await wait_for_open_task(platform.client, admin_token, agent_id=agent_id)
    execution_id = str(task["execution_id"])
    cancelled = await platform.client.post(
        f"/api/v1/executions/{execution_id}/cancel", headers=_auth(admin_token)
    )
    assert cancelled.status_code == 202
    response, frames = await turn
    events = [f["event"] for f in frames]
    assert "cancelled" in events
    assert frames[-1]["data"]["status"] == "cancelled"  # type: ignore[index]
    assert await _status(platform, execution_id) == "cancelled"
    async with platform.db.tenant_session(platform.seeded.tenant_id) as session:
        row = await session.get(HumanInterventionTask, uuid.UUID(str(task["task_id"])))
    assert row is not None and row.status == "cancelled"
    handle = platform.temporal.get_workflow_handle(run_workflow_id(execution_id))
    # `done` commits with the run's records; the workflow closes just after.
    with pytest.raises(WorkflowFailureError):
        await handle.result()
    description = await handle.describe()
    assert description.status == WorkflowExecutionStatus.CANCELED
    again = await platform.client.post(
        f"/api/v1/executions/{execution_id}/cancel", headers=_auth(admin_token)
    )
    assert again.status_code == 409


async def test_retry_after_a_failed_deadline_asks_the_reviewer_again(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    agent_id = await create_agent(
        database_urls.admin_url,
        platform.seeded.tenant_id,
        approval_agent({"after_seconds": 1, "policy": "fail"}),
    )
    response, frames = await stream_turn(
        platform.client, admin_token, {"agent_id": agent_id, "message": "too slow"}
    )
    failed_id = response.headers["X-Execution-Id"]
    assert frames[-1]["data"]["status"] == "failed"  # type: ignore[index]
    assert await _nodes(platform, failed_id) == {"ask": "failed"}

    retried = await platform.client.post(
        f"/api/v1/executions/{failed_id}/retry", headers=_auth(admin_token)
    )
    assert retried.status_code == 201 and retried.json()["reused_tasks"] == []
    new_id = retried.json()["execution_id"]
    task = await wait_for_open_task(platform.client, admin_token, execution_id=new_id)
    assert task["node_name"] == "ask"
    await platform.client.post(f"/api/v1/executions/{new_id}/cancel", headers=_auth(admin_token))
    # Leave nothing half-open for the next test: wait until the run has wound down.
    for _ in range(100):
        if await _status(platform, new_id) == "cancelled":
            break
        await asyncio.sleep(0.1)
    assert await _status(platform, new_id) == "cancelled"


async def test_a_run_stopped_mid_answer_shows_its_node_cancelled_not_failed(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    slow = f"slow-{uuid.uuid4().hex[:6]}"
    definition = _chain([("answer", _counting(slow, words=400, delay=0.02))])
    agent_id = await create_agent(database_urls.admin_url, platform.seeded.tenant_id, definition)
    started = await platform.client.post(
        f"/api/v1/agents/{agent_id}/execute",
        json={"input": {"messages": [{"role": "user", "content": "take your time"}]}},
        headers=_auth(admin_token),
    )
    assert started.status_code == 202, started.text
    execution_id = str(started.json()["execution_id"])
    for _ in range(200):  # until the model streams
        if (await _nodes(platform, execution_id)).get("answer") == "running":
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)
    cancelled = await platform.client.post(
        f"/api/v1/executions/{execution_id}/cancel", headers=_auth(admin_token)
    )
    assert cancelled.status_code == 202
    for _ in range(200):
        if await _status(platform, execution_id) == "cancelled":
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(1.0)  # the activity's own last record lands after the run's
    assert await _status(platform, execution_id) == "cancelled"
    assert await _nodes(platform, execution_id) == {"answer": "cancelled"}


SEEN: dict[str, list[str]] = {}


def _seeing(name: str):  # type: ignore[no-untyped-def]
    """A scripted model that notes the last message it was given."""

    def script(messages: list[dict[str, Any]], params: dict[str, Any]) -> ScriptedReply:
        CALLS[name] += 1
        SEEN.setdefault(name, []).append(str(messages[-1]["content"]))
        return ScriptedReply(text=f"{name} answers")

    register_script(name, script)
    return f"scripted/{name}"


async def test_run_again_from_a_node_reuses_what_came_before_and_branches_the_chat(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    tag = uuid.uuid4().hex[:6]
    first, second, third = f"first-{tag}", f"second-{tag}", f"third-{tag}"
    definition = _chain(
        [("first", _seeing(first)), ("second", _seeing(second)), ("third", _seeing(third))]
    )
    definition["state"]["attempts"] = {"type": "integer", "default": 0}
    agent_id = await create_agent(database_urls.admin_url, platform.seeded.tenant_id, definition)
    response, frames = await stream_turn(
        platform.client, admin_token, {"agent_id": agent_id, "message": "go"}
    )
    done_id = response.headers["X-Execution-Id"]
    assert frames[-1]["data"]["status"] == "completed"  # type: ignore[index]

    async def rerun(execution_id: str, body: dict[str, Any]) -> Any:
        return await platform.client.post(
            f"/api/v1/executions/{execution_id}/rerun", json=body, headers=_auth(admin_token)
        )

    async def finished(execution_id: str) -> list[dict[str, Any]]:
        events = await platform.client.get(
            f"/api/v1/executions/{execution_id}/events", headers=_auth(admin_token), timeout=60
        )
        return parse_sse(events.text)  # type: ignore[return-value]

    again = await rerun(done_id, {"task_id": "1:second:0"})
    assert again.status_code == 201, again.text
    assert again.json()["reused_tasks"] == ["0:first:0"]
    assert again.json()["rerun_of"] == done_id
    new_id = again.json()["execution_id"]
    assert (await finished(new_id))[-1]["data"]["status"] == "completed"
    # The first node was not called again; the chosen one and what follows ran anew.
    assert (CALLS[first], CALLS[second], CALLS[third]) == (1, 2, 2)
    assert await _nodes(platform, new_id) == {
        "first": "skipped",
        "second": "completed",
        "third": "completed",
    }

    edited = await rerun(
        done_id,
        {"task_id": "1:second:0", "state": {"messages": [{"role": "user", "content": "edited"}]}},
    )
    assert edited.status_code == 201, edited.text
    assert (await finished(edited.json()["execution_id"]))[-1]["data"]["status"] == "completed"
    assert SEEN[second] == [f"{first} answers", f"{first} answers", "edited"]
    assert CALLS[first] == 1

    # In the chat, each run again is a new answer to the same turn: a branch.
    async with platform.db.tenant_session(platform.seeded.tenant_id) as session:
        original = await session.get(WorkflowExecution, uuid.UUID(done_id))
        assert original is not None
        replies = (
            (
                await session.execute(
                    select(ChatMessage).where(
                        ChatMessage.parent_message_id == original.message_id,  # type: ignore[arg-type]
                        ChatMessage.role == "assistant",  # type: ignore[arg-type]
                    )
                )
            )
            .scalars()
            .all()
        )
    assert len(replies) == 3

    unknown_key = await rerun(done_id, {"task_id": "1:second:0", "state": {"nope": 1}})
    wrong_type = await rerun(done_id, {"task_id": "1:second:0", "state": {"attempts": "many"}})
    for refused, path in ((unknown_key, "/body/state/nope"), (wrong_type, "/body/state/attempts")):
        assert refused.status_code == 422, refused.text
        assert [e["path"] for e in refused.json()["errors"]] == [path]
    missing = await rerun(done_id, {"task_id": "9:nowhere:0"})
    assert missing.status_code == 404
    assert CALLS[first] == 1  # nothing refused started a run


async def test_run_status_says_waiting_while_a_person_is_asked(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    """Operators find runs that wait for a person by RunStatus in the Temporal UI."""
    agent_id = await create_agent(
        database_urls.admin_url, platform.seeded.tenant_id, approval_agent()
    )
    turn = asyncio.create_task(
        stream_turn(platform.client, admin_token, {"agent_id": agent_id, "message": "ship?"})
    )
    task = await wait_for_open_task(platform.client, admin_token, agent_id=agent_id)
    handle = platform.temporal.get_workflow_handle(run_workflow_id(str(task["execution_id"])))

    async def shown() -> str | None:
        description = await handle.describe()
        return description.typed_search_attributes.get(SA_STATUS)

    assert await shown() == "waiting"
    paused = await platform.client.post(
        f"/api/v1/executions/{task['execution_id']}/pause", headers=_auth(admin_token)
    )
    assert paused.status_code == 202
    for _ in range(50):
        if await shown() == "paused":
            break
        await asyncio.sleep(0.1)
    assert await shown() == "paused"
    await platform.client.post(
        f"/api/v1/executions/{task['execution_id']}/resume", headers=_auth(admin_token)
    )
    for _ in range(50):
        if await shown() == "waiting":
            break
        await asyncio.sleep(0.1)
    assert await shown() == "waiting"
    answered = await platform.client.post(
        f"/api/v1/reviews/tasks/{task['task_id']}/complete",
        json={"input": {"approved": True}},
        headers=_auth(admin_token),
    )
    assert answered.status_code == 200, answered.text
    await turn
    await handle.result()
    assert await shown() == "completed"
