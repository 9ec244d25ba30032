"""Hostile input over every route of the OpenAPI: a problem document every time, never a 5xx.

NUL characters, lone surrogates, NaN / Infinity, integers past bigint and deep nesting are
refused at the boundary with a 422 naming the field (`platform_api/api/input_policy.py`);
1 MB strings and wrong types must be answered with a 4xx problem or accepted, never a 500.
"""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI

from agentpaas.runtime.postgres import DatabaseUrls
from platform_api.api.input_policy import body_errors
from platform_api.app import create_app
from tests.helpers import Platform, fresh_tenant_admin_token

# Sending these would revoke the credentials the sweep runs with, or lock out logins.
SKIPPED = {
    ("POST", "/api/auth/logout-all"),
    ("POST", "/api/auth/password"),
    ("POST", "/api/auth/logout"),
    ("POST", "/api/auth/login"),
    ("POST", "/api/auth/login-with-tenant"),
}


def _deep(levels: int) -> Any:
    value: Any = "bottom"
    for _ in range(levels):
        value = [value]
    return value


# Each refused payload: what every property of a body gets.
REFUSED: dict[str, Any] = {
    "nul": "before\u0000after",
    "surrogate": "\ud800",
    "nan": float("nan"),
    "infinity": float("-inf"),
    "huge_integer": 10**30,
    "deep": _deep(200),
}
# Each tolerated payload: any status but 5xx, and a problem document when refused.
TOLERATED: dict[str, Any] = {
    "megabyte": "x" * 1_000_000,
    "wrong_type": {"unexpected": [1, {"nested": True}]},
}


def _schema_properties(openapi: dict[str, Any], operation: dict[str, Any]) -> list[str] | None:
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    if schema is None:
        return None
    ref = schema.get("$ref")
    if ref:
        schema = openapi["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    return list(schema.get("properties", {})) or ["value"]


def _operations(openapi: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for path, item in openapi["paths"].items():
        for method, operation in item.items():
            if method.upper() in {"GET", "POST", "PUT", "PATCH", "DELETE"}:
                if (method.upper(), path) not in SKIPPED:
                    found.append((method.upper(), path, operation))
    return found


def _url(path: str) -> str:
    # Every path parameter is some id: a random one (it may answer 404, never 500).
    parts = [str(uuid.uuid4()) if p.startswith("{") else p for p in path.split("/")]
    return "/".join(parts)


def _is_problem(response: httpx.Response) -> bool:
    if not response.headers.get("content-type", "").startswith("application/problem+json"):
        return False
    body = response.json()
    return {"type", "title", "status", "detail"} <= set(body) and body[
        "status"
    ] == response.status_code


def test_the_policy_names_each_refused_value() -> None:
    raw = json.dumps(
        {"name": "a\u0000", "secret": "\ud800", "limits": {"max": 10**40, "ratio": float("nan")}}
    ).encode()
    paths = {error["path"] for error in body_errors(raw)}
    assert paths == {"/body/name", "/body/secret", "/body/limits/max", "/body/limits/ratio"}
    assert body_errors(json.dumps({"name": "ordinary", "n": 2**62}).encode()) == []
    assert body_errors(b"{not json") == []  # malformed JSON is FastAPI's 422, not ours


@pytest.fixture
async def hostile_app(platform: Platform, database_urls: DatabaseUrls) -> Any:
    app: FastAPI = create_app(
        platform.settings.model_copy(
            update={"rate_limit_per_ip": 0, "rate_limit_per_credential": 0}
        ),
        database_url=database_urls.app_url,
        temporal_address="unused:7233",
        temporal_client=platform.temporal,
        ui_dist=None,
    )
    yield app
    await app.state.services.database.dispose()


async def test_hostile_input_over_every_route_gets_a_problem_never_a_5xx(
    platform: Platform, database_urls: DatabaseUrls, hostile_app: FastAPI
) -> None:
    token = await fresh_tenant_admin_token(platform, database_urls.admin_url, prefix="hostile")
    headers = {"Authorization": f"Bearer {token}", "content-type": "application/json"}
    openapi = hostile_app.openapi()
    operations = _operations(openapi)
    failures: list[str] = []
    sent = 0
    transport = httpx.ASGITransport(app=hostile_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t", timeout=60) as client:
        for method, path, operation in operations:
            url = _url(path)
            properties = _schema_properties(openapi, operation)
            query = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
            for label, value in {**REFUSED, **TOLERATED}.items():
                if properties is not None:
                    # json.dumps escapes the surrogate and writes NaN, as no client library would.
                    content = json.dumps(dict.fromkeys(properties, value)).encode()
                    response = await client.request(method, url, content=content, headers=headers)
                elif query and isinstance(value, str):
                    # Quoted by hand: a lone surrogate too. A URL holds kilobytes, not a megabyte.
                    raw = quote(value[:2_000].encode("utf-8", "surrogatepass"))
                    target = url + "?" + "&".join(f"{name}={raw}" for name in query)
                    response = await client.request(method, target, headers=headers)
                else:
                    continue
                sent += 1
                where = f"{method} {path} [{label}]"
                if response.status_code >= 500:
                    failures.append(f"{where}: {response.status_code} {response.text[:200]}")
                elif response.status_code >= 400 and not _is_problem(response):
                    failures.append(f"{where}: {response.status_code} without a problem body")
                elif label in REFUSED and properties is not None:
                    errors = (
                        response.json().get("errors", []) if response.status_code == 422 else []
                    )
                    if not any(str(e.get("path", "")).startswith("/body/") for e in errors):
                        failures.append(f"{where}: {response.status_code}, no 422 naming the field")
                elif label in ("nul", "surrogate") and response.status_code != 422:
                    failures.append(f"{where}: {response.status_code} for a query with {label}")
    assert sent > 150
    assert failures == []


async def test_nul_in_a_path_or_query_is_a_422_and_the_connection_stays_usable(
    platform: Platform, admin_token: str
) -> None:
    headers = {"Authorization": f"Bearer {admin_token}"}
    in_query = await platform.client.get("/api/v1/agents", params={"q": "a\u0000"}, headers=headers)
    assert in_query.status_code == 422 and in_query.json()["errors"][0]["path"] == "/query/q"
    in_path = await platform.client.get("/api/v1/chats/ab%00cd", headers=headers)
    assert in_path.status_code == 422 and in_path.json()["errors"][0]["path"] == "/path"
    after = await platform.client.get("/api/v1/agents", headers=headers)
    assert after.status_code == 200
