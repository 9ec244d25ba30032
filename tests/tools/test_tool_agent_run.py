"""The tool_agent template end to end against real fastmcp servers over HTTP."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import select

from platform_core.models import WorkflowNodeExecution
from tests.helpers import Platform, stream_turn
from tests.tools.mcp_server import RunningServer
from tests.tools.tool_helpers import auth, register, tool_agent, tool_user, tools_of


def _answer(frames: list[dict[str, Any]]) -> str:
    done = frames[-1]
    assert done["event"] == "done", frames
    assert done["data"]["status"] == "completed", done
    return "".join(str(f["data"]["content"]) for f in frames if f["event"] == "message")


async def _turn(platform: Platform, token: str, chat_id: str, text: str = "go") -> Any:
    response, frames = await stream_turn(
        platform.client, token, {"chat_id": chat_id, "message": text}
    )
    assert response.status_code == 200, response.text
    return response, frames


async def _server(platform: Platform, token: str, server_id: str) -> dict[str, Any]:
    response = await platform.client.get(f"/api/v1/tool-servers/{server_id}", headers=auth(token))
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_tool_agent_calls_the_versions_topic_server_and_counts_the_call(
    platform: Platform, admin_token: str, tool_server: RunningServer, demo_tools: RunningServer
) -> None:
    model = tool_user("add", {"a": 19, "b": 23})
    agent = await tool_agent(
        platform, admin_token, model=model.model, tools=["add"], tool_dependencies=["add"]
    )
    # The version's own topic server shadows the tenant's shared demo server.
    server = await register(
        platform, admin_token, tool_server.url, agent_version_id=agent.version_id
    )
    shared_before = demo_tools.calls["add"]

    _, frames = await _turn(platform, admin_token, agent.chat_id, "what is 19 + 23?")

    assert "Tool said: 42" in _answer(frames)
    assert tool_server.calls["add"] == 1
    assert demo_tools.calls["add"] == shared_before
    # The model was shown the registry's tool (its spec came from the server's schema).
    assert ["add"] in model.seen_tools
    stats = await _server(platform, admin_token, server["id"])
    assert stats["total_calls"] == 1 and stats["success_calls"] == 1
    assert float(stats["average_response_time"]) > 0

    _, frames = await _turn(platform, admin_token, agent.chat_id, "again")
    assert "Tool said: 42" in _answer(frames)
    stats = await _server(platform, admin_token, server["id"])
    assert stats["total_calls"] == 2 and stats["success_calls"] == 2


async def test_invalid_arguments_never_reach_the_server(
    platform: Platform, admin_token: str, tool_server: RunningServer
) -> None:
    model = tool_user("add", {"a": "nineteen", "b": 23})
    agent = await tool_agent(platform, admin_token, model=model.model, tools=["add"])
    server = await register(
        platform, admin_token, tool_server.url, agent_version_id=agent.version_id
    )

    _, frames = await _turn(platform, admin_token, agent.chat_id)

    answer = _answer(frames)
    assert "invalid arguments for tool 'add'" in answer and "/a" in answer
    assert tool_server.calls["add"] == 0
    stats = await _server(platform, admin_token, server["id"])
    assert stats["total_calls"] == 0


async def test_tool_errors_go_back_to_the_model_and_count_as_failed_calls(
    platform: Platform, admin_token: str, tool_server: RunningServer
) -> None:
    model = tool_user("fail", {"reason": "disk full"})
    agent = await tool_agent(platform, admin_token, model=model.model, tools=["fail"])
    server = await register(
        platform, admin_token, tool_server.url, agent_version_id=agent.version_id
    )

    _, frames = await _turn(platform, admin_token, agent.chat_id)

    assert "Tool said: Error: tool failed: disk full" in _answer(frames)
    assert tool_server.calls["fail"] == 1
    stats = await _server(platform, admin_token, server["id"])
    assert stats["total_calls"] == 1 and stats["success_calls"] == 0


async def test_progress_notifications_reach_the_event_stream(
    platform: Platform, admin_token: str, tool_server: RunningServer
) -> None:
    model = tool_user("slow", {"seconds": 0.6, "steps": 3})
    agent = await tool_agent(platform, admin_token, model=model.model, tools=["slow"])
    await register(platform, admin_token, tool_server.url, agent_version_id=agent.version_id)

    _, frames = await _turn(platform, admin_token, agent.chat_id)

    assert "Tool said: slept 0.6 s" in _answer(frames)
    progress = [f["data"] for f in frames if f["event"] == "tool_progress"]
    assert [(p["progress"], p["total"]) for p in progress] == [(1, 3), (2, 3), (3, 3)]
    assert {p["tool"] for p in progress} == {"slow"}
    assert progress[-1]["message"] == "step 3 of 3"


async def test_a_slow_tool_times_out_at_its_max_execution_time(
    platform: Platform, admin_token: str, tool_server: RunningServer
) -> None:
    model = tool_user("slow", {"seconds": 5, "steps": 1})
    agent = await tool_agent(platform, admin_token, model=model.model, tools=["slow"])
    server = await register(
        platform, admin_token, tool_server.url, agent_version_id=agent.version_id
    )
    slow = (await tools_of(platform, admin_token, server["id"]))["slow"]
    patched = await platform.client.patch(
        f"/api/v1/tools/{slow['id']}", json={"max_execution_time": 1}, headers=auth(admin_token)
    )
    assert patched.status_code == 200 and patched.json()["max_execution_time"] == 1
    # One attempt only: the model hears about the timeout instead of a retry.
    await _one_attempt_for_tools(platform, agent.version_id)

    _, frames = await _turn(platform, admin_token, agent.chat_id)

    assert "tool 'slow' timed out after 1 s" in _answer(frames)
    stats = await _server(platform, admin_token, server["id"])
    assert stats["total_calls"] == 1 and stats["success_calls"] == 0


async def test_results_are_size_limited_with_a_marker(
    platform: Platform, admin_token: str, tool_server: RunningServer
) -> None:
    model = tool_user("big", {"size": 200_000}, answer=lambda c: f"len={len(c)} end={c[-60:]}")
    agent = await tool_agent(platform, admin_token, model=model.model, tools=["big"])
    await register(platform, admin_token, tool_server.url, agent_version_id=agent.version_id)

    response, frames = await _turn(platform, admin_token, agent.chat_id)

    answer = _answer(frames)
    limit = platform.settings.tool_result_max_bytes
    assert f"[truncated: {limit} of 200000 bytes]" in answer
    execution_id = uuid.UUID(response.headers["X-Execution-Id"])
    async with platform.db.tenant_session(platform.seeded.tenant_id) as session:
        node = (
            await session.execute(
                select(WorkflowNodeExecution).where(
                    WorkflowNodeExecution.execution_id == execution_id,  # type: ignore[arg-type]
                    WorkflowNodeExecution.node_name == "tools",  # type: ignore[arg-type]
                )
            )
        ).scalar_one()
    content = node.output_state["messages"][0]["content"]
    assert content.startswith("x" * 100) and len(content.encode()) < limit + 100


async def test_tools_acting_for_the_user_need_a_revocable_grant(
    platform: Platform, admin_token: str, tool_server: RunningServer
) -> None:
    model = tool_user("send_email", {"to": "boss@example.org", "subject": "hi"})
    agent = await tool_agent(platform, admin_token, model=model.model, tools=["send_email"])
    server = await register(
        platform, admin_token, tool_server.url, agent_version_id=agent.version_id
    )
    email = (await tools_of(platform, admin_token, server["id"]))["send_email"]
    patched = await platform.client.patch(
        f"/api/v1/tools/{email['id']}",
        json={"acts_on_behalf_of_user": True},
        headers=auth(admin_token),
    )
    assert patched.status_code == 200 and patched.json()["acts_on_behalf_of_user"] is True

    _, frames = await _turn(platform, admin_token, agent.chat_id)
    assert "has not granted this agent" in _answer(frames)
    assert tool_server.calls["send_email"] == 0

    granted = await platform.client.post(
        "/api/v1/tool-grants",
        json={"agent_id": agent.agent_id, "tool_id": email["id"]},
        headers=auth(admin_token),
    )
    assert granted.status_code == 201, granted.text
    _, frames = await _turn(platform, admin_token, agent.chat_id)
    assert "Tool said: sent to boss@example.org" in _answer(frames)
    assert tool_server.calls["send_email"] == 1

    mine = await platform.client.get("/api/v1/tool-grants", headers=auth(admin_token))
    assert granted.json()["id"] in [g["id"] for g in mine.json()["items"]]
    revoked = await platform.client.delete(
        f"/api/v1/tool-grants/{granted.json()['id']}", headers=auth(admin_token)
    )
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    _, frames = await _turn(platform, admin_token, agent.chat_id)
    assert "has not granted this agent" in _answer(frames)
    assert tool_server.calls["send_email"] == 1


async def _one_attempt_for_tools(platform: Platform, version_id: str) -> None:
    """Give the version's tool node a single attempt (its plan is compiled with retries)."""
    from sqlalchemy import update

    from platform_core.models import AgentVersion

    async with platform.db.tenant_session(platform.seeded.tenant_id) as session:
        version = await session.get(AgentVersion, uuid.UUID(version_id))
        assert version is not None
        plan = json.loads(json.dumps(version.execution_plan))
        for node in plan["nodes"].values() if isinstance(plan["nodes"], dict) else plan["nodes"]:
            if node["name"] == "tools":
                node["retry"] = {**(node.get("retry") or {}), "max_attempts": 1}
        await session.execute(
            update(AgentVersion)
            .where(AgentVersion.id == version.id)  # type: ignore[arg-type]
            .values(execution_plan=plan)
        )
