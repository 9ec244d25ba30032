"""The auth core: login, refresh rotation, me, and 401s that are problems, not crashes."""

from __future__ import annotations

import time

import jwt

from tests.helpers import DEMO_PASSWORD, Platform, login


async def test_login_me_and_refresh_rotation(platform: Platform) -> None:
    client = platform.client
    response = await client.post(
        "/api/auth/login",
        json={"email": platform.seeded.admin_email, "password": DEMO_PASSWORD},
    )
    assert response.status_code == 200
    pair = response.json()
    claims = jwt.decode(pair["access_token"], options={"verify_signature": False})
    assert {"sub", "tenant_id", "role", "exp", "iat", "aud", "iss"} <= set(claims)
    assert claims["role"] == "admin"

    me = await client.get(
        "/api/auth/me", headers={"Authorization": f"Bearer {pair['access_token']}"}
    )
    assert me.status_code == 200
    assert me.json()["email"] == platform.seeded.admin_email
    assert me.json()["tenant_name"] == platform.settings.demo_tenant

    rotated = await client.post("/api/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert rotated.status_code == 200
    new_pair = rotated.json()
    assert new_pair["refresh_token"] != pair["refresh_token"]

    # The spent token comes back: the whole family is revoked, the new token too.
    reused = await client.post("/api/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert reused.status_code == 401
    assert reused.json()["type"].endswith("/unauthorized")
    after = await client.post(
        "/api/auth/refresh", json={"refresh_token": new_pair["refresh_token"]}
    )
    assert after.status_code == 401


async def test_wrong_password_and_unknown_email_look_the_same(platform: Platform) -> None:
    wrong = await platform.client.post(
        "/api/auth/login", json={"email": platform.seeded.admin_email, "password": "nope-nope-1"}
    )
    unknown = await platform.client.post(
        "/api/auth/login", json={"email": "ghost@nowhere.agentpaas.dev", "password": "nope-nope-1"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"]


async def test_overlong_password_is_refused_cleanly(platform: Platform) -> None:
    response = await platform.client.post(
        "/api/auth/login", json={"email": platform.seeded.admin_email, "password": "x" * 100}
    )
    assert response.status_code == 401  # never a 500 from bcrypt's 72-byte limit


async def test_missing_expired_and_forged_tokens_get_401_problems(platform: Platform) -> None:
    client = platform.client
    missing = await client.get("/api/auth/me")
    assert missing.status_code == 401
    assert missing.headers["content-type"].startswith("application/problem+json")

    token = await login(client, platform.seeded.admin_email)
    claims = jwt.decode(token, options={"verify_signature": False})
    secret = platform.settings.jwt_secret.get_secret_value()
    expired = jwt.encode({**claims, "exp": int(time.time()) - 60}, secret, algorithm="HS256")
    forged = jwt.encode(claims, "another-secret-that-is-long-enough-000000", algorithm="HS256")
    unsigned = jwt.encode(claims, None, algorithm="none")
    for bad in (expired, forged, unsigned, "not-a-jwt"):
        response = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {bad}"})
        assert response.status_code == 401, bad
        body = response.json()
        assert body["status"] == 401 and body["title"] and body["detail"]
    assert (
        await client.get("/api/auth/me", headers={"Authorization": f"Bearer {expired}"})
    ).json()["detail"] == "token expired"


async def test_malformed_login_body_is_a_422_problem(platform: Platform) -> None:
    response = await platform.client.post(
        "/api/auth/login", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["type"].endswith("/validation-failed")
    assert body["errors"]
