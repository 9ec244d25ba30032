"""Personal model keys: write-only and owner-only, the payer choice per agent, the tenant's
switch, and runs whose ``llm`` node really calls the provider with the user's key.

The provider is a real local OpenAI-compatible server (tests/openai_server.py) that
records the bearer key of every call, so "the user's key paid" is what the server saw.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select
from temporalio.exceptions import ApplicationError

from activities.llm_targets import PERSONAL_KEY_UNUSABLE, LlmTargets
from agentpaas.runtime.postgres import DatabaseUrls
from platform_api.personal_keys.service import rewrap_personal_keys
from platform_core.crypto import KeyRing, key_ring_from_settings
from platform_core.models import PersonalProviderKey
from platform_core.models.personal_keys import personal_key_associated_data
from platform_core.outbound import OutboundPolicy
from tests.helpers import DEMO_PASSWORD, Platform, login, stream_turn
from tests.llm_helpers import TenantAdmin, add_service, bind_agent, create_tenant, llm_agent
from tests.openai_server import OpenAICompatibleServer, openai_compatible_server

TENANT_KEY = "sk-tenant-" + uuid.uuid4().hex
PERSONAL_KEY = "sk-personal-" + uuid.uuid4().hex + "WxYz"


@pytest.fixture(scope="module")
def server() -> Iterator[OpenAICompatibleServer]:
    """One local provider that accepts any key and records which one it got."""
    with openai_compatible_server(None) as running:
        yield running


async def _member(platform: Platform, admin: TenantAdmin, role: str = "user") -> dict[str, str]:
    """A new user of the admin's tenant, logged in; their authorization header."""
    email = f"{role}-{uuid.uuid4().hex[:8]}@llm-tests.example"
    created = await platform.client.post(
        "/api/v1/users",
        json={"email": email, "role": role, "password": DEMO_PASSWORD},
        headers=admin.headers,
    )
    assert created.status_code == 201, created.text
    return {"Authorization": f"Bearer {await login(platform.client, email)}"}


