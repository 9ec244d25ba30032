"""Forged, altered and misused tokens: every one is a 401 problem, never a way in."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.helpers import DEMO_PASSWORD, Platform


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _hs256_by_hand(claims: dict[str, Any], key: bytes) -> str:
    """HS256 signed with any bytes (pyjwt refuses PEM keys as HMAC secrets; attackers don't)."""
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = _b64(json.dumps(claims).encode())
    signature = hmac.new(key, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


async def _pair(platform: Platform) -> dict[str, Any]:
    response = await platform.client.post(
        "/api/auth/login",
        json={"email": platform.seeded.admin_email, "password": DEMO_PASSWORD},
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


async def _assert_refused(client: httpx.AsyncClient, token: str, why: str) -> None:
    response = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401, (why, response.text)
    assert response.headers["content-type"].startswith("application/problem+json"), why
    body = response.json()
    assert body["status"] == 401 and body["type"].endswith("/unauthorized"), why
    assert response.headers["WWW-Authenticate"] == "Bearer", why


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


async def test_forged_and_altered_access_tokens_are_refused(
    platform: Platform, rsa_key: rsa.RSAPrivateKey
) -> None:
    client = platform.client
    pair = await _pair(platform)
    token = pair["access_token"]
    # The genuine token works, so every refusal below is about what was changed.
    assert (
        await client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    ).status_code == 200
    claims = jwt.decode(token, options={"verify_signature": False})
    secret = platform.settings.jwt_secret.get_secret_value()
    public_pem = rsa_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    now = int(time.time())

    def without(name: str) -> dict[str, Any]:
        return {k: v for k, v in claims.items() if k != name}

    def signed(payload: dict[str, Any]) -> str:
        return jwt.encode(payload, secret, algorithm="HS256")

    header, payload, signature = token.split(".")
    altered_payload = _b64(json.dumps({**claims, "role": "admin", "tv": 0}).encode())
    attacks = {
        "alg none": jwt.encode(claims, "", algorithm="none"),
        "alg none, signature kept": ".".join(
            [_b64(json.dumps({"alg": "none", "typ": "JWT"}).encode()), payload, signature]
        ),
        "wrong key": jwt.encode(claims, "x" * 48, algorithm="HS256"),
        "RS256 with an attacker's key": jwt.encode(claims, rsa_key, algorithm="RS256"),
        "HS256 keyed with a public key PEM": _hs256_by_hand(claims, public_pem),
        "HS512 with the right secret": jwt.encode(claims, secret, algorithm="HS512"),
        "payload altered, signature kept": f"{header}.{altered_payload}.{signature}",
        "missing exp": signed(without("exp")),
        "missing iat": signed(without("iat")),
        "missing sub": signed(without("sub")),
        "missing aud": signed(without("aud")),
        "missing iss": signed(without("iss")),
        "wrong aud": signed({**claims, "aud": "someone-else"}),
        "wrong iss": signed({**claims, "iss": "evil-issuer"}),
        "expired": signed({**claims, "iat": now - 3600, "exp": now - 60}),
        "refresh token as access token": pair["refresh_token"],
        "garbage": "not.a.jwt",
        "empty segments": "..",
    }
    for why, forged in attacks.items():
        await _assert_refused(client, forged, why)
    expired = await client.get(
        "/api/auth/me", headers={"Authorization": f"Bearer {attacks['expired']}"}
    )
    assert expired.json()["detail"] == "token expired"


async def test_an_access_token_is_not_a_refresh_token(platform: Platform) -> None:
    pair = await _pair(platform)
    response = await platform.client.post(
        "/api/auth/refresh", json={"refresh_token": pair["access_token"]}
    )
    assert response.status_code == 401
    assert response.json()["detail"] == "wrong token type (expected: refresh)"


async def test_a_reused_refresh_token_revokes_its_whole_family(platform: Platform) -> None:
    client = platform.client
    pair = await _pair(platform)
    unrelated = await _pair(platform)  # another login (family) of the same user
    first = await client.post("/api/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert first.status_code == 200
    second = await client.post(
        "/api/auth/refresh", json={"refresh_token": first.json()["refresh_token"]}
    )
    assert second.status_code == 200
    successor = second.json()["refresh_token"]

    # A copy of the first token comes back: the attacker and the victim both lose the family.
    replay = await client.post("/api/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert replay.status_code == 401
    assert "reuse" in replay.json()["detail"]
    dead = await client.post("/api/auth/refresh", json={"refresh_token": successor})
    assert dead.status_code == 401
    # Only that family: the same user's other login still rotates.
    other = await client.post(
        "/api/auth/refresh", json={"refresh_token": unrelated["refresh_token"]}
    )
    assert other.status_code == 200


async def test_a_refresh_token_with_a_forged_signature_is_refused(platform: Platform) -> None:
    pair = await _pair(platform)
    claims = jwt.decode(pair["refresh_token"], options={"verify_signature": False})
    forged = jwt.encode(claims, "y" * 48, algorithm="HS256")
    response = await platform.client.post("/api/auth/refresh", json={"refresh_token": forged})
    assert response.status_code == 401
    unsigned = jwt.encode(claims, "", algorithm="none")
    response = await platform.client.post("/api/auth/refresh", json={"refresh_token": unsigned})
    assert response.status_code == 401


def test_the_signing_key_must_be_at_least_32_bytes() -> None:
    from pydantic import SecretStr, ValidationError

    from platform_core.settings import Settings

    with pytest.raises(ValidationError, match="at least 32 bytes"):
        Settings(jwt_secret=SecretStr("too-short-secret"))
