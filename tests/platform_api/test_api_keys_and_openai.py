"""API keys, and the official openai client talking to a published agent through them."""

from __future__ import annotations

from typing import Any

import openai
import pytest

from tests.helpers import Platform, serve


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _key(platform: Platform, token: str, scopes: list[str]) -> tuple[str, dict[str, Any]]:
    created = await platform.client.post(
        "/api/v1/api-keys", json={"name": "ci", "scopes": scopes}, headers=_auth(token)
    )
    assert created.status_code == 201, created.text
    body = created.json()
    return body["key"], body


async def test_keys_are_shown_once_scoped_and_revocable(
    platform: Platform, admin_token: str
) -> None:
    client = platform.client
    key, created = await _key(platform, admin_token, ["chat:read"])
    assert key.startswith("apk_") and created["key_prefix"] in key
    listed = await client.get("/api/v1/api-keys", headers=_auth(admin_token))
    assert all("key" not in k for k in listed.json())  # never shown again
    assert key not in listed.text

    me = await client.get("/api/auth/me", headers=_auth(key))
    assert me.status_code == 200 and me.json()["role"] == "admin"
    refused = await client.get("/v1/models", headers=_auth(key))
    assert refused.status_code == 403  # chat:read does not allow agent:execute
    nested = await client.post(
        "/api/v1/api-keys", json={"name": "x", "scopes": ["chat:read"]}, headers=_auth(key)
    )
    assert nested.status_code == 403

    used = (await client.get("/api/v1/api-keys", headers=_auth(admin_token))).json()
    assert next(k for k in used if k["id"] == created["id"])["last_used_at"] is not None
    revoked = await client.delete(f"/api/v1/api-keys/{created['id']}", headers=_auth(admin_token))
    assert revoked.status_code == 204
    assert (await client.get("/api/auth/me", headers=_auth(key))).status_code == 401
    forged = key[:-4] + "xxxx"
    assert (await client.get("/api/auth/me", headers=_auth(forged))).status_code == 401
    bad_scope = await client.post(
        "/api/v1/api-keys", json={"name": "x", "scopes": ["root"]}, headers=_auth(admin_token)
    )
    assert bad_scope.status_code == 422


async def test_official_openai_client_streams_from_a_published_agent(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    key, _ = await _key(platform, admin_token, ["agent:execute"])
    async with serve(platform, database_urls.app_url) as base:
        client = openai.AsyncOpenAI(base_url=f"{base}/v1", api_key=key, max_retries=0)
        models = await client.models.list()
        assert "Assistant" in [m.id for m in models.data]

        stream = await client.chat.completions.create(
            model="Assistant",
            messages=[{"role": "user", "content": "hello from openai"}],
            stream=True,
        )
        pieces = [chunk.choices[0].delta.content or "" async for chunk in stream]
        text = "".join(pieces)
        assert "hello from openai" in text and len(pieces) > 3

        whole = await client.chat.completions.create(
            model="Assistant@1.0.0",
            messages=[{"role": "user", "content": "once more"}],
        )
        assert "once more" in (whole.choices[0].message.content or "")
        assert whole.usage is not None and whole.usage.total_tokens > 0

        with pytest.raises(openai.NotFoundError):
            await client.chat.completions.create(
                model="No Such Agent", messages=[{"role": "user", "content": "x"}]
            )
        anonymous = openai.AsyncOpenAI(base_url=f"{base}/v1", api_key="nope", max_retries=0)
        with pytest.raises(openai.AuthenticationError):
            await anonymous.models.list()
