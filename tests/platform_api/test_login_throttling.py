"""Login throttling per account and per client address, counted in PostgreSQL.

This module runs its own app with small limits and its own client addresses, so
the failures it provokes never lock the shared test client out.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
from sqlalchemy import text

from agentpaas.runtime.postgres import DatabaseUrls
from platform_api.app import create_app
from platform_core.db import Database
from tests.helpers import Platform

PASSWORD = "Throttle-test-pass-3"
WRONG = "Wrong-password-000"
PER_ACCOUNT = 3
PER_IP = 5

ClientFor = Callable[[str], Any]


@asynccontextmanager
async def throttled_app(
    platform: Platform, database_urls: DatabaseUrls
) -> AsyncIterator[ClientFor]:
    """An app with low limits; yields a factory of clients each from its own IP address."""
    settings = platform.settings.model_copy(
        update={
            "login_max_failures_per_account": PER_ACCOUNT,
            "login_max_failures_per_ip": PER_IP,
            "login_failure_window_seconds": 900,
        }
    )
    app = create_app(
        settings,
        database_url=database_urls.app_url,
        temporal_address="127.0.0.1:1",  # never dialled: logins do not touch Temporal
        temporal_client=platform.temporal,
        ui_dist=None,
    )

    def client_from(ip: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(ip, 40000))
        return httpx.AsyncClient(transport=transport, base_url="http://testserver")

    try:
        yield client_from
    finally:
        await app.state.services.database.dispose()


def _ip() -> str:
    raw = uuid.uuid4().bytes
    return f"10.{raw[0]}.{raw[1]}.{raw[2]}"


async def _new_user(platform: Platform, admin_token: str) -> str:
    email = f"throttle-{uuid.uuid4().hex[:10]}@example.com"
    response = await platform.client.post(
        "/api/v1/users",
        json={"email": email, "password": PASSWORD, "role": "viewer"},
        headers={"Authorization": f"Bearer {admin_token}"},
    )
    assert response.status_code == 201, response.text
    return email


async def _login(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post("/api/auth/login", json={"email": email, "password": password})


def _assert_throttled(response: httpx.Response, what: str) -> int:
    assert response.status_code == 429, response.text
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= 900
    body = response.json()
    assert body["status"] == 429 and body["type"].endswith("/too-many-login-attempts")
    assert what in body["detail"]
    assert "access_token" not in body
    return retry_after


async def test_an_account_locks_after_failures_even_for_the_right_password(
    platform: Platform, database_urls: DatabaseUrls, admin_token: str
) -> None:
    email = await _new_user(platform, admin_token)
    async with throttled_app(platform, database_urls) as client_from:
        async with client_from(_ip()) as client, client_from(_ip()) as elsewhere:
            # Failures below the limit, then a success: the account's count starts over.
            for _ in range(PER_ACCOUNT - 1):
                assert (await _login(client, email, WRONG)).status_code == 401
            assert (await _login(client, email, PASSWORD)).status_code == 200
            for _ in range(PER_ACCOUNT):
                assert (await _login(client, email, WRONG)).status_code == 401

            # Locked: the right password is refused too, from any address, and the
            # email's case does not make a new account.
            _assert_throttled(await _login(client, email, PASSWORD), "this account")
            _assert_throttled(await _login(elsewhere, email.upper(), PASSWORD), "this account")
            _assert_throttled(await _login(client, email, WRONG), "this account")
            with_tenant = await client.post(
                "/api/auth/login-with-tenant",
                json={"email": email, "password": PASSWORD, "tenant": "demo"},
            )
            _assert_throttled(with_tenant, "this account")

            # Once the failures leave the window, the right password works again.
            await _age_failures(database_urls, "email", email, minutes=16)
            assert (await _login(client, email, PASSWORD)).status_code == 200


async def test_an_address_locks_after_failures_across_accounts(
    platform: Platform, database_urls: DatabaseUrls, admin_token: str
) -> None:
    email = await _new_user(platform, admin_token)
    attacker_ip = _ip()
    async with throttled_app(platform, database_urls) as client_from:
        async with client_from(attacker_ip) as attacker, client_from(_ip()) as someone:
            # Spraying one guess over many (unknown) accounts; a success on an account of
            # one's own in between does not reset the address's count.
            for attempt in range(PER_IP):
                if attempt == PER_IP - 1:
                    assert (await _login(attacker, email, PASSWORD)).status_code == 200
                sprayed = f"nobody-{uuid.uuid4().hex[:8]}@example.com"
                assert (await _login(attacker, sprayed, WRONG)).status_code == 401
            retry_after = _assert_throttled(await _login(attacker, email, PASSWORD), "this address")
            assert retry_after > 800  # the oldest failure is seconds old
            # The account itself is not locked: from another address it logs in.
            assert (await _login(someone, email, PASSWORD)).status_code == 200


async def _age_failures(database_urls: DatabaseUrls, column: str, key: str, minutes: int) -> None:
    """Move recorded failures into the past, as if the window had passed (table owner)."""
    database = Database(database_urls.admin_url, connections=2)
    try:
        async with database.system_session() as session:
            result = await session.execute(
                text(
                    f"UPDATE login_failures SET attempted_at = attempted_at - "
                    f"make_interval(mins => :minutes) WHERE {column} = :key"
                ),
                {"minutes": minutes, "key": key.lower()},
            )
            assert result.rowcount > 0  # type: ignore[attr-defined]
    finally:
        await database.dispose()
