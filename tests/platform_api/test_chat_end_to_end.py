"""The walking skeleton: login → chat completion over SSE → history, on real services."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from platform_core.models import ChatMessage, WorkflowExecution, WorkflowNodeExecution
from tests.helpers import Platform, parse_sse


async def test_chat_completion_streams_and_persists(platform: Platform, admin_token: str) -> None:
    headers = {"Authorization": f"Bearer {admin_token}"}
    response = await platform.client.post(
        "/api/v1/chat/completions",
        json={"agent": "Assistant", "message": "hello durable world"},
        headers=headers,
        timeout=60,
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    frames = parse_sse(response.text)
    events = [f["event"] for f in frames]
    assert events[0] == "thought"
    assert events[-1] == "done"
    assert "node_started" in events and "node_completed" in events
    # Every frame repeats its type inside data, and ids are increasing offsets.
    assert all(f["data"]["event"] == f["event"] for f in frames)  # type: ignore[index]
    offsets = [int(str(f["id"])) for f in frames]
    assert offsets == sorted(offsets) and len(set(offsets)) == len(offsets)

    deltas = "".join(
        str(f["data"]["content"])
        for f in frames
        if f["event"] == "message"  # type: ignore[index]
    )
    assert "hello durable world" in deltas
    done = frames[-1]["data"]
    assert done["status"] == "completed"  # type: ignore[index]
    assert done["answer"] == deltas  # type: ignore[index]
    chat_id = uuid.UUID(response.headers["X-Chat-Id"])
    execution_id = uuid.UUID(response.headers["X-Execution-Id"])

    history = await platform.client.get(
        "/api/v1/chat/history", params={"chat_id": str(chat_id)}, headers=headers
    )
    assert history.status_code == 200
    messages = history.json()["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant"]
    assert messages[0]["content"] == "hello durable world"
    assert messages[1]["content"] == deltas
    assert messages[1]["parent_message_id"] == messages[0]["id"]

    async with platform.db.tenant_session(platform.seeded.tenant_id) as session:
        execution = await session.get(WorkflowExecution, execution_id)
        nodes = (
            (
                await session.execute(
                    select(WorkflowNodeExecution).where(
                        WorkflowNodeExecution.execution_id == execution_id
                    )
                )
            )
            .scalars()
            .all()
        )
        stored = (
            (await session.execute(select(ChatMessage).where(ChatMessage.chat_id == chat_id)))
            .scalars()
            .all()
        )
    assert execution is not None
    assert execution.status == "completed"
    assert execution.completed_at is not None
    assert execution.final_result and execution.final_result["answer"] == deltas
    assert execution.tokens_consumed > 0
    llm_nodes = [n for n in nodes if n.node_type == "llm"]
    assert len(llm_nodes) == 1 and llm_nodes[0].status == "completed"
    assert llm_nodes[0].tokens_consumed and llm_nodes[0].duration_ms is not None
    assert {m.workflow_execution_id for m in stored} == {execution_id}

    # The second turn continues the same chat and sees the first exchange.
    second = await platform.client.post(
        "/api/v1/chat/completions",
        json={"chat_id": str(chat_id), "message": "and again"},
        headers=headers,
        timeout=60,
    )
    assert second.status_code == 200
    assert parse_sse(second.text)[-1]["data"]["status"] == "completed"  # type: ignore[index]
    history = await platform.client.get(
        "/api/v1/chat/history", params={"chat_id": str(chat_id)}, headers=headers
    )
    assert [m["role"] for m in history.json()["messages"]] == [
        "user",
        "assistant",
        "user",
        "assistant",
    ]


async def test_bad_chat_requests_are_4xx_problems(platform: Platform, admin_token: str) -> None:
    headers = {"Authorization": f"Bearer {admin_token}"}
    cases = [
        ({"agent": "No Such Agent", "message": "hi"}, 404),
        ({"agent_id": str(uuid.uuid4()), "message": "hi"}, 404),
        ({"chat_id": str(uuid.uuid4()), "message": "hi"}, 404),
        ({"agent": "Assistant", "message": ""}, 422),
        ({"agent": "Assistant", "message": "hi", "config": {"api_key": "x"}}, 422),
        ({"agent": "Assistant"}, 422),
    ]
    for body, status in cases:
        response = await platform.client.post(
            "/api/v1/chat/completions", json=body, headers=headers
        )
        assert response.status_code == status, (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    malformed = await platform.client.post(
        "/api/v1/chat/completions",
        content=b'{"agent": ',
        headers={**headers, "Content-Type": "application/json"},
    )
    assert malformed.status_code == 422
    unauthenticated = await platform.client.post(
        "/api/v1/chat/completions", json={"agent": "Assistant", "message": "hi"}
    )
    assert unauthenticated.status_code == 401


async def test_health_reports_database_and_temporal(platform: Platform) -> None:
    response = await platform.client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "up",
        "temporal": "up",
        "vector_store": "up",  # the test app holds the session's Qdrant, as `agentpaas dev` does
    }


async def test_regenerate_and_edit_make_branches(platform: Platform, admin_token: str) -> None:
    from tests.helpers import stream_turn

    first, _ = await stream_turn(
        platform.client, admin_token, {"agent": "Assistant", "message": "   \n  "}
    )
    assert first.status_code == 200  # whitespace-only text still opens a titled chat
    chat_id = first.headers["X-Chat-Id"]
    user_message = first.headers["X-Message-Id"]
    again, frames = await stream_turn(
        platform.client,
        admin_token,
        {"chat_id": chat_id, "regenerate_message_id": user_message},
    )
    assert frames[-1]["data"]["status"] == "completed"  # type: ignore[index]
    edited, _ = await stream_turn(
        platform.client,
        admin_token,
        {"chat_id": chat_id, "message": "edited question", "parent_message_id": None},
    )
    history = await platform.client.get(
        "/api/v1/chat/history",
        params={"chat_id": chat_id},
        headers={"Authorization": f"Bearer {admin_token}"},
    )
    messages = history.json()["messages"]
    replies = [m for m in messages if m["parent_message_id"] == user_message]
    assert len(replies) == 2 and all(m["role"] == "assistant" for m in replies)
    assert [m["role"] for m in messages].count("user") == 2
    bad = await platform.client.post(
        "/api/v1/chat/completions",
        json={"agent": "Assistant", "regenerate_message_id": user_message},
        headers={"Authorization": f"Bearer {admin_token}"},
    )
    assert bad.status_code == 422
