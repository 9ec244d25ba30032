"""The tool store over the API, on real Temporal and real fastmcp servers.

Each test installs into a fresh tenant of its own, from a catalogue of its own that
points at the in-process test tools.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from agentpaas.runtime.postgres import DatabaseUrls
from platform_core.models import MCPTopicServer, ToolInstallation
from tests.helpers import Platform, create_agent, stream_turn
from tests.llm_helpers import TenantAdmin, create_tenant
from tests.tools.mcp_server import running_tool_server

ENTRY = "store-test-tools"
STORE = "/api/v1/tool-store"


@pytest.fixture
def store_catalog(platform: Platform, tmp_path: Path) -> Iterator[Path]:
    """This test's catalogue: one entry for the test tools at http://{host}/mcp."""
    path = tmp_path / "tool-catalog.json"
    entry = {
        "id": ENTRY,
        "name": {"zh-CN": "测试工具", "en": "Test tools"},
        "description": {"zh-CN": "加法与搜索", "en": "Addition and search"},
        "url_template": "http://{host}/mcp",
        "parameters": [{"name": "host", "kind": "host", "label": {"zh-CN": "主机", "en": "Host"}}],
        "credentials": [
            {"name": "token", "label": {"zh-CN": "令牌", "en": "Token"}, "required": False}
        ],
        "tags": ["math", "search"],
    }
    path.write_text(json.dumps({"entries": [entry]}), encoding="utf-8")
    before = platform.settings.tool_catalog_path
    platform.settings.tool_catalog_path = path
    yield path
    platform.settings.tool_catalog_path = before


def _host(url: str) -> str:
    return url.removeprefix("http://").removesuffix("/mcp")


def _direct_add() -> dict[str, Any]:
    """An agent whose one node calls the installed server's `add` (pinned to it)."""
    return {
        "state": {"messages": {"reducer": "add_messages"}, "result": {}},
        "nodes": [
            {
                "name": "call",
                "type": "tool",
                "config": {
                    "mode": "direct",
                    "server": ENTRY,
                    "tool": "add",
                    "arguments": {"a": "20", "b": "22"},
                    "output_key": "result",
                },
            }
        ],
        "edges": [
            {"source": "__start__", "target": "call"},
            {"source": "call", "target": "__end__"},
        ],
        "output": "result",
    }


async def _install(platform: Platform, admin: TenantAdmin, host: str, **body: Any) -> Any:
    return await platform.client.post(
        f"{STORE}/entries/{ENTRY}/install",
        json={"parameters": {"host": host}, **body},
        headers=admin.headers,
        timeout=120,
    )


async def test_install_registers_discovers_and_grants_and_an_agent_calls_the_tool(
    platform: Platform, database_urls: DatabaseUrls, store_catalog: Path
) -> None:
    admin = await create_tenant(platform, database_urls.admin_url)
    listed = await platform.client.get(
        f"{STORE}/entries", params={"installed": "false"}, headers=admin.headers
    )
    assert listed.status_code == 200, listed.text
    assert [e["id"] for e in listed.json()["items"]] == ["agentpaas-tools", ENTRY]
    token = "store-" + uuid.uuid4().hex
    async with running_tool_server("store-tools", token=token) as server:
        installed = await _install(platform, admin, _host(server.url), credentials={"token": token})
        assert installed.status_code == 201, installed.text
        body = installed.json()
        assert body["installed"] is True and token not in installed.text
        installation = body["installation"]
        assert installation["server"]["status"] == "active", installation["server"]
        assert installation["server"]["endpoint_url"] == server.url
        assert installation["server"]["credentials_hint"]
        assert {t["name"] for t in installation["tools"]} >= {"add", "web_search"}
        assert installation["granted_roles"] == ["admin", "developer"]
        assert installation["parameters"] == {"host": _host(server.url)}

        agent_id = await create_agent(database_urls.admin_url, admin.tenant_id, _direct_add())
        _, frames = await stream_turn(
            platform.client, admin.token, {"agent_id": agent_id, "message": "add"}
        )
        assert frames[-1]["data"]["status"] == "completed", frames  # type: ignore[index]
        assert server.calls["add"] == 1  # the call reached the installed server, with the token

    async with platform.db.tenant_session(admin.tenant_id) as session:
        rows = (await session.execute(select(ToolInstallation))).scalars().all()
    assert [(r.entry_id, str(r.tool_server_id)) for r in rows] == [
        (ENTRY, installation["server"]["id"])
    ]
    mine = await platform.client.get(f"{STORE}/installations", headers=admin.headers)
    assert [i["entry_id"] for i in mine.json()["items"]] == [ENTRY]
    for params, ids in (
        ({"installed": "true"}, [ENTRY]),
        ({"q": "ADDITION"}, [ENTRY]),
        ({"q": "加法"}, [ENTRY]),
        ({"tag": "search"}, [ENTRY]),
        ({"tag": "nope"}, []),
    ):
        found = await platform.client.get(f"{STORE}/entries", params=params, headers=admin.headers)
        assert [e["id"] for e in found.json()["items"]] == ids, params
    again = await _install(platform, admin, "127.0.0.1:1")
    assert again.status_code == 409


