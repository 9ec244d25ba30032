"""Secrets never reach a response or a log line: passwords, access and refresh tokens,
API keys, SM4-sealed provider keys and users' personal model keys — not even when a
provider echoes the key it got in its error. Every log record of the flow is captured
at DEBUG (raw, as caplog keeps it, and as the JSON formatter writes it), with every
response body."""

from __future__ import annotations

import io
import logging
import uuid
from collections.abc import Iterator

import httpx
import pytest

from agentpaas.logging_setup import JsonFormatter, RequestContextFilter
from agentpaas.runtime.postgres import DatabaseUrls
from platform_api.auth.passwords import hash_password
from platform_core.db import Database
from platform_core.models import Tenant, TenantQuota, User
from tests.helpers import Platform, stream_turn
from tests.llm_helpers import TenantAdmin, add_service, bind_agent, llm_agent
from tests.openai_server import openai_compatible_server

PASSWORD = "Hygiene-pw-" + uuid.uuid4().hex
WRONG_PASSWORD = "Wrong-pw-" + uuid.uuid4().hex
PROVIDER_KEY = "sk-right-" + uuid.uuid4().hex
SEALED_KEY = "sk-sealed-" + uuid.uuid4().hex  # what the tenant set: the wrong one
ROTATED_KEY = "sk-rotated-" + uuid.uuid4().hex
PERSONAL_KEY = "sk-personal-" + uuid.uuid4().hex  # a user's own key: wrong, echoed back
PERSONAL_REPLACED = "sk-personal-new-" + uuid.uuid4().hex


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """What the JSON formatter writes for every record of the test (root, DEBUG)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)


async def _tenant_admin(admin_url: str) -> tuple[uuid.UUID, str]:
    suffix = uuid.uuid4().hex[:8]
    email = f"admin-{suffix}@hygiene.example"
    database = Database(admin_url, connections=2)
    try:
        async with database.system_session() as session:
            tenant = Tenant(name=f"hygiene-{suffix}", display_name=f"Hygiene {suffix}")
            session.add(tenant)
            await session.flush()
            session.add(TenantQuota(tenant_id=tenant.id, max_tokens_per_month=1_000_000))
            session.add(
                User(
                    tenant_id=tenant.id,
                    email=email,
                    role="admin",
                    password_hash=await hash_password(PASSWORD, 4),
                )
            )
            return tenant.id, email
    finally:
        await database.dispose()


async def test_no_secret_reaches_a_response_or_a_log_line(
    platform: Platform,
    database_urls: DatabaseUrls,
    caplog: pytest.LogCaptureFixture,
    json_log: io.StringIO,
) -> None:
    tenant_id, email = await _tenant_admin(database_urls.admin_url)
    caplog.set_level(logging.DEBUG)
    client = platform.client
    responses: list[tuple[str, httpx.Response]] = []

    async def call(name: str, method: str, path: str, **kwargs: object) -> httpx.Response:
        response = await client.request(method, path, **kwargs)  # type: ignore[arg-type]
        responses.append((name, response))
        return response

    # Passwords: a wrong one, then the right one; a refresh; the caller's own account.
    refused = await call(
        "bad-login", "POST", "/api/auth/login", json={"email": email, "password": WRONG_PASSWORD}
    )
    assert refused.status_code == 401
    login = await call(
        "login", "POST", "/api/auth/login", json={"email": email, "password": PASSWORD}
    )
    assert login.status_code == 200, login.text
    first = login.json()
    refreshed = await call(
        "refresh", "POST", "/api/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert refreshed.status_code == 200, refreshed.text
    tokens = refreshed.json()
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert (await call("me", "GET", "/api/auth/me", headers=headers)).status_code == 200

    # An API key: created (shown once), used, forged.
    created = await call(
        "key-created",
        "POST",
        "/api/v1/api-keys",
        json={"name": "hygiene", "scopes": ["chat:read", "agent:execute"]},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    api_key = created.json()["key"]
    forged_key = api_key[:-6] + "abcdef"
    key_headers = {"Authorization": f"Bearer {api_key}"}
    assert (await call("key-me", "GET", "/api/auth/me", headers=key_headers)).status_code == 200
    assert (await call("key-models", "GET", "/v1/models", headers=key_headers)).status_code == 200
    forged = await call(
        "forged", "GET", "/api/auth/me", headers={"Authorization": f"Bearer {forged_key}"}
    )
    assert forged.status_code == 401
    listed = await call("keys", "GET", "/api/v1/api-keys", headers=headers)
    assert listed.status_code == 200

    # A provider key, sealed with SM4, wrong for the provider, which echoes it back.
    admin = TenantAdmin(tenant_id, email, tokens["access_token"])
    with openai_compatible_server(PROVIDER_KEY) as server:
        config_id = await add_service(client, admin, base_url=server.base_url, api_key=SEALED_KEY)
        agent_id = await bind_agent(
            database_urls.admin_url,
            tenant_id,
            llm_agent(),
            service_dependencies={"answer": {"llm_service": config_id}},
        )
        turn, frames = await stream_turn(
            client, tokens["access_token"], {"agent_id": agent_id, "message": "leak it"}
        )
        responses.append(("turn", turn))
        assert server.authorizations[-1] == f"Bearer {SEALED_KEY}"  # the key was really used
    assert frames[-1]["data"]["status"] == "failed"  # type: ignore[index]
    execution_id = turn.headers["X-Execution-Id"]
    await call("execution", "GET", f"/api/v1/executions/{execution_id}", headers=headers)
    await call(
        "history",
        "GET",
        "/api/v1/chat/history",
        params={"chat_id": turn.headers["X-Chat-Id"]},
        headers=headers,
    )
    rotated = await call(
        "rotate",
        "PATCH",
        f"/api/v1/service-configs/{config_id}",
        json={"api_key": ROTATED_KEY},
        headers=headers,
    )
    assert rotated.status_code == 200, rotated.text
    await call("configs", "GET", "/api/v1/service-configs", headers=headers)
    await call("config", "GET", f"/api/v1/service-configs/{config_id}", headers=headers)

    # A personal model key: added, listed, chosen to pay, used (the provider echoes it),
    # replaced, and the run's record read.
    personal = await call(
        "personal-key",
        "POST",
        "/api/v1/me/provider-keys",
        json={"kind": "openai_compatible", "label": "mine", "api_key": PERSONAL_KEY},
        headers=headers,
    )
    assert personal.status_code == 201, personal.text
    personal_id = personal.json()["id"]
    chosen = await call(
        "payer",
        "PUT",
        f"/api/v1/me/agents/{agent_id}/payer",
        json={"payer": "personal", "key_id": personal_id},
        headers=headers,
    )
    assert chosen.status_code == 200, chosen.text
    with openai_compatible_server(PROVIDER_KEY) as server:
        await call(
            "rebind",
            "PATCH",
            f"/api/v1/providers/{(await _provider_of(client, config_id, headers))}",
            json={"base_url": server.base_url},
            headers=headers,
        )
        turn, frames = await stream_turn(
            client, tokens["access_token"], {"agent_id": agent_id, "message": "leak mine"}
        )
        responses.append(("personal-turn", turn))
        assert server.authorizations[-1] == f"Bearer {PERSONAL_KEY}"  # really used
    assert frames[-1]["data"]["status"] == "failed"  # type: ignore[index]
    await call(
        "personal-execution",
        "GET",
        f"/api/v1/executions/{turn.headers['X-Execution-Id']}",
        headers=headers,
    )
    await call("personal-keys", "GET", "/api/v1/me/provider-keys", headers=headers)
    await call("payer-read", "GET", f"/api/v1/me/agents/{agent_id}/payer", headers=headers)
    replaced = await call(
        "personal-replaced",
        "PUT",
        f"/api/v1/me/provider-keys/{personal_id}/secret",
        json={"api_key": PERSONAL_REPLACED},
        headers=headers,
    )
    assert replaced.status_code == 200, replaced.text
    logout = await call(
        "logout", "POST", "/api/auth/logout", json={"refresh_token": tokens["refresh_token"]}
    )
    assert logout.status_code == 204

    # Where each secret may appear: only in the response that hands it out.
    allowed = {
        PASSWORD: set(),
        WRONG_PASSWORD: set(),
        PROVIDER_KEY: set(),
        SEALED_KEY: set(),
        ROTATED_KEY: set(),
        PERSONAL_KEY: set(),
        PERSONAL_REPLACED: set(),
        forged_key: set(),
        api_key: {"key-created"},
        # Access tokens carry no jti: issued within the same second, they are equal.
        first["access_token"]: {"login", "refresh"},
        first["refresh_token"]: {"login"},
        tokens["access_token"]: {"login", "refresh"},
        tokens["refresh_token"]: {"refresh"},
    }
    leaks = [
        f"{secret[:12]}… in the {name} response"
        for secret, places in allowed.items()
        for name, response in responses
        if name not in places and (secret in response.text or secret in str(response.headers))
    ]
    records = caplog.records
    assert len(records) > 20  # the capture really saw the flow
    log_texts = {
        "caplog": caplog.text,
        "messages": "\n".join(r.getMessage() for r in records),
        "arguments": "\n".join(repr(r.args) for r in records),
        "json": json_log.getvalue(),
    }
    assert '"level"' in log_texts["json"]
    leaks += [
        f"{secret[:12]}… in the {kind} log"
        for secret in allowed
        for kind, text in log_texts.items()
        if secret in text
    ]
    assert leaks == []


async def _provider_of(client: httpx.AsyncClient, config_id: int, headers: dict[str, str]) -> int:
    """The provider id of a service config."""
    config = await client.get(f"/api/v1/service-configs/{config_id}", headers=headers)
    return int(config.json()["provider_id"])
