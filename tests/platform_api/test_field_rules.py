"""Field rules at the boundary (issue 17): a past expiry and an oversized free JSON field or
secret are a 422 naming the field, and the OpenAPI document says each limit.

The rules are annotated types in `platform_api/api/field_types.py` (FutureDatetime,
JsonObject, Secret), used by every schema that takes such a field.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import BaseModel, SecretStr, ValidationError

from agentpaas.runtime.postgres import DatabaseUrls
from node_types import human
from platform_api.agents.schemas import VersionCreate
from platform_api.apikeys.schemas import ApiKeyCreate
from platform_api.app import create_app
from platform_api.chats.schemas import ChatCompletionRequest, ChatCreate, ChatUpdate
from platform_api.executions.schemas import ExecuteRequest
from platform_api.human_tasks.schemas import CompleteRequest
from platform_api.knowledge.schemas import SearchRequest
from platform_api.providers.schemas import ServiceConfigCreate, ServiceConfigUpdate
from platform_api.templates.schemas import InstantiateRequest, TemplateCreate, TemplateUpdate
from platform_api.tenancy.schemas import TenantCreate, TenantUpdate
from platform_api.tools.schemas import ToolServerCreate, ToolServerUpdate
from platform_core.settings import Settings
from tests.helpers import Platform, fresh_tenant_admin_token

PAST = ("2000-01-01T00:00:00Z", "2000-01-01", 12345, "1970-01-01T00:00:00+08:00")
BIG = {"blob": "x" * (64 * 1024)}  # just over 64 KiB once serialised
SECRET = "k" * (4 * 1024 + 1)


def _errors_at(model: type[BaseModel], body: dict[str, Any], field: str) -> list[str]:
    """The messages pydantic gives for ``field`` (other fields may be missing: ignored)."""
    try:
        model.model_validate(body)
    except ValidationError as exc:
        return [e["msg"] for e in exc.errors() if e["loc"][:1] == (field,)]
    return []


@pytest.mark.parametrize("model", [ApiKeyCreate, ChatCreate, ChatUpdate])
@pytest.mark.parametrize("value", PAST)
def test_a_past_expiry_is_refused_naming_the_field(model: type[BaseModel], value: object) -> None:
    messages = _errors_at(model, {"expires_at": value}, "expires_at")
    assert messages and all("must be in the future" in m for m in messages), messages


def test_a_future_expiry_is_kept_and_read_as_utc_when_naive() -> None:
    ahead = datetime.now(UTC) + timedelta(days=1)
    key = ApiKeyCreate(name="k", scopes=["chat:read"], expires_at=ahead)
    assert key.expires_at == ahead
    naive = ahead.replace(tzinfo=None).isoformat()
    chat = ChatUpdate.model_validate({"expires_at": naive})
    assert chat.expires_at == ahead
    assert ChatUpdate.model_validate({"expires_at": None}).expires_at is None


JSON_FIELDS: list[tuple[type[BaseModel], str]] = [
    (TenantCreate, "settings"),
    (TenantUpdate, "settings"),
    (VersionCreate, "model_params_override"),
    (VersionCreate, "input_schema"),
    (TemplateCreate, "parameter_schema"),
    (TemplateUpdate, "parameter_schema"),
    (ServiceConfigCreate, "params"),
    (ServiceConfigUpdate, "params"),
    (ChatCompletionRequest, "config"),
    (SearchRequest, "filters"),
    (ExecuteRequest, "input"),
    (CompleteRequest, "input"),
    (InstantiateRequest, "parameters"),
]
SECRET_FIELDS: list[tuple[type[BaseModel], str]] = [
    (ServiceConfigCreate, "api_key"),
    (ServiceConfigUpdate, "api_key"),
    (ToolServerCreate, "credential"),
    (ToolServerUpdate, "credential"),
]


@pytest.mark.parametrize(("model", "field"), JSON_FIELDS)
def test_a_free_json_field_over_64_kib_is_refused(model: type[BaseModel], field: str) -> None:
    messages = _errors_at(model, {field: BIG}, field)
    assert any("at most 64 KiB" in m for m in messages), messages
    # Just under the limit is not refused for its size.
    small = {"blob": "x" * (60 * 1024)}
    assert not any("KiB" in m for m in _errors_at(model, {field: small}, field))


@pytest.mark.parametrize(("model", "field"), SECRET_FIELDS)
def test_a_secret_over_4_kib_is_refused_without_echoing_it(
    model: type[BaseModel], field: str
) -> None:
    try:
        model.model_validate({field: SECRET})
    except ValidationError as exc:
        found = [e for e in exc.errors() if e["loc"][:1] == (field,)]
        assert found and "at most 4 KiB" in found[0]["msg"]
        assert SECRET not in str(exc)
    else:
        pytest.fail(f"{model.__name__}.{field} took a {len(SECRET)}-byte secret")
    # Bytes, not characters: 1,366 three-byte characters are over 4 KiB.
    assert _errors_at(model, {field: "密" * 1366}, field)
    assert not _errors_at(model, {field: SecretStr("k" * 4096)}, field)


def test_a_human_nodes_form_schema_over_64_kib_is_a_definition_problem() -> None:
    big = {"type": "object", "description": "x" * (64 * 1024)}
    size = len(json.dumps(big, separators=(",", ":")))
    assert human.config_problems({"required_input_schema": big}) == [
        ("/required_input_schema", f"is {size} bytes as JSON; at most 64 KiB allowed")
    ]
    assert human.config_problems({"required_input_schema": {"type": "object"}}) == []


def test_the_openapi_document_says_each_limit() -> None:
    app = create_app(
        Settings(environment="test", jwt_secret=SecretStr("k" * 40)),
        database_url="postgresql://nobody@127.0.0.1:1/none",
        temporal_address="127.0.0.1:1",
        ui_dist=None,
    )
    schemas = app.openapi()["components"]["schemas"]

    def description(model: str, field: str) -> str:
        return str(schemas[model]["properties"][field].get("description", ""))

    for name in ("ApiKeyCreate", "ChatCreate", "ChatUpdate"):
        assert "Must be in the future" in description(name, "expires_at")
    for model, field in JSON_FIELDS:
        assert "At most 64 KiB as JSON" in description(model.__name__, field), (model, field)
    for model, field in SECRET_FIELDS:
        assert "At most 4 KiB" in description(model.__name__, field), (model, field)


async def test_the_routes_answer_422_naming_the_field(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    client = platform.client
    token = await fresh_tenant_admin_token(platform, database_urls.admin_url, prefix="rules")
    headers = {"Authorization": f"Bearer {token}"}

    def refused(response: Any, path: str) -> bool:
        errors = response.json().get("errors") or []
        return response.status_code == 422 and any(e["path"] == path for e in errors)

    for value in ("2000-01-01", 12345):
        key = await client.post(
            "/api/v1/api-keys",
            json={"name": "old", "scopes": ["chat:read"], "expires_at": value},
            headers=headers,
        )
        assert refused(key, "/body/expires_at"), key.text
    ahead = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    fresh = await client.post(
        "/api/v1/api-keys",
        json={"name": "new", "scopes": ["chat:read"], "expires_at": ahead},
        headers=headers,
    )
    assert fresh.status_code == 201, fresh.text

    agents = await client.get("/api/v1/agents", headers=headers)
    agent_id = agents.json()["items"][0]["id"]
    past_chat = await client.post(
        "/api/v1/chats", json={"agent_id": agent_id, "expires_at": "2000-01-01"}, headers=headers
    )
    assert refused(past_chat, "/body/expires_at"), past_chat.text
    chat = await client.post(
        "/api/v1/chats", json={"agent_id": agent_id, "expires_at": ahead}, headers=headers
    )
    assert chat.status_code == 201, chat.text
    moved = await client.patch(
        f"/api/v1/chats/{chat.json()['id']}", json={"expires_at": 12345}, headers=headers
    )
    assert refused(moved, "/body/expires_at"), moved.text

    template = await client.post(
        "/api/v1/templates",
        json={
            "name": "too_big",
            "display_name": "Too big",
            "parameter_schema": {"type": "object", "description": "x" * 1_000_000},
            "definition": {"nodes": [], "edges": []},
        },
        headers=headers,
    )
    assert refused(template, "/body/parameter_schema"), template.text[:500]
    completion = await client.post(
        "/api/v1/chat/completions",
        json={"agent_id": agent_id, "message": "hi", "config": {"stop": "x" * 100_000}},
        headers=headers,
    )
    assert refused(completion, "/body/config"), completion.text[:500]