async def test_install_checks_parameters_credentials_roles_and_the_outbound_policy(
    platform: Platform, database_urls: DatabaseUrls, store_catalog: Path
) -> None:
    admin = await create_tenant(platform, database_urls.admin_url)
    cases = [
        ({"parameters": {"host": "127.0.0.1:1/evil"}}, "/body/parameters/host"),
        ({"parameters": {}}, "/body/parameters/host"),
        ({"parameters": {"host": "a.org", "port": "1"}}, "/body/parameters/port"),
        ({"parameters": {"host": "a.org"}, "credentials": {"other": "x"}}, "/body/credentials"),
        ({"parameters": {"host": "a.org"}, "granted_roles": ["root"]}, "/body/granted_roles"),
        # The rendered URL goes through the SSRF rules: link-local metadata is refused.
        ({"parameters": {"host": "169.254.169.254"}}, "/body/parameters"),
        ({"parameters": {"host": "10.0.0.7:8080"}}, "/body/parameters"),
    ]
    for body, path in cases:
        response = await platform.client.post(
            f"{STORE}/entries/{ENTRY}/install", json=body, headers=admin.headers
        )
        assert response.status_code == 422, (body, response.text)
        assert any(e["path"].startswith(path) for e in response.json()["errors"]), response.json()
    refused = await platform.client.post(
        f"{STORE}/entries/{ENTRY}/install",
        json={"parameters": {"host": "169.254.169.254"}},
        headers=admin.headers,
    )
    assert "endpoint refused" in refused.json()["detail"]
    async with platform.db.tenant_session(admin.tenant_id) as session:
        assert (await session.execute(select(MCPTopicServer))).first() is None
    missing = await platform.client.get(f"{STORE}/entries/no-such-entry", headers=admin.headers)
    assert missing.status_code == 404


async def test_uninstall_refuses_while_a_published_version_uses_the_tools_unless_forced(
    platform: Platform, database_urls: DatabaseUrls, store_catalog: Path
) -> None:
    admin = await create_tenant(platform, database_urls.admin_url)
    async with running_tool_server("store-uninstall") as server:
        installed = await _install(platform, admin, _host(server.url), granted_roles=["admin"])
        assert installed.status_code == 201, installed.text
        assert installed.json()["installation"]["granted_roles"] == ["admin"]
        agent_id = await create_agent(
            database_urls.admin_url, admin.tenant_id, _direct_add(), name="Adder"
        )
        refused = await platform.client.delete(
            f"{STORE}/entries/{ENTRY}/install", headers=admin.headers
        )
        assert refused.status_code == 409, refused.text
        (use,) = refused.json()["errors"]
        assert (use["agent_id"], use["agent_name"], use["tools"]) == (agent_id, "Adder", ["add"])
        still = await platform.client.get(f"{STORE}/entries/{ENTRY}", headers=admin.headers)
        assert still.json()["installed"] is True

        forced = await platform.client.delete(
            f"{STORE}/entries/{ENTRY}/install", params={"force": "true"}, headers=admin.headers
        )
        assert forced.status_code == 204, forced.text
    gone = await platform.client.get(f"{STORE}/entries/{ENTRY}", headers=admin.headers)
    assert gone.json()["installed"] is False and gone.json()["installation"] is None
    tools = await platform.client.get("/api/v1/tools", params={"q": "add"}, headers=admin.headers)
    assert tools.json()["items"] == []
    async with platform.db.tenant_session(admin.tenant_id) as session:
        assert (await session.execute(select(ToolInstallation))).first() is None
        assert (await session.execute(select(MCPTopicServer))).first() is None
    twice = await platform.client.delete(f"{STORE}/entries/{ENTRY}/install", headers=admin.headers)
    assert twice.status_code == 404


