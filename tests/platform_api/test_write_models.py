"""Write models cannot set server-owned fields: no request body in the OpenAPI offers
them, every JSON body refuses unknown fields, and trying answers 422 with nothing
written."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import FastAPI
from sqlalchemy import func, select

from platform_core.models import Agent, ApiKey, Chat
from tests.helpers import Platform

# Fields only the server sets: who owns a row, its identity, its bookkeeping.
SERVER_OWNED = {
    "tenant_id",
    "id",
    "created_at",
    "updated_at",
    "created_by",
    "developer_id",
    "user_id",
    "owner_id",
    "token_version",
    "password_hash",
    "key_hash",
    "key_prefix",
    "last_used_at",
    "revoked_at",
}
# The OpenAI wire format: clients send many optional fields (n, stop, user,
# stream_options…); they are accepted and ignored, never stored.
OPEN_BODIES = {("post", "/v1/chat/completions")}


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _json_bodies(platform: Platform) -> list[tuple[str, str, dict[str, Any]]]:
    app: FastAPI = platform.client._transport.app  # type: ignore[attr-defined]
    schema = app.openapi()
    components = schema["components"]["schemas"]
    bodies = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" not in content:
                continue
            body = content["application/json"]["schema"]
            if "$ref" in body:
                body = components[body["$ref"].rsplit("/", 1)[-1]]
            bodies.append((method, path, body))
    return bodies


def test_no_request_body_offers_a_server_owned_field(platform: Platform) -> None:
    bodies = _json_bodies(platform)
    assert len(bodies) > 25
    offered = {
        f"{method.upper()} {path}: {sorted(SERVER_OWNED & set(body.get('properties', {})))}"
        for method, path, body in bodies
        if SERVER_OWNED & set(body.get("properties", {}))
    }
    assert offered == set()
    open_bodies = {
        f"{method.upper()} {path}"
        for method, path, body in bodies
        if body.get("additionalProperties") is not False and (method, path) not in OPEN_BODIES
    }
    assert open_bodies == set()


async def _count(platform: Platform, model: Any, *where: Any) -> int:
    async with platform.db.tenant_session(platform.seeded.tenant_id) as session:
        return int(
            (
                await session.execute(select(func.count()).select_from(model).where(*where))
            ).scalar_one()
        )


async def test_posting_server_owned_fields_is_refused_and_writes_nothing(
    platform: Platform, admin_token: str
) -> None:
    client, headers = platform.client, _auth(admin_token)
    foreign = str(uuid.uuid4())
    name = f"Forged {uuid.uuid4().hex[:6]}"
    chats_before = await _count(platform, Chat)
    keys_before = await _count(platform, ApiKey)
    attempts = [
        ("POST", "/api/v1/developer/agents", {"name": name, "tenant_id": foreign}, "tenant_id"),
        ("POST", "/api/v1/developer/agents", {"name": name, "id": foreign}, "id"),
        (
            "POST",
            "/api/v1/chats",
            {"agent_id": str(platform.seeded.agent_id), "tenant_id": foreign},
            "tenant_id",
        ),
        (
            "POST",
            "/api/v1/chats",
            {"agent_id": str(platform.seeded.agent_id), "user_id": foreign},
            "user_id",
        ),
        (
            "POST",
            "/api/v1/api-keys",
            {"name": "forged", "scopes": ["chat:read"], "id": foreign},
            "id",
        ),
        (
            "PATCH",
            f"/api/v1/developer/agents/{platform.seeded.agent_id}",
            {"description": "x", "status": "deleted"},
            "status",
        ),
        (
            "PUT",
            f"/api/v1/agents/{platform.seeded.agent_id}/reviews/mine",
            {"rating": 5, "user_id": foreign},
            "user_id",
        ),
        (
            "POST",
            "/api/v1/knowledge-bases",
            {"name": "forged", "tenant_id": foreign},
            "tenant_id",
        ),
    ]
    for method, path, body, field in attempts:
        response = await client.request(method, path, json=body, headers=headers)
        assert response.status_code == 422, (method, path, response.text)
        problem = response.json()
        assert problem["status"] == 422
        assert f"/body/{field}" in [error["path"] for error in problem["errors"]], problem
    assert await _count(platform, Agent, Agent.name == name) == 0
    assert await _count(platform, Chat) == chats_before
    assert await _count(platform, ApiKey) == keys_before
    # The same bodies without the forged field are accepted (so 422 was about it).
    created = await client.post("/api/v1/developer/agents", json={"name": name}, headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["id"] != foreign
