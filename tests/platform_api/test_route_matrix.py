"""Every route of the app, walked from its own OpenAPI, against the one access table
(``platform_api.access.rules``): unauthenticated → 401 unless public; another
tenant's ids → 404 (never 403, never the object); too small a role → 403; an API
key without the route's scope → 403; and no route without a rule."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from agentpaas.seed import seed_demo_tenant
from platform_api.access.rules import (
    PLATFORM_ADMIN,
    PUBLIC,
    ROLE_HOLDS,
    RULES,
    Rule,
    rule_for,
)
from platform_api.apikeys.scopes import SCOPES
from platform_api.app import create_app
from platform_api.auth.passwords import hash_password
from platform_core.db import Database
from platform_core.models import User
from tests.helpers import (
    DEMO_PASSWORD,
    Platform,
    approval_agent,
    create_agent,
    login,
    stream_turn,
    wait_for_open_task,
)
from tests.tools.mcp_server import running_tool_server

SAMPLE_BODIES: dict[tuple[str, str], Any] = {
    ("post", "/api/v1/chat/completions"): {"message": "hi"},
    ("post", "/api/v1/chats"): {"agent_id": str(uuid.uuid4())},
    ("patch", "/api/v1/chats/{chat_id}"): {"title": "x"},
    ("post", "/api/v1/agents/{agent_id}/execute"): {"message": "hi"},
    ("put", "/api/v1/agents/{agent_id}/reviews/mine"): {"rating": 3},
    ("post", "/api/v1/reviews/tasks/{task_id}/complete"): {"input": {"approved": True}},
    ("post", "/api/v1/reviews/tasks/{task_id}/delegate"): {"to_user_id": str(uuid.uuid4())},
    ("post", "/api/v1/groups"): {"name": "matrix", "member_ids": []},
    ("put", "/api/v1/groups/{group_id}"): {"name": "matrix", "member_ids": []},
    ("post", "/api/v1/reviews/versions/{version_id}/approve"): {},
    ("post", "/api/v1/reviews/versions/{version_id}/reject"): {"reason": "no"},
    ("patch", "/api/v1/developer/agents/{agent_id}"): {"description": "x"},
    ("post", "/api/v1/developer/agents/{agent_id}/versions"): {
        "version": "9.0.0",
        "template_name": "plain_chat",
    },
    ("post", "/api/v1/templates/{template_id}/instantiate"): {"parameters": {}},
    ("patch", "/api/v1/templates/{template_id}"): {"description": "x"},
    ("post", "/api/v1/knowledge-bases"): {"name": "x"},
    ("patch", "/api/v1/knowledge-bases/{knowledge_base_id}"): {"description": "x"},
    ("post", "/api/v1/knowledge-bases/{knowledge_base_id}/search"): {"query": "x"},
    ("post", "/api/v1/executions/{execution_id}/rerun"): {"task_id": "0:answer:0"},
    ("put", "/api/v1/executions/{execution_id}/state"): {"state": {}},
    ("post", "/api/v1/webhooks"): {"url": "http://127.0.0.1:9/hook", "events": ["run_failed"]},
    ("put", "/api/v1/me/notification-settings"): {"email_kinds": []},
    ("post", "/api/v1/tool-store/entries/{entry_id}/install"): {
        "parameters": {"host": "example.org"}
    },
    ("patch", "/api/v1/me/preferences"): {"theme": "dark"},
    ("post", "/api/v1/me/provider-keys"): {"kind": "openai", "label": "x", "api_key": "sk-x"},
    ("put", "/api/v1/me/provider-keys/{personal_key_id}/secret"): {"api_key": "sk-y"},
    ("put", "/api/v1/me/agents/{agent_id}/payer"): {"payer": "tenant"},
    ("put", "/api/v1/tenant/personal-keys"): {"allow_personal_keys": True},
    ("put", "/api/v1/budgets/agents/{agent_id}"): {"max_tokens_per_month": 1000},
    ("put", "/api/v1/budgets/users/{user_id}"): {"max_tokens_per_month": 1000},
    ("put", "/api/v1/budgets/users/{user_id}/personal"): {"max_tokens_per_month": 1000},
}
# Routes that take a multipart upload instead of JSON.
SAMPLE_FILES: dict[tuple[str, str], Any] = {
    ("post", "/api/v1/knowledge-bases/{knowledge_base_id}/documents"): {
        "file": ("a.txt", b"some text")
    },
}
PATH_PARAMETER = re.compile(r"\{([a-z_]+)\}")


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _app(platform: Platform) -> FastAPI:
    app: FastAPI = platform.client._transport.app  # type: ignore[attr-defined]
    return app


def _routes(platform: Platform) -> list[tuple[str, str]]:
    schema = _app(platform).openapi()
    return sorted(
        (method, path)
        for path, item in schema["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    )


def _rule(method: str, path: str) -> Rule:
    rule = rule_for(method, path)
    assert rule is not None, f"{method.upper()} {path} has no access rule"
    return rule


def _fill(path: str, ids: dict[str, str]) -> str:
    # A second version id (diffs) takes the same tenant's version; a path parameter
    # the fixtures hold no id for (a new route) gets a random one, which no tenant
    # owns, so the route must still answer 401/403/404 correctly.
    path = path.replace("{other_id}", ids.get("version_id", str(uuid.uuid4())))
    return PATH_PARAMETER.sub(lambda m: ids.get(m.group(1), str(uuid.uuid4())), path)


async def _call(
    platform: Platform, method: str, path: str, ids: dict[str, str], headers: dict[str, str]
) -> int:
    kwargs: dict[str, Any] = {"headers": headers}
    if (method, path) in SAMPLE_FILES:
        kwargs["files"] = SAMPLE_FILES[(method, path)]
    elif method in ("post", "put", "patch"):
        kwargs["json"] = SAMPLE_BODIES.get((method, path), {})
    response = await platform.client.request(method.upper(), _fill(path, ids), **kwargs)
    return response.status_code


async def _add_user(admin_url: str, tenant_id: uuid.UUID, role: str) -> str:
    """A user of ``role`` in the tenant (as the table owner); returns the email."""
    email = f"{role}-{uuid.uuid4().hex[:8]}@matrix.agentpaas.dev"
    database = Database(admin_url, connections=2)
    async with database.system_session() as session:
        session.add(
            User(
                tenant_id=tenant_id,
                email=email,
                display_name=f"Matrix {role}",
                role=role,
                password_hash=await hash_password(DEMO_PASSWORD, 4),
            )
        )
    await database.dispose()
    return email


@pytest.fixture(scope="module")
async def role_tokens(platform: Platform, database_urls: Any) -> dict[str, str]:
    """An access token per tenant role, each of a user of its own in the demo tenant."""
    tokens = {}
    for role in ROLE_HOLDS:
        email = await _add_user(database_urls.admin_url, platform.seeded.tenant_id, role)
        tokens[role] = await login(platform.client, email)
    return tokens


@pytest.fixture(scope="module")
async def other_tenant(platform: Platform, database_urls: Any) -> AsyncIterator[dict[str, str]]:
    """A second tenant with one of everything, created through the API."""
    settings = platform.settings.model_copy(
        update={
            "demo_tenant": f"other-{uuid.uuid4().hex[:6]}",
            "demo_admin_email": f"admin@other{uuid.uuid4().hex[:4]}.agentpaas.dev",
            "demo_admin_password": SecretStr("demo-password-123"),
        }
    )
    database = Database(database_urls.admin_url, connections=2)
    async with database.system_session() as session:
        seeded = await seed_demo_tenant(session, settings)
    await database.dispose()
    token = await login(platform.client, settings.demo_admin_email)
    client, headers = platform.client, _auth(token)
    response, frames = await stream_turn(client, token, {"agent": "Assistant", "message": "mine"})
    template = await client.post(
        "/api/v1/templates",
        json={
            "name": f"secret_{uuid.uuid4().hex[:6]}",
            "display_name": "Secret",
            "definition": {
                "state": {"messages": {"reducer": "add_messages"}},
                "nodes": [{"name": "c", "type": "llm"}],
                "edges": [
                    {"source": "__start__", "target": "c"},
                    {"source": "c", "target": "__end__"},
                ],
            },
        },
        headers=headers,
    )
    version = await client.post(
        f"/api/v1/developer/agents/{seeded.agent_id}/versions",
        json={"version": "5.0.0", "template_name": "plain_chat"},
        headers=headers,
    )
    key = await client.post(
        "/api/v1/api-keys", json={"name": "b", "scopes": ["chat:read"]}, headers=headers
    )
    knowledge_base = await client.post(
        "/api/v1/knowledge-bases", json={"name": "private"}, headers=headers
    )
    document = await client.post(
        f"/api/v1/knowledge-bases/{knowledge_base.json()['id']}/documents",
        files={"file": ("private.txt", b"Only the other tenant may read this.")},
        headers=headers,
    )
    provider = await client.post(
        "/api/v1/providers",
        json={
            "provider_name": "b_vllm",
            "kind": "openai_compatible",
            "base_url": "http://vllm.b/v1",
        },
        headers=headers,
    )
    assert provider.status_code == 201, provider.text
    config = await client.post(
        "/api/v1/service-configs",
        json={"provider_id": provider.json()["provider_id"], "service_name": "b_llm", "model": "m"},
        headers=headers,
    )
    me = await client.get("/api/auth/me", headers=headers)
    personal_key = await client.post(
        "/api/v1/me/provider-keys",
        json={"kind": "openai", "label": "mine", "api_key": "sk-other-tenant-" + "x" * 16},
        headers=headers,
    )
    assert personal_key.status_code == 201, personal_key.text
    category = await client.post("/api/v1/categories", json={"name": "Private"}, headers=headers)
    assert category.status_code == 201, category.text
    # A real MCP server registered (and its tools discovered) by the other tenant.
    async with running_tool_server(f"matrix-{uuid.uuid4().hex[:6]}") as mcp:
        tool_server = await client.post(
            "/api/v1/tool-servers",
            json={"server_id": "matrix_tools", "name": "Matrix tools", "endpoint_url": mcp.url},
            headers=headers,
        )
    assert tool_server.status_code == 201, tool_server.text
    tools = await client.get(
        "/api/v1/tools", params={"server": tool_server.json()["id"]}, headers=headers
    )
    tool_id = tools.json()["items"][0]["id"]
    grant = await client.post(
        "/api/v1/tool-grants",
        json={"agent_id": str(seeded.agent_id), "tool_id": tool_id},
        headers=headers,
    )
    assert grant.status_code == 201, grant.text
    human_agent = await create_agent(database_urls.admin_url, seeded.tenant_id, approval_agent())
    turn = asyncio.create_task(
        stream_turn(client, token, {"agent_id": human_agent, "message": "?"})
    )
    task = await wait_for_open_task(client, token, agent_id=human_agent)
    ids = {
        "agent_id": str(seeded.agent_id),
        "chat_id": response.headers["X-Chat-Id"],
        "execution_id": str(task["execution_id"]),
        "template_id": template.json()["id"],
        "version_id": version.json()["id"],
        "task_id": str(task["task_id"]),
        "key_id": key.json()["id"],
        "provider_id": str(provider.json()["provider_id"]),
        "config_id": str(config.json()["config_id"]),
        "knowledge_base_id": knowledge_base.json()["id"],
        "document_id": document.json()["document"]["id"],
        "user_id": me.json()["id"],
        "tool_server_id": tool_server.json()["id"],
        "tool_id": tool_id,
        "tool_grant_id": grant.json()["id"],
        "category_id": category.json()["id"],
        "personal_key_id": personal_key.json()["id"],
        "token": token,
    }
    yield ids
    await client.post(f"/api/v1/executions/{task['execution_id']}/cancel", headers=headers)
    await turn


def test_every_route_has_a_rule_and_every_rule_is_well_formed(platform: Platform) -> None:
    missing = [f"{m.upper()} {p}" for m, p in _routes(platform) if rule_for(m, p) is None]
    assert missing == []
    assert rule_for("GET", "/metrics") == Rule(PUBLIC, None)  # not in the OpenAPI
    roles = {*ROLE_HOLDS, PUBLIC, PLATFORM_ADMIN}
    for method, pattern, rule in RULES:
        assert method in ("*", "GET", "POST", "PUT", "PATCH", "DELETE"), pattern
        assert rule.role in roles, pattern
        assert rule.scope is None or rule.scope in SCOPES, pattern
    # Viewers are read-only: no state-changing route admits them, except their own
    # account's (API keys, logging out everywhere, changing their password).
    own_account = (
        "/api/v1/api-keys",
        "/api/auth/",
        "/api/v1/notifications",
        "/api/v1/me/notification-settings",
        "/api/v1/me/preferences",
    )
    for method, path in _routes(platform):
        if method != "get" and _rule(method, path).role == "viewer":
            assert path.startswith(own_account), f"{method.upper()} {path}"


async def test_a_route_without_a_rule_is_refused_to_everyone(
    platform: Platform, database_urls: Any, admin_token: str
) -> None:
    app = create_app(
        platform.settings,
        database_url=database_urls.app_url,
        temporal_address="unused:7233",
        temporal_client=platform.temporal,
        ui_dist=None,
    )

    @app.get("/api/v1/unlisted-area/thing")
    async def unlisted() -> dict[str, str]:
        return {"leaked": "yes"}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        anonymous = await client.get("/api/v1/unlisted-area/thing")
        admin = await client.get("/api/v1/unlisted-area/thing", headers=_auth(admin_token))
        listed = await client.get("/api/v1/agents", headers=_auth(admin_token))
    await app.state.services.database.dispose()
    assert anonymous.status_code == 401
    assert admin.status_code == 403 and "leaked" not in admin.text
    assert admin.json()["title"] == "Not allowed"
    assert listed.status_code == 200  # the same app serves its listed routes


async def test_every_route_needs_credentials_unless_public(platform: Platform) -> None:
    wrong = []
    public = 0
    for method, path in _routes(platform):
        status = await _call(platform, method, path, {}, {})
        expected_public = _rule(method, path).role == PUBLIC
        public += expected_public
        if expected_public == (status == 401):
            wrong.append(f"{method.upper()} {path} -> {status}")
    assert wrong == []
    assert public >= 4


async def test_another_tenants_ids_are_not_found(
    platform: Platform, admin_token: str, other_tenant: dict[str, str]
) -> None:
    wrong = []
    # Platform routes span tenants by design; a tenant admin is refused them (403) first.
    routes = [
        (m, p) for m, p in _routes(platform) if "{" in p and _rule(m, p).role != PLATFORM_ADMIN
    ]
    assert len(routes) > 25
    named = {name for _, path in routes for name in PATH_PARAMETER.findall(path)}
    # Every id name of today's routes has a real id of the other tenant.
    known = {
        "agent_id",
        "chat_id",
        "execution_id",
        "template_id",
        "version_id",
        "task_id",
        "key_id",
        "provider_id",
        "config_id",
        "knowledge_base_id",
        "document_id",
        "other_id",
        "user_id",
        "tool_server_id",
        "tool_id",
        "tool_grant_id",
        "category_id",
        "personal_key_id",
    }
    assert known <= named
    for method, path in routes:
        status = await _call(platform, method, path, other_tenant, _auth(admin_token))
        if status != 404:
            wrong.append(f"{method.upper()} {path} -> {status}")
    assert wrong == []
    # And the other tenant itself can reach its own objects (so the ids were real).
    own = await platform.client.get(
        f"/api/v1/executions/{other_tenant['execution_id']}",
        headers=_auth(other_tenant["token"]),
    )
    assert own.status_code == 200


async def test_roles_below_a_routes_minimum_are_refused(
    platform: Platform, role_tokens: dict[str, str]
) -> None:
    wrong = []
    refused = 0
    for method, path in _routes(platform):
        required = _rule(method, path).role
        if required == PUBLIC:
            continue
        for role, token in role_tokens.items():
            if required in ROLE_HOLDS[role]:
                continue
            refused += 1
            status = await _call(platform, method, path, {}, _auth(token))
            if status != 403:
                wrong.append(f"{role}: {method.upper()} {path} -> {status}")
    assert wrong == []
    assert refused > 60


async def test_roles_at_a_routes_minimum_may_read(
    platform: Platform, role_tokens: dict[str, str]
) -> None:
    # Reads only: they change nothing, so every admitted role can be tried.
    wrong = []
    for method, path in _routes(platform):
        rule = _rule(method, path)
        if method != "get" or rule.role in (PUBLIC, PLATFORM_ADMIN) or "/events" in path:
            continue
        for role, token in role_tokens.items():
            if rule.role in ROLE_HOLDS[role]:
                status = await _call(platform, method, path, {}, _auth(token))
                if status in (401, 403):
                    wrong.append(f"{role}: GET {path} -> {status}")
    assert wrong == []


async def test_api_keys_without_a_routes_scope_are_refused(
    platform: Platform, admin_token: str
) -> None:
    # Keys of the tenant admin, so the role never is the reason: one key per scope
    # holding every other scope, and one holding all of them (for JWT-only routes).
    keys: dict[str | None, str] = {}
    for missing in [*SCOPES, None]:
        scopes = [s for s in SCOPES if s != missing]
        created = await platform.client.post(
            "/api/v1/api-keys",
            json={"name": f"without {missing}", "scopes": scopes},
            headers=_auth(admin_token),
        )
        assert created.status_code == 201, created.text
        keys[missing] = created.json()["key"]
    wrong = []
    checked = 0
    for method, path in _routes(platform):
        rule = _rule(method, path)
        if rule.role == PUBLIC:
            continue
        checked += 1
        status = await _call(platform, method, path, {}, _auth(keys[rule.scope]))
        if status != 403:
            wrong.append(f"{method.upper()} {path} (needs {rule.scope}) -> {status}")
    assert wrong == []
    assert checked > 60
    # The full key does get through where its scope allows (a read, no side effect).
    agents = await platform.client.get("/api/v1/agents", headers=_auth(keys[None]))
    assert agents.status_code == 200
