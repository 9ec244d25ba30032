"""The registry API: discovery, health, credentials, search, dependencies, tenant isolation."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from agentpaas.runtime.postgres import DatabaseUrls
from platform_core.models import MCPTopicServer
from tests.helpers import Platform, create_agent, stream_turn
from tests.llm_helpers import create_tenant
from tests.tools.mcp_server import RunningServer, running_tool_server
from tests.tools.tool_helpers import auth, register, tools_of


async def test_discovery_records_schemas_versions_and_tags_and_deactivates_vanished_tools(
    platform: Platform, admin_token: str, tool_server: RunningServer
) -> None:
    server = await register(platform, admin_token, tool_server.url)
    assert server["status"] == "active" and server["tool_count"] == 6
    assert server["last_health_check"] is not None
    tools = await tools_of(platform, admin_token, server["id"])
    assert set(tools) == {"add", "web_search", "send_email", "slow", "big", "fail"}
    add = tools["add"]
    assert add["version"] == "2.1.0" and add["tags"] == ["math"]
    assert add["description"] == "Add two integers."
    schema = add["manifest"]["input_schema"]
    assert schema["required"] == ["a", "b"] and schema["properties"]["a"]["type"] == "integer"

    found = await platform.client.get(
        "/api/v1/tools", params={"q": "integers", "tag": "math"}, headers=auth(admin_token)
    )
    assert add["id"] in [t["id"] for t in found.json()["items"]]

    assert tool_server.mcp is not None
    tool_server.mcp.local_provider.remove_tool("big")
    again = await platform.client.post(
        f"/api/v1/tool-servers/{server['id']}/discover", headers=auth(admin_token)
    )
    assert again.status_code == 200, again.text
    assert again.json()["deactivated"] == ["big"] and again.json()["added"] == []
    assert again.json()["server"]["tool_count"] == 5
    assert (await tools_of(platform, admin_token, server["id"]))["big"]["status"] == "inactive"


async def test_health_checks_record_status_and_time(platform: Platform, admin_token: str) -> None:
    async with running_tool_server("short-lived") as short_lived:
        server = await register(platform, admin_token, short_lived.url)
        healthy = await platform.client.post(
            f"/api/v1/tool-servers/{server['id']}/health", headers=auth(admin_token)
        )
        assert healthy.json()["status"] == "active", healthy.json()
        assert healthy.json()["last_error"] is None
        first_check = healthy.json()["last_health_check"]
    down = await platform.client.post(
        f"/api/v1/tool-servers/{server['id']}/health", headers=auth(admin_token)
    )
    assert down.status_code == 200
    assert down.json()["status"] == "error" and down.json()["last_error"]
    assert down.json()["last_health_check"] > first_check


async def test_bearer_credentials_are_sealed_used_and_never_returned(
    platform: Platform, admin_token: str
) -> None:
    token = "mcp-bearer-" + uuid.uuid4().hex
    async with running_tool_server("guarded", token=token) as guarded:
        without = await register(platform, admin_token, guarded.url)
        assert without["status"] == "error" and without["tool_count"] == 0
        with_token = await register(platform, admin_token, guarded.url, credential=token)
        assert with_token["status"] == "active" and with_token["tool_count"] == 6
        assert with_token["credentials_hint"] and token not in str(with_token)
        fetched = await platform.client.get(
            f"/api/v1/tool-servers/{with_token['id']}", headers=auth(admin_token)
        )
        assert token not in fetched.text
        async with platform.db.tenant_session(platform.seeded.tenant_id) as session:
            row = (
                await session.execute(
                    select(MCPTopicServer).where(
                        MCPTopicServer.id == uuid.UUID(with_token["id"])  # type: ignore[arg-type]
                    )
                )
            ).scalar_one()
        assert row.credentials and token not in row.credentials
        # Clearing the credential makes the server refuse us again.
        cleared = await platform.client.patch(
            f"/api/v1/tool-servers/{with_token['id']}",
            json={"clear_credential": True},
            headers=auth(admin_token),
        )
        assert cleared.json()["credentials_hint"] is None
        health = await platform.client.post(
            f"/api/v1/tool-servers/{with_token['id']}/health", headers=auth(admin_token)
        )
        assert health.json()["status"] == "error"


async def test_bad_input_is_a_problem_and_nothing_is_written(
    platform: Platform, admin_token: str, tool_server: RunningServer
) -> None:
    headers = auth(admin_token)
    server_id = f"dup-{uuid.uuid4().hex[:6]}"
    await register(platform, admin_token, tool_server.url, server_id=server_id)
    duplicate = await platform.client.post(
        "/api/v1/tool-servers",
        json={"server_id": server_id, "name": "again", "endpoint_url": tool_server.url},
        headers=headers,
    )
    assert duplicate.status_code == 409
    for body in (
        {"server_id": "x y", "name": "n", "endpoint_url": tool_server.url},
        {"server_id": "ok", "name": "n", "endpoint_url": "http://u:p@127.0.0.1/mcp"},
        {"server_id": "ok", "name": "n", "endpoint_url": tool_server.url, "credential": " "},
        {
            "server_id": "ok",
            "name": "n",
            "endpoint_url": tool_server.url,
            "agent_version_id": str(uuid.uuid4()),
        },
    ):
        refused = await platform.client.post("/api/v1/tool-servers", json=body, headers=headers)
        assert refused.status_code == 422, refused.text
        assert refused.json()["errors"]
    bad_patch = await platform.client.patch(
        f"/api/v1/tools/{uuid.uuid4()}", json={"max_execution_time": 0}, headers=headers
    )
    assert bad_patch.status_code == 422
    unauthenticated = await platform.client.get("/api/v1/tool-servers")
    assert unauthenticated.status_code == 401


async def test_tool_dependencies_are_checked_against_the_registry(
    platform: Platform, admin_token: str, demo_tools: RunningServer
) -> None:
    headers = auth(admin_token)
    agent = await platform.client.post(
        "/api/v1/developer/agents", json={"name": f"deps {uuid.uuid4().hex[:6]}"}, headers=headers
    )
    agent_id = agent.json()["id"]
    unknown = await platform.client.post(
        f"/api/v1/developer/agents/{agent_id}/versions",
        json={
            "version": "1.0.0",
            "template_name": "plain_chat",
            "tool_dependencies": ["add", "no_such_tool", "nowhere/add"],
        },
        headers=headers,
    )
    assert unknown.status_code == 422, unknown.text
    paths = [e["path"] for e in unknown.json()["errors"]]
    assert paths == ["/body/tool_dependencies/1", "/body/tool_dependencies/2"]
    known = await platform.client.post(
        f"/api/v1/developer/agents/{agent_id}/versions",
        json={
            "version": "1.0.0",
            "template_name": "plain_chat",
            "tool_dependencies": ["add", "demo-tools/web_search"],
        },
        headers=headers,
    )
    assert known.status_code == 201, known.text


async def test_other_tenants_never_see_or_use_these_tools(
    platform: Platform,
    admin_token: str,
    database_urls: DatabaseUrls,
    tool_server: RunningServer,
) -> None:
    server = await register(platform, admin_token, tool_server.url)
    add = (await tools_of(platform, admin_token, server["id"]))["add"]
    other = await create_tenant(platform, database_urls.admin_url)
    client = platform.client
    for path in (f"/api/v1/tool-servers/{server['id']}", f"/api/v1/tools/{add['id']}"):
        assert (await client.get(path, headers=other.headers)).status_code == 404
    for path, body in (
        (f"/api/v1/tool-servers/{server['id']}", {"name": "mine now"}),
        (f"/api/v1/tools/{add['id']}", {"status": "inactive"}),
    ):
        assert (await client.patch(path, json=body, headers=other.headers)).status_code == 404
    for path in (
        f"/api/v1/tool-servers/{server['id']}/discover",
        f"/api/v1/tool-servers/{server['id']}/health",
    ):
        assert (await client.post(path, headers=other.headers)).status_code == 404
    deleted = await client.delete(f"/api/v1/tool-servers/{server['id']}", headers=other.headers)
    assert deleted.status_code == 404
    listed = await client.get("/api/v1/tools", params={"limit": 200}, headers=other.headers)
    assert listed.json()["items"] == []
    servers = await client.get("/api/v1/tool-servers", headers=other.headers)
    assert servers.json()["items"] == []
    other_agent = await create_agent(
        database_urls.admin_url,
        other.tenant_id,
        {
            "state": {"messages": {"reducer": "add_messages"}},
            "nodes": [{"name": "answer", "type": "llm", "config": {"tools": ["add"]}}],
            "edges": [
                {"source": "__start__", "target": "answer"},
                {"source": "answer", "target": "__end__"},
            ],
        },
    )
    grant = await client.post(
        "/api/v1/tool-grants",
        json={"agent_id": other_agent, "tool_id": add["id"]},
        headers=other.headers,
    )
    assert grant.status_code == 404
    # A run of the other tenant resolves tools in its own registry only: "add" is unknown.
    response, frames = await stream_turn(
        client, other.token, {"agent_id": other_agent, "message": "add 1 and 2"}
    )
    assert response.status_code == 200, response.text
    done = frames[-1]["data"]
    assert done["status"] == "failed", frames  # type: ignore[index]
    assert "unknown tools ['add']" in str(frames)
    assert tool_server.calls["add"] == 0