async def _add_key(
    platform: Platform, headers: dict[str, str], *, kind: str = "openai_compatible", **extra: Any
) -> dict[str, Any]:
    response = await platform.client.post(
        "/api/v1/me/provider-keys",
        json={
            "kind": kind,
            "label": f"key-{uuid.uuid4().hex[:6]}",
            "api_key": PERSONAL_KEY,
            **extra,
        },
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def _agent(
    platform: Platform, database_urls: DatabaseUrls, admin: TenantAdmin, server: Any
) -> str:
    """An agent of the tenant whose llm node is bound to the tenant's config on `server`."""
    config_id = await add_service(
        platform.client, admin, base_url=server.base_url, api_key=TENANT_KEY
    )
    return await bind_agent(
        database_urls.admin_url,
        admin.tenant_id,
        llm_agent(max_tokens=16),
        service_dependencies={"answer": {"llm_service": config_id}},
    )


async def _set_policy(platform: Platform, admin: TenantAdmin, allow: bool) -> None:
    response = await platform.client.put(
        "/api/v1/tenant/personal-keys", json={"allow_personal_keys": allow}, headers=admin.headers
    )
    assert response.status_code == 200, response.text


async def _run(
    platform: Platform, headers: dict[str, str], agent_id: str
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """One chat turn; the frames and the run's node records."""
    token = headers["Authorization"].removeprefix("Bearer ")
    response, frames = await stream_turn(
        platform.client, token, {"agent_id": agent_id, "message": "who pays?"}
    )
    assert response.status_code == 200, response.text
    execution = await platform.client.get(
        f"/api/v1/executions/{response.headers['X-Execution-Id']}", headers=headers
    )
    assert execution.status_code == 200, execution.text
    return frames, execution.json()  # type: ignore[return-value]


async def test_keys_are_write_only_masked_and_seen_by_their_owner_only(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    admin = await create_tenant(platform, database_urls.admin_url)
    user = await _member(platform, admin)
    key = await _add_key(platform, user)
    assert key["key_hint"] == f"{PERSONAL_KEY[:3]}…{PERSONAL_KEY[-4:]}"
    assert PERSONAL_KEY not in str(key)
    listed = await platform.client.get("/api/v1/me/provider-keys", headers=user)
    assert listed.json()["allowed"] is True
    assert [k["id"] for k in listed.json()["items"]] == [key["id"]]
    assert PERSONAL_KEY not in listed.text

    # The tenant admin sees none of it and can change none of it.
    theirs = await platform.client.get("/api/v1/me/provider-keys", headers=admin.headers)
    assert theirs.json()["items"] == []
    for method, path, body in (
        ("PUT", f"/api/v1/me/provider-keys/{key['id']}/secret", {"api_key": "sk-admin-x"}),
        ("DELETE", f"/api/v1/me/provider-keys/{key['id']}", None),
    ):
        refused = await platform.client.request(method, path, json=body, headers=admin.headers)
        assert refused.status_code == 404, refused.text

    # Sealed bound to its row: the envelope opens only with the row's associated data.
    ring = key_ring_from_settings(platform.settings)
    async with platform.db.tenant_session(admin.tenant_id) as session:
        row = await session.get(PersonalProviderKey, uuid.UUID(key["id"]))
        assert row is not None and PERSONAL_KEY not in row.credentials
        data = personal_key_associated_data(row.tenant_id, row.user_id, row.id)
        assert ring.decrypt(row.credentials, associated_data=data) == PERSONAL_KEY
        with pytest.raises(Exception, match="verification"):
            ring.decrypt(
                row.credentials,
                associated_data=personal_key_associated_data(row.tenant_id, uuid.uuid4(), row.id),
            )

    replaced = await platform.client.put(
        f"/api/v1/me/provider-keys/{key['id']}/secret",
        json={"api_key": "sk-new-" + "n" * 20 + "9876"},
        headers=user,
    )
    assert replaced.status_code == 200 and replaced.json()["key_hint"].endswith("9876")
    duplicate = await platform.client.post(
        "/api/v1/me/provider-keys",
        json={"kind": "openai", "label": key["label"], "api_key": "sk-x"},
        headers=user,
    )
    assert duplicate.status_code == 409
    assert duplicate.headers["content-type"].startswith("application/problem+json")
    gone = await platform.client.delete(f"/api/v1/me/provider-keys/{key['id']}", headers=user)
    assert gone.status_code == 204


async def test_a_master_key_rotation_rewraps_personal_keys(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    admin = await create_tenant(platform, database_urls.admin_url)
    await _add_key(platform, admin.headers)
    current = key_ring_from_settings(platform.settings)
    rotated = KeyRing.from_hex("ab" * 32, [platform.settings.master_key.get_secret_value()])
    async with platform.db.tenant_session(admin.tenant_id) as session:
        assert await rewrap_personal_keys(session=session, ring=rotated) == 1
        assert await rewrap_personal_keys(session=session, ring=rotated) == 0
        row = (await session.execute(select(PersonalProviderKey))).scalars().one()
        data = personal_key_associated_data(row.tenant_id, row.user_id, row.id)
        assert rotated.decrypt(row.credentials, associated_data=data) == PERSONAL_KEY
        back = KeyRing(current.current, [rotated.current])
        assert await rewrap_personal_keys(session=session, ring=back) == 1


async def test_an_api_base_is_checked_by_the_outbound_policy(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    admin = await create_tenant(platform, database_urls.admin_url)
    refused = await platform.client.post(
        "/api/v1/me/provider-keys",
        json={
            "kind": "openai_compatible",
            "label": "metadata",
            "api_base": "http://169.254.169.254/v1",
            "api_key": "sk-x",
        },
        headers=admin.headers,
    )
    assert refused.status_code == 422, refused.text


async def test_the_llm_node_calls_the_provider_with_the_users_key_and_records_it(
    platform: Platform, database_urls: DatabaseUrls, server: OpenAICompatibleServer
) -> None:
    admin = await create_tenant(platform, database_urls.admin_url)
    user = await _member(platform, admin)
    agent_id = await _agent(platform, database_urls, admin, server)
    key = await _add_key(platform, user)
    chosen = await platform.client.put(
        f"/api/v1/me/agents/{agent_id}/payer",
        json={"payer": "personal", "key_id": key["id"]},
        headers=user,
    )
    assert chosen.status_code == 200, chosen.text
    assert chosen.json()["payer"] == "personal" and chosen.json()["key_hint"] == key["key_hint"]

    frames, execution = await _run(platform, user, agent_id)
    assert frames[-1]["data"]["status"] == "completed", frames[-1]
    assert server.authorizations[-1] == f"Bearer {PERSONAL_KEY}"  # the server saw the key
    paid_by = execution["nodes"][0]["paid_by"]
    me = await platform.client.get("/api/auth/me", headers=user)
    assert paid_by == {
        "payer": "user",
        "user_id": me.json()["id"],
        "key_id": key["id"],
        "key_label": key["label"],
        "key_hint": key["key_hint"],
    }

    # The organisation pays again once the user says so.
    back = await platform.client.put(
        f"/api/v1/me/agents/{agent_id}/payer", json={"payer": "tenant"}, headers=user
    )
    assert back.json()["payer"] == "tenant"
    _, execution = await _run(platform, user, agent_id)
    assert server.authorizations[-1] == f"Bearer {TENANT_KEY}"
    assert execution["nodes"][0]["paid_by"] == {
        "payer": "tenant",
        "user_id": None,
        "key_id": None,
        "key_label": None,
        "key_hint": None,
    }


async def test_forbidding_personal_keys_makes_runs_use_the_tenants_key(
    platform: Platform, database_urls: DatabaseUrls, server: OpenAICompatibleServer
) -> None:
    admin = await create_tenant(platform, database_urls.admin_url)
    user = await _member(platform, admin)
    agent_id = await _agent(platform, database_urls, admin, server)
    key = await _add_key(platform, user)
    chosen = await platform.client.put(
        f"/api/v1/me/agents/{agent_id}/payer",
        json={"payer": "personal", "key_id": key["id"]},
        headers=user,
    )
    assert chosen.status_code == 200, chosen.text

    await _set_policy(platform, admin, False)
    policy = await platform.client.get("/api/v1/tenant/personal-keys", headers=admin.headers)
    assert policy.json() == {"allow_personal_keys": False}
    frames, execution = await _run(platform, user, agent_id)
    assert frames[-1]["data"]["status"] == "completed", frames[-1]
    assert server.authorizations[-1] == f"Bearer {TENANT_KEY}"
    assert execution["nodes"][0]["paid_by"]["payer"] == "tenant"
    refused = await platform.client.put(
        f"/api/v1/me/agents/{agent_id}/payer",
        json={"payer": "personal", "key_id": key["id"]},
        headers=user,
    )
    assert refused.status_code == 403
    assert refused.json()["detail"] == "your organisation does not allow personal model keys"
    listed = await platform.client.get("/api/v1/me/provider-keys", headers=user)
    assert listed.json()["allowed"] is False
    payer = await platform.client.get(f"/api/v1/me/agents/{agent_id}/payer", headers=user)
    assert payer.json()["allowed"] is False
    # Other settings of the tenant are left as they were.
    await _set_policy(platform, admin, True)
    _, execution = await _run(platform, user, agent_id)
    assert server.authorizations[-1] == f"Bearer {PERSONAL_KEY}"


async def test_a_key_of_another_kind_fails_the_node_clearly_and_at_once(
    platform: Platform, database_urls: DatabaseUrls, server: OpenAICompatibleServer
) -> None:
    admin = await create_tenant(platform, database_urls.admin_url)
    agent_id = await _agent(platform, database_urls, admin, server)
    key = await _add_key(platform, admin.headers, kind="anthropic")
    chosen = await platform.client.put(
        f"/api/v1/me/agents/{agent_id}/payer",
        json={"payer": "personal", "key_id": key["id"]},
        headers=admin.headers,
    )
    assert chosen.status_code == 200, chosen.text
    calls = server.calls
    frames, execution = await _run(platform, admin.headers, agent_id)
    assert frames[-1]["data"]["status"] == "failed"
    assert server.calls == calls  # refused before any call
    node = execution["nodes"][0]
    assert node["retry_count"] == 0
    assert "is for anthropic" in node["error_message"]


async def test_at_call_time_a_forbidden_or_deleted_key_is_not_used(
    platform: Platform, database_urls: DatabaseUrls, server: OpenAICompatibleServer
) -> None:
    # A run started while keys were allowed carries the key's id; the node checks again.
    admin = await create_tenant(platform, database_urls.admin_url)
    config_id = await add_service(
        platform.client, admin, base_url=server.base_url, api_key=TENANT_KEY
    )
    key = await _add_key(platform, admin.headers)
    ring = key_ring_from_settings(platform.settings)
    policy = OutboundPolicy.from_settings(platform.settings)
    targets = LlmTargets(platform.db, ring.open_credentials, policy, unseal=ring.decrypt)
    tenant = str(admin.tenant_id)

    paid = await targets.resolve_config(tenant, config_id, personal_key_id=key["id"])
    assert paid.api_key == PERSONAL_KEY and paid.paid_by["payer"] == "user"
    assert paid.personal_key_owner is not None
    await _set_policy(platform, admin, False)
    forbidden = await targets.resolve_config(tenant, config_id, personal_key_id=key["id"])
    assert forbidden.api_key == TENANT_KEY and forbidden.paid_by == {"payer": "tenant"}
    assert forbidden.personal_key_owner is None

    await _set_policy(platform, admin, True)
    await platform.client.delete(f"/api/v1/me/provider-keys/{key['id']}", headers=admin.headers)
    with pytest.raises(ApplicationError, match="no longer exists") as gone:
        await targets.resolve_config(tenant, config_id, personal_key_id=key["id"])
    assert gone.value.non_retryable and gone.value.type == PERSONAL_KEY_UNUSABLE
