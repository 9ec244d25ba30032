"""API rate limits: standard headers, 429 past the limit, one bucket per credential and IP."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from agentpaas.runtime.postgres import DatabaseUrls
from platform_api.app import create_app
from tests.helpers import Platform, create_agent, login, one_llm_node, parse_sse
from tests.llm_helpers import create_tenant

WINDOW = 3600
# The window of the session's shared app (the settings' default).
PLATFORM_WINDOW = 60
HEADERS = ("Limit", "Remaining", "Reset")


async def _fresh_window() -> None:
    # A fixed window restarts at the top of each hour: never start a test just before.
    left = WINDOW - time.time() % WINDOW
    if left < 30:
        await asyncio.sleep(left + 1)
    # Nor in the hour's first minute: the shared test app counts the same credentials in
    # one-minute windows, and that minute's window starts when ours does, so its hits
    # (a test's set-up requests) would count in ours too.
    elapsed = time.time() % WINDOW
    if elapsed < PLATFORM_WINDOW + 1:
        await asyncio.sleep(PLATFORM_WINDOW + 1 - elapsed)


@pytest.fixture(autouse=True)
async def _clear_of_the_hours_edges() -> None:
    """Before a test's set-up requests, not only before its own app's."""
    await _fresh_window()


@asynccontextmanager
async def _api(
    platform: Platform, database_urls: DatabaseUrls, *, per_credential: int, per_ip: int
) -> AsyncIterator[Callable[[str], httpx.AsyncClient]]:
    """An app of its own with small limits; yields a factory of clients at a given IP."""
    settings = platform.settings.model_copy(
        update={
            "rate_limit_per_credential": per_credential,
            "rate_limit_per_ip": per_ip,
            "rate_limit_window_seconds": WINDOW,
        }
    )
    app = create_app(
        settings,
        database_url=database_urls.app_url,
        temporal_address="unused",
        temporal_client=platform.temporal,
        ui_dist=None,
    )
    clients: list[httpx.AsyncClient] = []

    def client_at(ip: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(ip, 40000))
        client = httpx.AsyncClient(transport=transport, base_url="http://testserver")
        clients.append(client)
        return client

    await _fresh_window()
    try:
        yield client_at
    finally:
        for client in clients:
            await client.aclose()
        await app.state.services.database.dispose()


def _ip() -> str:
    """An address no other test uses (its IP bucket starts empty)."""
    raw = uuid.uuid4().bytes
    return f"10.{raw[0]}.{raw[1]}.{raw[2]}"


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _limits(response: httpx.Response) -> dict[str, int]:
    return {name: int(response.headers[f"RateLimit-{name}"]) for name in HEADERS}


async def test_headers_count_down_and_the_request_past_the_limit_gets_429(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    admin = await create_tenant(platform, database_urls.admin_url)
    async with _api(platform, database_urls, per_credential=5, per_ip=1000) as client_at:
        client = client_at(_ip())
        remaining = []
        for _ in range(5):
            response = await client.get("/api/auth/me", headers=admin.headers)
            assert response.status_code == 200, response.text
            limits = _limits(response)
            assert limits["Limit"] == 5
            assert 0 < limits["Reset"] <= WINDOW
            assert response.headers["RateLimit-Policy"] == f"5;w={WINDOW}"
            for name in HEADERS:
                assert (
                    response.headers[f"X-RateLimit-{name}"] == response.headers[f"RateLimit-{name}"]
                )
            remaining.append(limits["Remaining"])
        assert remaining == [4, 3, 2, 1, 0]

        refused = await client.get("/api/auth/me", headers=admin.headers)

        assert refused.status_code == 429
        assert refused.headers["content-type"].startswith("application/problem+json")
        body = refused.json()
        assert body["status"] == 429 and body["type"].endswith("/rate-limited")
        retry_after = int(refused.headers["Retry-After"])
        assert 0 < retry_after <= WINDOW
        assert _limits(refused)["Remaining"] == 0
        # Writes are refused too, before they touch anything.
        write = await client.post(
            "/api/v1/api-keys", json={"name": "k", "scopes": ["chat:read"]}, headers=admin.headers
        )
        assert write.status_code == 429
        listed = await platform.client.get("/api/v1/api-keys", headers=admin.headers)
        assert listed.json() == []
        # Probes are never limited.
        health = await client.get("/api/v1/health")
        assert health.status_code != 429 and "RateLimit-Limit" not in health.headers


async def test_each_credential_and_address_has_its_own_bucket(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    first = await create_tenant(platform, database_urls.admin_url)
    second = await create_tenant(platform, database_urls.admin_url)
    key = await platform.client.post(
        "/api/v1/api-keys", json={"name": "rl", "scopes": ["chat:read"]}, headers=first.headers
    )
    assert key.status_code == 201, key.text
    async with _api(platform, database_urls, per_credential=3, per_ip=1000) as client_at:
        heavy, other = client_at(_ip()), client_at(_ip())
        for _ in range(3):
            assert (await heavy.get("/api/auth/me", headers=first.headers)).status_code == 200
        assert (await heavy.get("/api/auth/me", headers=first.headers)).status_code == 429

        # Another tenant's admin is untouched by the first tenant's heavy use.
        untouched = await other.get("/api/auth/me", headers=second.headers)
        assert untouched.status_code == 200
        assert _limits(untouched)["Remaining"] == 2
        # The same user's API key is a credential of its own.
        by_key = await heavy.get("/api/auth/me", headers=_auth(key.json()["key"]))
        assert by_key.status_code == 200 and _limits(by_key)["Remaining"] == 2
        # A second login of the same user shares the user's bucket: still refused.
        await asyncio.sleep(1.1)  # tokens issued within one second are identical
        again = await login(platform.client, first.email)
        assert again != first.token
        shared = await other.get("/api/auth/me", headers=_auth(again))
        assert shared.status_code == 429


async def test_an_address_is_limited_whatever_credentials_it_makes_up(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    async with _api(platform, database_urls, per_credential=100, per_ip=3) as client_at:
        noisy, quiet = client_at(_ip()), client_at(_ip())
        made_up = [
            {},
            _auth("not-a-token"),
            _auth(f"apk_{uuid.uuid4().hex}_{uuid.uuid4().hex}"),
        ]
        statuses = []
        for headers in made_up:
            response = await noisy.get("/api/auth/me", headers=headers)
            statuses.append(response.status_code)
            assert response.headers["RateLimit-Limit"] == "3"
        assert statuses == [401, 401, 401]
        refused = await noisy.get(
            "/api/auth/me", headers=_auth(f"apk_{uuid.uuid4().hex}_{uuid.uuid4().hex}")
        )
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
        # Another address is not affected.
        other = await quiet.get("/api/auth/me")
        assert other.status_code == 401 and _limits(other)["Remaining"] == 2


async def test_replicas_share_the_counters(platform: Platform, database_urls: DatabaseUrls) -> None:
    admin = await create_tenant(platform, database_urls.admin_url)
    limits = {"per_credential": 4, "per_ip": 1000}
    async with (
        _api(platform, database_urls, **limits) as replica_a,
        _api(platform, database_urls, **limits) as replica_b,
    ):
        ip = _ip()
        a, b = replica_a(ip), replica_b(ip)
        seen: list[Any] = []
        for client in (a, b, a, b):
            response = await client.get("/api/auth/me", headers=admin.headers)
            seen.append((response.status_code, _limits(response)["Remaining"]))
        assert seen == [(200, 3), (200, 2), (200, 1), (200, 0)]
        assert (await b.get("/api/auth/me", headers=admin.headers)).status_code == 429


async def test_a_stream_counts_once_when_it_opens(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    admin = await create_tenant(platform, database_urls.admin_url)
    agent_id = await create_agent(
        database_urls.admin_url, admin.tenant_id, one_llm_node(platform.settings.default_model)
    )
    async with _api(platform, database_urls, per_credential=10, per_ip=1000) as client_at:
        client = client_at(_ip())
        stream = await client.post(
            "/api/v1/chat/completions",
            json={"agent_id": agent_id, "message": "count me once"},
            headers=admin.headers,
            timeout=120,
        )
        assert stream.status_code == 200, stream.text
        assert stream.headers["content-type"].startswith("text/event-stream")
        assert parse_sse(stream.text)[-1]["event"] == "done"
        assert _limits(stream)["Remaining"] == 9
        after = await client.get("/api/auth/me", headers=admin.headers)
        assert _limits(after)["Remaining"] == 8


async def test_zero_disables_the_limits(platform: Platform, database_urls: DatabaseUrls) -> None:
    async with _api(platform, database_urls, per_credential=0, per_ip=0) as client_at:
        client = client_at(_ip())
        responses = [await client.get("/api/auth/me") for _ in range(5)]
    assert all(r.status_code == 401 for r in responses)
    assert all("RateLimit-Limit" not in r.headers for r in responses)
