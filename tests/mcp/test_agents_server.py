"""The platform as an MCP server: fastmcp's own Client lists and runs published agents."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastmcp.exceptions import ToolError

from tests.helpers import Platform, approval_agent, create_agent, one_llm_node, serve
from tests.knowledge_helpers import new_tenant
from tests.mcp.mcp_helpers import auth, initialize_status, mcp_client, new_key


def _tool_for(tools: list[Any], agent_id: str) -> Any:
    return next(t for t in tools if (t.meta or {}).get("agent_id") == agent_id)


async def test_a_published_agent_is_listed_and_run_with_an_api_key(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    name = f"MCP Echo {uuid.uuid4().hex[:6]}"
    agent_id = await create_agent(
        database_urls.admin_url, platform.seeded.tenant_id, one_llm_node("scripted/echo"), name=name
    )
    key, _ = await new_key(platform, admin_token, ["agent:execute"])
    async with serve(platform, database_urls.app_url) as base:
        async with mcp_client(f"{base}/mcp/agents/", key) as client:
            tools = await client.list_tools()
            tool = _tool_for(tools, agent_id)
            assert tool.name == name.lower().replace(" ", "_")
            assert tool.title == name
            assert set(tool.inputSchema["properties"]) == {"message", "chat_id"}
            assert tool.inputSchema["required"] == ["message"]
            assert "Assistant" in {t.title for t in tools}  # the seeded agent too

            progress: list[tuple[float, str | None]] = []

            async def on_progress(value: float, total: float | None, message: str | None) -> None:
                progress.append((value, message))

            result = await client.call_tool(
                tool.name, {"message": "hello over mcp"}, progress_handler=on_progress
            )
        body = result.structured_content
        assert body is not None and body["status"] == "completed", body
        assert "hello over mcp" in body["answer"]
        assert "hello over mcp" in result.content[0].text
        assert progress and progress[-1][0] == 1 and "answer" in (progress[-1][1] or "")

        # The run is a real execution of this agent, outside any chat.
        detail = await platform.client.get(
            f"/api/v1/executions/{body['execution_id']}", headers=auth(admin_token)
        )
        assert detail.status_code == 200
        assert detail.json()["agent_id"] == agent_id and detail.json()["chat_id"] is None
        assert detail.json()["status"] == "completed"

        # Bad arguments never start a run.
        async with mcp_client(f"{base}/mcp/agents/", key) as client:
            with pytest.raises(ToolError):
                await client.call_tool(tool.name, {"message": ""})
            with pytest.raises(ToolError):
                await client.call_tool(tool.name, {"text": "wrong field"})


async def test_a_chat_is_continued_and_only_with_its_own_agent(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    tenant = platform.seeded.tenant_id
    agent_id = await create_agent(database_urls.admin_url, tenant, one_llm_node("scripted/echo"))
    other_id = await create_agent(database_urls.admin_url, tenant, one_llm_node("scripted/echo"))
    opened = await platform.client.post(
        "/api/v1/chats", json={"agent_id": agent_id}, headers=auth(admin_token)
    )
    assert opened.status_code == 201, opened.text
    chat_id = opened.json()["id"]
    key, _ = await new_key(platform, admin_token, ["agent:execute"])
    async with serve(platform, database_urls.app_url) as base:
        async with mcp_client(f"{base}/mcp/agents/", key) as client:
            tools = await client.list_tools()
            tool, other = _tool_for(tools, agent_id), _tool_for(tools, other_id)
            first = await client.call_tool(tool.name, {"message": "first", "chat_id": chat_id})
            second = await client.call_tool(tool.name, {"message": "second", "chat_id": chat_id})
            with pytest.raises(ToolError, match="chat not found"):
                await client.call_tool(other.name, {"message": "hijack", "chat_id": chat_id})
    assert first.structured_content and first.structured_content["chat_id"] == chat_id
    assert second.structured_content and "second" in second.structured_content["answer"]
    history = await platform.client.get(
        "/api/v1/chat/history", params={"chat_id": chat_id}, headers=auth(admin_token)
    )
    contents = [m["content"] for m in history.json()["messages"] if m["role"] == "user"]
    assert contents == ["first", "second"]


async def test_a_run_waiting_for_a_person_answers_at_once(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    agent_id = await create_agent(
        database_urls.admin_url, platform.seeded.tenant_id, approval_agent()
    )
    key, _ = await new_key(platform, admin_token, ["agent:execute"])
    async with serve(platform, database_urls.app_url) as base:
        async with mcp_client(f"{base}/mcp/agents/", key) as client:
            tool = _tool_for(await client.list_tools(), agent_id)
            result = await client.call_tool(tool.name, {"message": "ship it"})
    body = result.structured_content
    assert body is not None and body["status"] == "waiting_for_human", body
    assert body["waiting_for"]["node"] == "ask"
    assert result.content[0].text == (
        f"waiting for human review, execution id {body['execution_id']}"
    )
    cancelled = await platform.client.post(
        f"/api/v1/executions/{body['execution_id']}/cancel", headers=auth(admin_token)
    )
    assert cancelled.status_code == 202


async def test_the_endpoint_refuses_missing_revoked_and_unscoped_keys_and_other_tenants(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    agent_id = await create_agent(
        database_urls.admin_url, platform.seeded.tenant_id, one_llm_node("scripted/echo")
    )
    good, _ = await new_key(platform, admin_token, ["agent:execute"])
    unscoped, _ = await new_key(platform, admin_token, ["chat:read"])
    revoked, revoked_id = await new_key(platform, admin_token, ["agent:execute"])
    gone = await platform.client.delete(f"/api/v1/api-keys/{revoked_id}", headers=auth(admin_token))
    assert gone.status_code == 204
    _, foreign_token = await new_tenant(database_urls.admin_url, platform.client)
    foreign, _ = await new_key(platform, foreign_token, ["agent:execute"])

    async with serve(platform, database_urls.app_url) as base:
        url = f"{base}/mcp/agents/"
        assert await initialize_status(url, auth(good)) == 200
        assert await initialize_status(url, {}) == 401
        assert await initialize_status(url, auth(revoked)) == 401
        assert await initialize_status(url, auth(good[:-4] + "xxxx")) == 401
        assert await initialize_status(url, auth(admin_token)) == 401  # JWTs are not keys
        assert await initialize_status(url, auth(unscoped)) == 403

        for refused in (None, revoked, unscoped):
            with pytest.raises(Exception) as caught:
                async with mcp_client(url, refused) as client:
                    await client.list_tools()
            assert not isinstance(caught.value, AssertionError)

        async with mcp_client(url, good) as client:
            own = await client.list_tools()
        tool = _tool_for(own, agent_id)
        async with mcp_client(url, foreign) as client:
            theirs = await client.list_tools()
            assert agent_id not in {(t.meta or {}).get("agent_id") for t in theirs}
            assert {t.title for t in theirs}.isdisjoint({t.title for t in own})
            with pytest.raises(ToolError):
                await client.call_tool(tool.name, {"message": "not yours"})


def test_tool_names_are_safe_unique_and_independent_of_order() -> None:
    from platform_api.mcp.agents_server import tool_names
    from platform_core.models import Agent

    def agent(name: str) -> Agent:
        return Agent(id=uuid.uuid4(), tenant_id=uuid.uuid4(), name=name, developer_id=uuid.uuid4())

    agents = [
        agent(n) for n in ("Assistant", "研究助手", "Trip Planner", "trip planner!", "y" * 90)
    ]
    named = tool_names(agents)
    assert named["assistant"] is agents[0]
    assert named[f"agent_{agents[1].id.hex[:8]}"] is agents[1]  # nothing usable: the id
    assert named[f"trip_planner_{agents[2].id.hex[:8]}"] is agents[2]  # same slug: both get ids
    assert named[f"trip_planner_{agents[3].id.hex[:8]}"] is agents[3]
    assert all(len(n) <= 64 and n.replace("_", "").replace("-", "").isalnum() for n in named)
    assert tool_names(list(reversed(agents))) == named
