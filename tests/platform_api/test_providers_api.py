"""Providers and service configs: admin-only CRUD, write-only keys, tenant isolation, rotation."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from agentpaas.cli import run_rewrap_credentials
from agentpaas.runtime.postgres import DatabaseUrls, ensure_database
from migrations import runner
from platform_api.providers.service import rewrap_credentials
from platform_core.crypto import (
    KeyRing,
    credentials_associated_data,
    key_ring_from_settings,
)
from platform_core.db import Database, with_database
from platform_core.models import Provider, ServiceConfig, Tenant
from platform_core.settings import Settings
from tests.helpers import Platform, login
from tests.llm_helpers import create_tenant

SECRET = "sk-live-" + uuid.uuid4().hex + "Qq"
SECOND_SECRET = "sk-live-" + uuid.uuid4().hex + "Ww"


async def test_admins_manage_providers_and_keys_are_write_only(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    client = platform.client
    admin = await create_tenant(platform, database_urls.admin_url)
    bodies: list[str] = []

    missing_url = await client.post(
        "/api/v1/providers",
        json={"provider_name": "vllm", "kind": "openai_compatible"},
        headers=admin.headers,
    )
    assert missing_url.status_code == 422, missing_url.text
    with_credentials = await client.post(
        "/api/v1/providers",
        json={"provider_name": "x", "kind": "openai", "base_url": "https://u:p@example.com"},
        headers=admin.headers,
    )
    assert with_credentials.status_code == 422
    created = await client.post(
        "/api/v1/providers",
        json={
            "provider_name": "vllm",
            "kind": "openai_compatible",
            "base_url": "http://vllm.internal:8000/v1/",
            "display_name": "Our vLLM",
        },
        headers=admin.headers,
    )
    assert created.status_code == 201, created.text
    provider = created.json()
    assert provider["base_url"] == "http://vllm.internal:8000/v1"
    assert provider["kind"] == "openai_compatible"
    duplicate = await client.post(
        "/api/v1/providers",
        json={"provider_name": "vllm", "kind": "openai", "base_url": None},
        headers=admin.headers,
    )
    assert duplicate.status_code == 409

    config = await client.post(
        "/api/v1/service-configs",
        json={
            "provider_id": provider["provider_id"],
            "service_name": "main",
            "model": "qwen2.5-7b",
            "api_key": SECRET,
            "params": {"temperature": 0.2},
            "is_default": True,
        },
        headers=admin.headers,
    )
    assert config.status_code == 201, config.text
    bodies.append(config.text)
    public = config.json()
    assert public["has_credentials"] is True
    assert public["credentials_hint"] == f"{SECRET[:3]}…{SECRET[-4:]}"
    assert "api_key" not in public and "credentials" not in public
    assert public["params"] == {"temperature": 0.2} and public["is_default"] is True
    config_id = public["config_id"]

    bad_params = await client.post(
        "/api/v1/service-configs",
        json={
            "provider_id": provider["provider_id"],
            "service_name": "bad",
            "model": "m",
            "api_key": SECRET,
            "params": {"api_key": SECRET},
        },
        headers=admin.headers,
    )
    assert bad_params.status_code == 422
    bodies.append(bad_params.text)

    second = await client.post(
        "/api/v1/service-configs",
        json={
            "provider_id": provider["provider_id"],
            "service_name": "second",
            "model": "llama3",
            "is_default": True,
        },
        headers=admin.headers,
    )
    assert second.status_code == 201 and second.json()["has_credentials"] is False
    listed = await client.get("/api/v1/service-configs", headers=admin.headers)
    bodies.append(listed.text)
    defaults = [c["service_name"] for c in listed.json()["items"] if c["is_default"]]
    assert defaults == ["second"]  # one default per tenant

    patched = await client.patch(
        f"/api/v1/service-configs/{config_id}",
        json={"api_key": SECOND_SECRET, "model": "qwen2.5-14b"},
        headers=admin.headers,
    )
    assert patched.status_code == 200, patched.text
    bodies.append(patched.text)
    assert patched.json()["credentials_hint"] == f"{SECOND_SECRET[:3]}…{SECOND_SECRET[-4:]}"
    assert patched.json()["model"] == "qwen2.5-14b"
    fetched = await client.get(f"/api/v1/service-configs/{config_id}", headers=admin.headers)
    bodies.append(fetched.text)

    # Stored sealed: the envelope names the current key and opens only for this row.
    async with platform.db.tenant_session(admin.tenant_id) as session:
        row = await session.get(ServiceConfig, config_id)
    assert row is not None and row.credentials is not None
    ring = key_ring_from_settings(platform.settings)
    assert row.credentials.startswith(f"v1.{ring.current.key_id}.")
    assert SECOND_SECRET not in row.credentials
    ad = credentials_associated_data(admin.tenant_id, config_id)
    assert ring.decrypt(row.credentials, associated_data=ad) == SECOND_SECRET

    cleared = await client.patch(
        f"/api/v1/service-configs/{config_id}",
        json={"clear_api_key": True},
        headers=admin.headers,
    )
    assert cleared.json()["has_credentials"] is False
    assert cleared.json()["credentials_hint"] is None

    for body in bodies:
        assert SECRET not in body and SECOND_SECRET not in body


async def test_only_admins_of_the_tenant_see_providers(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    client = platform.client
    owner = await create_tenant(platform, database_urls.admin_url)
    stranger = await create_tenant(platform, database_urls.admin_url)
    provider = await client.post(
        "/api/v1/providers",
        json={"provider_name": "openai", "kind": "openai"},
        headers=owner.headers,
    )
    provider_id = provider.json()["provider_id"]
    config = await client.post(
        "/api/v1/service-configs",
        json={"provider_id": provider_id, "service_name": "gpt", "model": "gpt-4o-mini"},
        headers=owner.headers,
    )
    config_id = config.json()["config_id"]

    for path in (f"/api/v1/providers/{provider_id}", f"/api/v1/service-configs/{config_id}"):
        assert (await client.get(path, headers=stranger.headers)).status_code == 404
        assert (await client.delete(path, headers=stranger.headers)).status_code == 404
        assert (await client.get(path)).status_code == 401
    assert (await client.get("/api/v1/providers", headers=stranger.headers)).json()["total"] == 0
    foreign_provider = await client.post(
        "/api/v1/service-configs",
        json={"provider_id": provider_id, "service_name": "steal", "model": "m"},
        headers=stranger.headers,
    )
    assert foreign_provider.status_code == 404
    huge = await client.get("/api/v1/providers/99999999999", headers=owner.headers)
    assert huge.status_code == 422

    user_token = await login(client, "user@" + platform.seeded.admin_email.split("@", 1)[1])
    for method, path in (("GET", "/api/v1/providers"), ("GET", "/api/v1/service-configs")):
        denied = await client.request(
            method, path, headers={"Authorization": f"Bearer {user_token}"}
        )
        assert denied.status_code == 403

    deleted = await client.delete(f"/api/v1/providers/{provider_id}", headers=owner.headers)
    assert deleted.status_code == 204
    gone = await client.get(f"/api/v1/service-configs/{config_id}", headers=owner.headers)
    assert gone.status_code == 404  # configs go with their provider


async def test_rotation_rewraps_every_credential_of_the_tenant(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    client = platform.client
    admin = await create_tenant(platform, database_urls.admin_url)
    provider = await client.post(
        "/api/v1/providers",
        json={"provider_name": "anthropic", "kind": "anthropic"},
        headers=admin.headers,
    )
    ids = []
    for index in range(3):
        created = await client.post(
            "/api/v1/service-configs",
            json={
                "provider_id": provider.json()["provider_id"],
                "service_name": f"claude-{index}",
                "model": "claude-3-5-haiku-latest",
                "api_key": f"{SECRET}-{index}",
            },
            headers=admin.headers,
        )
        ids.append(created.json()["config_id"])
    old_hex = platform.settings.master_key.get_secret_value()
    new_hex = uuid.uuid4().hex + uuid.uuid4().hex
    rotating = KeyRing.from_hex(new_hex, [old_hex])
    # Only this tenant's rows (RLS): other tests keep using the session's key.
    async with platform.db.tenant_session(admin.tenant_id) as session:
        assert await rewrap_credentials(session=session, ring=rotating) == 3
    async with platform.db.tenant_session(admin.tenant_id) as session:
        assert await rewrap_credentials(session=session, ring=rotating) == 0  # idempotent
        rows = (
            (await session.execute(select(ServiceConfig).where(ServiceConfig.config_id.in_(ids))))  # type: ignore[union-attr]
            .scalars()
            .all()
        )
    new_only = KeyRing.from_hex(new_hex)
    for row in rows:
        assert row.credentials is not None and row.config_id is not None
        assert row.credentials.split(".")[1] == new_only.current.key_id
        opened = new_only.decrypt(
            row.credentials,
            associated_data=credentials_associated_data(admin.tenant_id, row.config_id),
        )
        assert opened == f"{SECRET}-{ids.index(row.config_id)}"


async def test_the_rewrap_command_reseals_every_tenant_after_a_rotation(
    pg_server_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Its own database: the command re-seals every tenant's rows, which the other tests'
    # worker (on the session's master key) must keep reading.
    await ensure_database(pg_server_url, "rewrap_cli")
    url = with_database(pg_server_url, "rewrap_cli")
    await asyncio.to_thread(runner.upgrade, url)
    old_hex, new_hex = uuid.uuid4().hex, uuid.uuid4().hex + uuid.uuid4().hex
    old_ring = KeyRing.from_hex(old_hex)
    sealed: dict[int, tuple[uuid.UUID, str]] = {}
    database = Database(url, connections=2)
    try:
        async with database.system_session() as session:
            for name in ("one", "two"):
                tenant = Tenant(name=f"rewrap-{name}", display_name=name)
                session.add(tenant)
                await session.flush()
                provider = Provider(
                    tenant_id=tenant.id, provider_name="p", display_name="p", kind="openai"
                )
                session.add(provider)
                await session.flush()
                assert provider.provider_id is not None
                config = ServiceConfig(
                    tenant_id=tenant.id,
                    provider_id=provider.provider_id,
                    service_name="s",
                    service_display_name="s",
                )
                session.add(config)
                await session.flush()
                assert config.config_id is not None
                secret = f"sk-{name}-{uuid.uuid4().hex}"
                config.credentials = old_ring.encrypt(
                    secret,
                    associated_data=credentials_associated_data(tenant.id, config.config_id),
                )
                sealed[config.config_id] = (tenant.id, secret)
        settings = Settings(
            database_admin_url=url,
            master_key=SecretStr(new_hex),
            previous_master_keys=SecretStr(f"{old_hex}, "),
        )
        await run_rewrap_credentials(settings)
        new_only = KeyRing.from_hex(new_hex)
        assert f"re-wrapped 2 credential(s) under master key {new_only.current.key_id}" in (
            capsys.readouterr().out
        )
        async with database.system_session() as session:
            rows = (await session.execute(select(ServiceConfig))).scalars().all()
        assert len(rows) == 2
        for row in rows:
            assert row.config_id is not None and row.credentials is not None
            tenant_id, secret = sealed[row.config_id]
            ad = credentials_associated_data(tenant_id, row.config_id)
            assert new_only.decrypt(row.credentials, associated_data=ad) == secret
    finally:
        await database.dispose()
