"""Every route of the app, walked from its own OpenAPI: unauthenticated → 401 unless public;
another tenant's ids → 404 (never 403, never the object); too small a role → 403."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from pydantic import SecretStr

from platform_api.db import Database
from platform_api.seed import seed_demo_tenant
from tests.helpers import (
    Platform,
    approval_agent,
    create_agent,
    login,
    stream_turn,
    wait_for_open_task,
)

PUBLIC = {
    ("get", "/api/v1/health"),
    ("post", "/api/auth/login"),
    ("post", "/api/auth/login-with-tenant"),
    ("post", "/api/auth/refresh"),
    ("post", "/api/auth/logout"),
    ("get", "/metrics"),
}
# Roles beyond "user" that routes require (admins hold every role).
ROLE_RULES: list[tuple[str, str, str]] = [
    ("*", "/api/v1/developer/", "developer"),
    ("*", "/api/v1/reviews/", "reviewer"),
    ("post", "/api/v1/templates", "developer"),
    ("patch", "/api/v1/templates/{template_id}", "developer"),
    ("delete", "/api/v1/templates/{template_id}", "developer"),
    ("post", "/api/v1/knowledge-bases", "developer"),
    ("patch", "/api/v1/knowledge-bases/{knowledge_base_id}", "developer"),
    ("delete", "/api/v1/knowledge-bases/{knowledge_base_id}", "developer"),
    ("post", "/api/v1/knowledge-bases/{knowledge_base_id}/documents", "developer"),
    ("delete", "/api/v1/knowledge-bases/{knowledge_base_id}/documents/{document_id}", "developer"),
    ("post", "/api/v1/knowledge-bases/{knowledge_base_id}/search", "developer"),
]
SAMPLE_BODIES: dict[tuple[str, str], Any] = {
    ("post", "/api/v1/chat/completions"): {"message": "hi"},
    ("post", "/api/v1/chats"): {"agent_id": str(uuid.uuid4())},
    ("patch", "/api/v1/chats/{chat_id}"): {"title": "x"},
    ("post", "/api/v1/agents/{agent_id}/execute"): {"message": "hi"},
    ("put", "/api/v1/agents/{agent_id}/reviews/mine"): {"rating": 3},
    ("post", "/api/v1/reviews/tasks/{task_id}/complete"): {"input": {"approved": True}},
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
}
# Routes that take a multipart upload instead of JSON.
SAMPLE_FILES: dict[tuple[str, str], Any] = {
    ("post", "/api/v1/knowledge-bases/{knowledge_base_id}/documents"): {
        "file": ("a.txt", b"some text")
    },
}


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _routes(platform: Platform) -> list[tuple[str, str]]:
    app = platform.client._transport.app  # type: ignore[attr-defined]
    schema = app.openapi()
    return sorted(
        (method, path)
        for path, item in schema["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    )


def _needs_role(method: str, path: str) -> str | None:
    for rule_method, prefix, role in ROLE_RULES:
        # A rule ending in "/" covers everything below it; otherwise it names one path.
        matches = path.startswith(prefix) if prefix.endswith("/") else path == prefix
        if rule_method in ("*", method) and matches:
            return role
    return None


def _fill(path: str, ids: dict[str, str]) -> str:
    # A second version id (diffs) takes the same tenant's version.
    path = path.replace("{other_id}", ids.get("version_id", str(uuid.uuid4())))
    for name in (
        "provider_id",
        "config_id",
        "agent_id",
        "version_id",
        "chat_id",
        "execution_id",
        "template_id",
        "task_id",
        "key_id",
        "knowledge_base_id",
        "document_id",
    ):
        path = path.replace("{" + name + "}", ids.get(name, str(uuid.uuid4())))
    return path


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


@pytest.fixture(scope="module")
async def other_tenant(platform: Platform, database_urls: Any) -> dict[str, str]:
    """A second tenant with one of everything, created through the API."""
    settings = platform.settings.model_copy(
        update={
            "demo_tenant": f"other-{uuid.uuid4().hex[:6]}",
            "demo_admin_email": f"admin@other{uuid.uuid4().hex[:4]}.agentpaas.dev",
            "demo_admin_password": SecretStr("demo-password-123"),
        }
    )
    database = Database(database_urls.admin_url, pool_size=1)
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
    config = await client.post(
        "/api/v1/service-configs",
        json={"provider_id": provider.json()["provider_id"], "service_name": "b_llm", "model": "m"},
        headers=headers,
    )
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
        "token": token,
    }
    yield ids
    await client.post(f"/api/v1/executions/{task['execution_id']}/cancel", headers=headers)
    await turn


async def test_every_route_needs_credentials_unless_public(platform: Platform) -> None:
    wrong = []
    for method, path in _routes(platform):
        status = await _call(platform, method, path, {}, {})
        expected_public = (method, path) in PUBLIC
        if not expected_public and status != 401:
            wrong.append(f"{method.upper()} {path} -> {status}")
    assert wrong == []


async def test_another_tenants_ids_are_not_found(
    platform: Platform, admin_token: str, other_tenant: dict[str, str]
) -> None:
    wrong = []
    routes = [(m, p) for m, p in _routes(platform) if "{" in p]
    assert len(routes) > 25
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


async def test_plain_users_are_refused_where_a_role_is_needed(platform: Platform) -> None:
    domain = platform.seeded.admin_email.split("@", 1)[1]
    user = _auth(await login(platform.client, f"user@{domain}"))
    wrong = []
    guarded = [(m, p) for m, p in _routes(platform) if _needs_role(m, p)]
    assert len(guarded) > 15
    for method, path in guarded:
        status = await _call(platform, method, path, {}, user)
        if status != 403:
            wrong.append(f"{method.upper()} {path} -> {status}")
    assert wrong == []
