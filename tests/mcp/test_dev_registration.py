"""``agentpaas dev`` registers the bundled tool server for the demo tenant, key and all."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import col, select

from agentpaas import bundled_tools as dev_registration
from agentpaas.runtime.ports import free_port
from platform_core.models import ApiKey, MCPTool, MCPTopicServer
from tests.helpers import Platform, serve, stream_turn
from tests.knowledge_helpers import new_tenant
from tests.mcp.mcp_helpers import auth, calculator_user, tool_agent_chat


async def _registry(platform: Platform, tenant_id: Any) -> tuple[MCPTopicServer, list[MCPTool]]:
    async with platform.db.tenant_session(tenant_id) as session:
        server = (
            await session.execute(
                select(MCPTopicServer).where(
                    col(MCPTopicServer.server_id) == dev_registration.SERVER_ID
                )
            )
        ).scalar_one()
        tools = list(
            (
                await session.execute(
                    select(MCPTool).where(col(MCPTool.topic_server_id) == server.id)
                )
            ).scalars()
        )
    return server, tools


async def _keys(platform: Platform, tenant_id: Any) -> list[ApiKey]:
    async with platform.db.tenant_session(tenant_id) as session:
        rows = await session.execute(
            select(ApiKey).where(col(ApiKey.name) == dev_registration.KEY_NAME)
        )
        return list(rows.scalars())


async def test_dev_registers_discovers_and_repairs_the_bundled_tools(
    platform: Platform, database_urls: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(dev_registration.ALLOW_LIST_ENV, "")  # restored after the test
    tenant_id, admin_token = await new_tenant(database_urls.admin_url, platform.client)
    me = await platform.client.get("/api/auth/me", headers=auth(admin_token))
    port = free_port()
    settings = platform.settings.model_copy(
        update={
            "environment": "development",
            "api_port": port,
            "demo_admin_email": me.json()["email"],
            "outbound_allow_list": [],
        }
    )
    # Outside development nothing is registered (and loopback stays refused).
    assert not await dev_registration.prepare_bundled_tools(
        admin_url=database_urls.admin_url, settings=platform.settings, tenant_id=tenant_id
    )
    assert await dev_registration.prepare_bundled_tools(
        admin_url=database_urls.admin_url, settings=settings, tenant_id=tenant_id
    )
    # Only the API's own loopback port is allow-listed, for the API and the worker alike.
    assert settings.outbound_allow_list == [f"127.0.0.1:{port}"]
    server, tools = await _registry(platform, tenant_id)
    assert server.endpoint_url == f"http://127.0.0.1:{port}/mcp/tools/"
    assert server.credentials and server.credentials_hint and tools == []
    [key] = await _keys(platform, tenant_id)
    assert key.scopes == ["tools:call"] and key.revoked_at is None

    async with serve(platform, database_urls.app_url, settings, port=port):
        await dev_registration.discover_when_serving(
            admin_url=database_urls.admin_url,
            settings=settings,
            tenant_id=tenant_id,
            is_serving=lambda: True,
        )
        server, tools = await _registry(platform, tenant_id)
        assert server.status == "active" and server.last_error is None, server.last_error
        assert sorted(t.name for t in tools) == [
            "calculator",
            "current_time",
            "http_get",
            "search_knowledge",
        ]
        calculator = next(t for t in tools if t.name == "calculator")
        assert calculator.manifest["input_schema"]["required"] == ["expression"]

        # A second start reuses the working key...
        assert await dev_registration.prepare_bundled_tools(
            admin_url=database_urls.admin_url, settings=settings, tenant_id=tenant_id
        )
        assert [k.id for k in await _keys(platform, tenant_id)] == [key.id]
        # ...and replaces a revoked one, so discovery keeps working.
        revoked = await platform.client.delete(
            f"/api/v1/api-keys/{key.id}", headers=auth(admin_token)
        )
        assert revoked.status_code == 204
        assert await dev_registration.prepare_bundled_tools(
            admin_url=database_urls.admin_url, settings=settings, tenant_id=tenant_id
        )
        keys = await _keys(platform, tenant_id)
        assert len(keys) == 2 and sum(k.revoked_at is None for k in keys) == 1
        await dev_registration.discover_when_serving(
            admin_url=database_urls.admin_url,
            settings=settings,
            tenant_id=tenant_id,
            is_serving=lambda: True,
        )
        server, tools = await _registry(platform, tenant_id)
        assert server.status == "active" and len(tools) == 4


async def test_the_tool_agent_template_calls_the_bundled_tools(
    platform: Platform, database_urls: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(dev_registration.ALLOW_LIST_ENV, "")  # restored after the test
    tenant_id, admin_token = await new_tenant(database_urls.admin_url, platform.client)
    me = await platform.client.get("/api/auth/me", headers=auth(admin_token))
    port = free_port()
    settings = platform.settings.model_copy(
        update={
            "environment": "development",
            "api_port": port,
            "demo_admin_email": me.json()["email"],
            "outbound_allow_list": [],
        }
    )
    assert await dev_registration.prepare_bundled_tools(
        admin_url=database_urls.admin_url, settings=settings, tenant_id=tenant_id
    )
    async with serve(platform, database_urls.app_url, settings, port=port):
        await dev_registration.discover_when_serving(
            admin_url=database_urls.admin_url,
            settings=settings,
            tenant_id=tenant_id,
            is_serving=lambda: True,
        )
        model, offered = calculator_user("6 * 7 + 2 ** 3")
        chat_id = await tool_agent_chat(platform, admin_token, model, ["calculator"])
        response, frames = await stream_turn(
            platform.client, admin_token, {"chat_id": chat_id, "message": "6*7+2**3?"}
        )
    assert response.status_code == 200, response.text
    assert frames[-1]["event"] == "done", frames
    assert frames[-1]["data"]["status"] == "completed", frames[-1]  # type: ignore[index]
    answer = "".join(
        str(f["data"]["content"])  # type: ignore[index]
        for f in frames
        if f["event"] == "message"
    )
    assert "Tool said:" in answer and "50" in answer, answer
    assert ["calculator"] in offered
    server, _ = await _registry(platform, tenant_id)
    assert server.total_calls == 1 and server.success_calls == 1