async def test_installations_are_the_tenants_own(
    platform: Platform, database_urls: DatabaseUrls, store_catalog: Path
) -> None:
    first = await create_tenant(platform, database_urls.admin_url)
    second = await create_tenant(platform, database_urls.admin_url)
    async with running_tool_server("store-isolation") as server:
        installed = await _install(platform, first, _host(server.url))
        assert installed.status_code == 201, installed.text
        seen = await platform.client.get(f"{STORE}/entries/{ENTRY}", headers=second.headers)
        assert seen.json()["installed"] is False
        mine = await platform.client.get(f"{STORE}/installations", headers=second.headers)
        assert mine.json()["items"] == []
        theirs = await platform.client.delete(
            f"{STORE}/entries/{ENTRY}/install", headers=second.headers
        )
        assert theirs.status_code == 404
        own = await _install(platform, second, _host(server.url))
        assert own.status_code == 201, own.text
        assert (
            own.json()["installation"]["server"]["id"]
            != installed.json()["installation"]["server"]["id"]
        )
    still = await platform.client.get(f"{STORE}/entries/{ENTRY}", headers=first.headers)
    assert still.json()["installed"] is True


async def test_installing_the_bundled_tools_mints_a_sealed_tools_key_of_the_installer(
    platform: Platform, database_urls: DatabaseUrls, store_catalog: Path
) -> None:
    admin = await create_tenant(platform, database_urls.admin_url)
    bundled = await platform.client.get(f"{STORE}/entries/agentpaas-tools", headers=admin.headers)
    assert bundled.json()["bundled"] is True and bundled.json()["credentials"] == []
    installed = await platform.client.post(
        f"{STORE}/entries/agentpaas-tools/install", json={}, headers=admin.headers, timeout=120
    )
    assert installed.status_code == 201, installed.text
    server = installed.json()["installation"]["server"]
    assert server["endpoint_url"].endswith("/mcp/tools/") and server["credentials_hint"]
    keys = await platform.client.get("/api/v1/api-keys", headers=admin.headers)
    (key,) = [k for k in keys.json() if k["name"] == "tool store: agentpaas-tools"]
    assert key["scopes"] == ["tools:call"]


async def _developer_of(platform: Platform, admin_url: str, tenant_id: uuid.UUID) -> str:
    """A developer of the tenant (as the table owner); their access token."""
    from platform_api.auth.passwords import hash_password
    from platform_core.db import Database
    from platform_core.models import User
    from tests.helpers import DEMO_PASSWORD, login

    email = f"dev-{uuid.uuid4().hex[:8]}@store-tests.example"
    database = Database(admin_url, connections=2)
    try:
        async with database.system_session() as session:
            session.add(
                User(
                    tenant_id=tenant_id,
                    email=email,
                    role="developer",
                    password_hash=await hash_password(DEMO_PASSWORD, 4),
                )
            )
    finally:
        await database.dispose()
    return await login(platform.client, email)


async def test_only_granted_roles_build_versions_on_the_installed_tools(
    platform: Platform, database_urls: DatabaseUrls, store_catalog: Path
) -> None:
    admin = await create_tenant(platform, database_urls.admin_url)
    developer = await _developer_of(platform, database_urls.admin_url, admin.tenant_id)
    async with running_tool_server("store-grants") as server:
        installed = await _install(platform, admin, _host(server.url), granted_roles=["admin"])
        assert installed.status_code == 201, installed.text
    agent = await platform.client.post(
        "/api/v1/developer/agents",
        json={"name": f"granted-{uuid.uuid4().hex[:6]}", "description": "d", "tags": []},
        headers={"Authorization": f"Bearer {developer}"},
    )
    assert agent.status_code == 201, agent.text
    versions = f"/api/v1/developer/agents/{agent.json()['id']}/versions"
    body = {"version": "1.0.0", "workflow_definition": _direct_add()}
    refused = await platform.client.post(
        versions, json=body, headers={"Authorization": f"Bearer {developer}"}
    )
    assert refused.status_code == 422, refused.text
    assert "granted to admin, not to developer" in refused.json()["errors"][0]["message"]
    pinned = {
        "version": "1.0.1",
        "template_name": "plain_chat",
        "tool_dependencies": [f"{ENTRY}/add"],
    }
    also = await platform.client.post(
        versions, json=pinned, headers={"Authorization": f"Bearer {developer}"}
    )
    assert also.status_code == 422, also.text
    plain = await platform.client.post(
        versions,
        json={"version": "1.0.2", "template_name": "plain_chat"},
        headers={"Authorization": f"Bearer {developer}"},
    )
    assert plain.status_code == 201, plain.text  # other versions are not limited
    by_admin = await platform.client.post(versions, json=body, headers=admin.headers)
    assert by_admin.status_code == 201, by_admin.text
