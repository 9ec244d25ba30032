"""Tenant administration (platform admins), user administration (tenant admins), suspension.

Each test creates its own tenant through the platform API, so nothing here depends
on, or disturbs, the shared demo tenant.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
from pydantic import SecretStr

from agentpaas.runtime.postgres import DatabaseUrls
from agentpaas.seed import seed_platform_tenant
from platform_api.app import create_app
from platform_core.db import Database
from temporal_workflows.contracts import run_workflow_id
from tests.helpers import Platform, approval_agent, create_agent, parse_sse, wait_for_open_task

PLATFORM_ADMIN_PASSWORD = "Platform-admin-pass-42"
GOOD_PASSWORD = "Correct-horse-battery-7"


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def platform_admin(platform: Platform, database_urls: DatabaseUrls) -> dict[str, str]:
    """Headers of the platform tenant's admin (seeded here: the test settings seed none)."""
    settings = platform.settings.model_copy(
        update={"platform_admin_password": SecretStr(PLATFORM_ADMIN_PASSWORD)}
    )
    database = Database(database_urls.admin_url, connections=2)
    try:
        async with database.system_session() as session:
            await seed_platform_tenant(session, settings)
    finally:
        await database.dispose()
    response = await platform.client.post(
        "/api/auth/login-with-tenant",
        json={
            "email": platform.seeded.admin_email,
            "password": PLATFORM_ADMIN_PASSWORD,
            "tenant": settings.platform_tenant,
        },
    )
    assert response.status_code == 200, response.text
    return _auth(response.json()["access_token"])


async def new_tenant(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    *,
    admin_email: str | None = None,
    password: str = GOOD_PASSWORD,
    **extra: Any,
) -> dict[str, Any]:
    """A fresh tenant through the platform API; returns its body plus the admin's email."""
    name = f"t-{uuid.uuid4().hex[:10]}"
    email = admin_email or f"admin@{name}.example.com"
    body = {
        "name": name,
        "display_name": f"Tenant {name}",
        "plan": "pro",
        "admin": {"email": email, "password": password, "display_name": "First Admin"},
        **extra,
    }
    response = await client.post("/api/v1/platform/tenants", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return {**response.json(), "admin_email": email}


async def login_pair(
    client: httpx.AsyncClient, email: str, password: str = GOOD_PASSWORD
) -> dict[str, Any]:
    response = await client.post("/api/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_platform_admin_creates_a_tenant_whose_admin_creates_users(
    platform: Platform, database_urls: DatabaseUrls, admin_token: str
) -> None:
    client = platform.client
    padmin = await platform_admin(platform, database_urls)

    # Only platform admins reach the platform routes.
    assert (await client.get("/api/v1/platform/tenants")).status_code == 401
    refused = await client.get("/api/v1/platform/tenants", headers=_auth(admin_token))
    assert refused.status_code == 403
    assert refused.json()["type"].endswith("/forbidden")
    # Not even with the platform admin's own API key: that takes a person, logged in.
    key = await client.post(
        "/api/v1/api-keys", json={"name": "ops", "scopes": ["chat:read"]}, headers=padmin
    )
    by_key = await client.get("/api/v1/platform/tenants", headers=_auth(key.json()["key"]))
    assert by_key.status_code == 403

    # A weak first-admin password is refused and leaves nothing behind.
    name = f"t-{uuid.uuid4().hex[:10]}"
    email = f"admin@{name}.example.com"
    body: dict[str, Any] = {
        "name": name,
        "display_name": "Acme",
        "quotas": {"max_users": 3},
        "admin": {"email": email, "password": "short"},
    }
    weak = await client.post("/api/v1/platform/tenants", json=body, headers=padmin)
    assert weak.status_code == 422
    assert "at least 10 characters" in weak.json()["detail"]
    sneaky = {
        **body,
        "id": str(uuid.uuid4()),
        "admin": {**body["admin"], "password": GOOD_PASSWORD},
    }
    assert (
        await client.post("/api/v1/platform/tenants", json=sneaky, headers=padmin)
    ).status_code == 422
    listed = await client.get("/api/v1/platform/tenants?limit=200", headers=padmin)
    assert name not in {t["name"] for t in listed.json()["items"]}

    body["admin"] = {"email": email, "password": GOOD_PASSWORD}
    created = await client.post("/api/v1/platform/tenants", json=body, headers=padmin)
    assert created.status_code == 201, created.text
    tenant = created.json()
    assert tenant["status"] == "active" and tenant["quotas"]["max_users"] == 3
    again = await client.post("/api/v1/platform/tenants", json=body, headers=padmin)
    assert again.status_code == 409

    active = await client.get("/api/v1/platform/tenants?status=active&limit=200", headers=padmin)
    assert tenant["id"] in {t["id"] for t in active.json()["items"]}
    assert active.json()["total"] >= 3  # demo, platform, this one
    fetched = await client.get(f"/api/v1/platform/tenants/{tenant['id']}", headers=padmin)
    assert fetched.json()["name"] == name
    assert (
        await client.get(f"/api/v1/platform/tenants/{uuid.uuid4()}", headers=padmin)
    ).status_code == 404

    # The first admin logs in (the email is in one tenant only: a plain 200) and adds users.
    admin = _auth((await login_pair(client, email))["access_token"])
    users = []
    for role in ("developer", "viewer"):
        response = await client.post(
            "/api/v1/users",
            json={"email": f"{role}@{name}.example.com", "role": role, "password": GOOD_PASSWORD},
            headers=admin,
        )
        assert response.status_code == 201, response.text
        assert "password_hash" not in response.json()
        users.append(response.json())
    assert users[0]["role"] == "developer" and users[0]["status"] == "active"

    # Server-owned fields cannot be written.
    for extra in ({"tenant_id": str(platform.seeded.tenant_id)}, {"token_version": 9}):
        response = await client.post(
            "/api/v1/users",
            json={"email": f"x@{name}.example.com", "password": GOOD_PASSWORD, **extra},
            headers=admin,
        )
        assert response.status_code == 422, extra
    patch = await client.patch(
        f"/api/v1/users/{users[0]['id']}", json={"token_version": 0}, headers=admin
    )
    assert patch.status_code == 422

    # The fourth user exceeds max_users = 3: 429 with Retry-After, and no row is written.
    over = await client.post(
        "/api/v1/users",
        json={"email": f"fourth@{name}.example.com", "password": GOOD_PASSWORD},
        headers=admin,
    )
    assert over.status_code == 429
    assert int(over.headers["Retry-After"]) > 0
    assert over.json()["type"].endswith("/quota-exceeded")
    listing = await client.get("/api/v1/users", headers=admin)
    assert listing.json()["total"] == 3
    assert f"fourth@{name}.example.com" not in {u["email"] for u in listing.json()["items"]}
    found = await client.get("/api/v1/users?q=DEVELOPER", headers=admin)
    assert [u["email"] for u in found.json()["items"]] == [f"developer@{name}.example.com"]

    # Raising the limit lets the same request through.
    raised = await client.patch(
        f"/api/v1/platform/tenants/{tenant['id']}",
        json={"quotas": {"max_users": 4}, "plan": "enterprise"},
        headers=padmin,
    )
    assert raised.status_code == 200 and raised.json()["quotas"]["max_users"] == 4
    assert raised.json()["plan"] == "enterprise"
    fourth = await client.post(
        "/api/v1/users",
        json={"email": f"fourth@{name}.example.com", "password": GOOD_PASSWORD},
        headers=admin,
    )
    assert fourth.status_code == 201

    # Another tenant's user ids do not exist for this admin, nor this tenant's for the demo admin.
    assert (
        await client.get(f"/api/v1/users/{users[0]['id']}", headers=_auth(admin_token))
    ).status_code == 404
    demo_users = await client.get("/api/v1/users", headers=_auth(admin_token))
    demo_id = demo_users.json()["items"][0]["id"]
    assert (await client.get(f"/api/v1/users/{demo_id}", headers=admin)).status_code == 404
    # A developer is no user administrator.
    developer = _auth((await login_pair(client, f"developer@{name}.example.com"))["access_token"])
    assert (await client.get("/api/v1/users", headers=developer)).status_code == 403


async def test_suspending_a_user_kills_jwt_refresh_and_api_key_at_once(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    client = platform.client
    tenant = await new_tenant(client, await platform_admin(platform, database_urls))
    admin = _auth((await login_pair(client, tenant["admin_email"]))["access_token"])
    email = f"dev@{tenant['name']}.example.com"
    created = await client.post(
        "/api/v1/users",
        json={"email": email, "role": "developer", "password": GOOD_PASSWORD},
        headers=admin,
    )
    user_id = created.json()["id"]
    pair = await login_pair(client, email)
    access = _auth(pair["access_token"])
    key_response = await client.post(
        "/api/v1/api-keys", json={"name": "ci", "scopes": ["chat:read"]}, headers=access
    )
    assert key_response.status_code == 201, key_response.text
    key = _auth(key_response.json()["key"])
    assert (await client.get("/api/auth/me", headers=access)).status_code == 200
    assert (await client.get("/api/auth/me", headers=key)).status_code == 200

    suspended = await client.patch(
        f"/api/v1/users/{user_id}", json={"status": "suspended"}, headers=admin
    )
    assert suspended.status_code == 200 and suspended.json()["status"] == "suspended"
    assert (await client.get("/api/auth/me", headers=access)).status_code == 401
    assert (await client.get("/api/auth/me", headers=key)).status_code == 401
    refreshed = await client.post(
        "/api/auth/refresh", json={"refresh_token": pair["refresh_token"]}
    )
    assert refreshed.status_code == 401
    login = await client.post("/api/auth/login", json={"email": email, "password": GOOD_PASSWORD})
    assert login.status_code == 401

    # Back to active: the old JWT stays dead (token_version moved on); a new login works.
    await client.patch(f"/api/v1/users/{user_id}", json={"status": "active"}, headers=admin)
    assert (await client.get("/api/auth/me", headers=access)).status_code == 401
    fresh = _auth((await login_pair(client, email))["access_token"])
    me = await client.get("/api/auth/me", headers=fresh)
    assert me.status_code == 200 and me.json()["role"] == "developer"

    # A role change also ends the sessions: the token still claiming "developer" dies.
    demoted = await client.patch(f"/api/v1/users/{user_id}", json={"role": "viewer"}, headers=admin)
    assert demoted.json()["role"] == "viewer"
    assert (await client.get("/api/auth/me", headers=fresh)).status_code == 401
    # Deleting deactivates: history stays, credentials stop.
    assert (await client.delete(f"/api/v1/users/{user_id}", headers=admin)).status_code == 204
    detail = await client.get(f"/api/v1/users/{user_id}", headers=admin)
    assert detail.json()["status"] == "suspended"


async def test_the_last_active_admin_cannot_demote_or_suspend_themself(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    client = platform.client
    tenant = await new_tenant(client, await platform_admin(platform, database_urls))
    admin = _auth((await login_pair(client, tenant["admin_email"]))["access_token"])
    me = (await client.get("/api/auth/me", headers=admin)).json()
    for change in ({"role": "developer"}, {"status": "suspended"}):
        refused = await client.patch(f"/api/v1/users/{me['id']}", json=change, headers=admin)
        assert refused.status_code == 409, change
        assert "last active admin" in refused.json()["detail"]
    assert (await client.delete(f"/api/v1/users/{me['id']}", headers=admin)).status_code == 409
    assert (await client.get("/api/auth/me", headers=admin)).json()["role"] == "admin"

    second = await client.post(
        "/api/v1/users",
        json={
            "email": f"second@{tenant['name']}.example.com",
            "role": "admin",
            "password": GOOD_PASSWORD,
        },
        headers=admin,
    )
    assert second.status_code == 201
    stepped_down = await client.patch(
        f"/api/v1/users/{me['id']}", json={"role": "developer"}, headers=admin
    )
    assert stepped_down.status_code == 200
    assert (await client.get("/api/auth/me", headers=admin)).status_code == 401
    # Now the second admin is the last one.
    other = _auth(
        (await login_pair(client, f"second@{tenant['name']}.example.com"))["access_token"]
    )
    assert (
        await client.patch(
            f"/api/v1/users/{second.json()['id']}", json={"role": "user"}, headers=other
        )
    ).status_code == 409


async def test_password_policy_and_changing_a_password(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    client = platform.client
    tenant = await new_tenant(client, await platform_admin(platform, database_urls))
    admin = _auth((await login_pair(client, tenant["admin_email"]))["access_token"])
    email = f"pat@{tenant['name']}.example.com"
    weak = {
        "Short-1": "at least 10 characters",
        "abcdefghijkl": "two kinds of characters",
        email: "must not be the email",
        "Password123": "too common",
        "é" * 40: "at most 72 bytes",
    }
    for password, message in weak.items():
        response = await client.post(
            "/api/v1/users", json={"email": email, "password": password}, headers=admin
        )
        assert response.status_code == 422, password
        body = response.json()
        assert message in body["detail"], (password, body)
        assert body["errors"][0]["path"] == "/body/password"
    created = await client.post(
        "/api/v1/users", json={"email": email, "password": GOOD_PASSWORD}, headers=admin
    )
    assert created.status_code == 201

    pair = await login_pair(client, email)
    access = _auth(pair["access_token"])
    wrong = await client.post(
        "/api/auth/password",
        json={"current_password": "not-my-password-1", "new_password": "Brand-new-secret-9"},
        headers=access,
    )
    assert wrong.status_code == 403
    too_weak = await client.post(
        "/api/auth/password",
        json={"current_password": GOOD_PASSWORD, "new_password": "qwertyuiop"},
        headers=access,
    )
    assert too_weak.status_code == 422
    assert too_weak.json()["errors"][0]["path"] == "/body/new_password"
    key = await client.post(
        "/api/v1/api-keys", json={"name": "k", "scopes": ["chat:read"]}, headers=access
    )
    by_key = await client.post(
        "/api/auth/password",
        json={"current_password": GOOD_PASSWORD, "new_password": "Brand-new-secret-9"},
        headers=_auth(key.json()["key"]),
    )
    assert by_key.status_code == 403

    changed = await client.post(
        "/api/auth/password",
        json={"current_password": GOOD_PASSWORD, "new_password": "Brand-new-secret-9"},
        headers=access,
    )
    assert changed.status_code == 200, changed.text
    assert (await client.get("/api/auth/me", headers=access)).status_code == 401
    assert (
        await client.post("/api/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    ).status_code == 401
    new_access = _auth(changed.json()["access_token"])
    assert (await client.get("/api/auth/me", headers=new_access)).status_code == 200
    old = await client.post("/api/auth/login", json={"email": email, "password": GOOD_PASSWORD})
    assert old.status_code == 401
    await login_pair(client, email, "Brand-new-secret-9")


async def test_an_email_in_two_tenants_chooses_its_tenant(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    client = platform.client
    padmin = await platform_admin(platform, database_urls)
    email = f"shared-{uuid.uuid4().hex[:8]}@example.com"
    first = await new_tenant(client, padmin, admin_email=email)
    second = await new_tenant(client, padmin, admin_email=email)

    response = await client.post(
        "/api/auth/login", json={"email": email, "password": GOOD_PASSWORD}
    )
    assert response.status_code == 202
    body = response.json()
    assert "access_token" not in body and "refresh_token" not in body
    assert {t["name"] for t in body["tenants"]} == {first["name"], second["name"]}
    assert {t["tenant_id"] for t in body["tenants"]} == {first["id"], second["id"]}

    for tenant, choice in ((first, first["name"]), (second, second["id"])):
        chosen = await client.post(
            "/api/auth/login-with-tenant",
            json={"email": email, "password": GOOD_PASSWORD, "tenant": choice},
        )
        assert chosen.status_code == 200, chosen.text
        assert chosen.json()["tenant_id"] == tenant["id"]
        me = await client.get("/api/auth/me", headers=_auth(chosen.json()["access_token"]))
        assert me.json()["tenant_name"] == tenant["name"]

    wrong = {"email": email, "password": "Wrong-password-0"}
    assert (await client.post("/api/auth/login", json=wrong)).status_code == 401
    with_tenant = {**wrong, "tenant": first["name"]}
    assert (await client.post("/api/auth/login-with-tenant", json=with_tenant)).status_code == 401

    # A suspended tenant drops out of the choice; the other one logs in directly.
    await client.patch(
        f"/api/v1/platform/tenants/{second['id']}", json={"status": "suspended"}, headers=padmin
    )
    direct = await client.post("/api/auth/login", json={"email": email, "password": GOOD_PASSWORD})
    assert direct.status_code == 200 and direct.json()["tenant_id"] == first["id"]


async def test_suspending_a_tenant_refuses_its_keys_and_ends_open_streams(
    platform: Platform, database_urls: DatabaseUrls, temporal_client: Any
) -> None:
    padmin = await platform_admin(platform, database_urls)
    tenant = await new_tenant(platform.client, padmin)
    pair = await login_pair(platform.client, tenant["admin_email"])
    admin = _auth(pair["access_token"])
    key_body = {"name": "bot", "scopes": ["chat:read", "chat:write", "review:complete"]}
    key = _auth(
        (await platform.client.post("/api/v1/api-keys", json=key_body, headers=admin)).json()["key"]
    )
    agent_id = await create_agent(database_urls.admin_url, tenant["id"], approval_agent())

    # Its own app instance re-checks standing every 0.3 s (the default is 20 s).
    settings = platform.settings.model_copy(update={"stream_standing_check_seconds": 0.3})
    app = create_app(
        settings,
        database_url=database_urls.app_url,
        temporal_address=temporal_client.service_client.config.target_host,
        temporal_client=temporal_client,
        ui_dist=None,
    )
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            stream = asyncio.create_task(
                client.post(
                    "/api/v1/chat/completions",
                    json={"agent_id": agent_id, "message": "ship it"},
                    headers=key,
                    timeout=60,
                )
            )
            task = await wait_for_open_task(client, pair["access_token"], agent_id=agent_id)
            assert not stream.done()  # the run waits for a person: the stream stays open

            suspended = await client.patch(
                f"/api/v1/platform/tenants/{tenant['id']}",
                json={"status": "suspended"},
                headers=padmin,
            )
            assert suspended.status_code == 200 and suspended.json()["status"] == "suspended"
            response = await asyncio.wait_for(stream, timeout=15)
            frames = parse_sse(response.text)
            assert frames[-1]["event"] == "error"
            assert "tenant is no longer active" in str(frames[-1]["data"])

            assert (await client.get("/api/auth/me", headers=key)).status_code == 401
            assert (await client.get("/api/auth/me", headers=admin)).status_code == 401
            login = await client.post(
                "/api/auth/login", json={"email": tenant["admin_email"], "password": GOOD_PASSWORD}
            )
            assert login.status_code == 401
            refresh = await client.post(
                "/api/auth/refresh", json={"refresh_token": pair["refresh_token"]}
            )
            assert refresh.status_code == 401

            # Soft delete: the tenant stays listed as deleted; reactivation restores the key.
            assert (
                await client.delete(f"/api/v1/platform/tenants/{tenant['id']}", headers=padmin)
            ).status_code == 204
            deleted = await client.get(
                "/api/v1/platform/tenants?status=deleted&limit=200", headers=padmin
            )
            assert tenant["id"] in {t["id"] for t in deleted.json()["items"]}
            await client.patch(
                f"/api/v1/platform/tenants/{tenant['id']}",
                json={"status": "active"},
                headers=padmin,
            )
            assert (await client.get("/api/auth/me", headers=key)).status_code == 200
            execution_id = str(task["execution_id"])
    finally:
        await app.state.services.database.dispose()
    await temporal_client.get_workflow_handle(run_workflow_id(execution_id)).terminate()


async def test_the_platform_tenant_cannot_be_suspended(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    padmin = await platform_admin(platform, database_urls)
    me = await platform.client.get("/api/auth/me", headers=padmin)
    assert me.json()["tenant_name"] == platform.settings.platform_tenant
    response = await platform.client.patch(
        f"/api/v1/platform/tenants/{me.json()['tenant_id']}",
        json={"status": "suspended"},
        headers=padmin,
    )
    assert response.status_code == 409


async def test_concurrent_creations_never_pass_the_users_quota(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    client = platform.client
    tenant = await new_tenant(
        client, await platform_admin(platform, database_urls), quotas={"max_users": 3}
    )
    admin = _auth((await login_pair(client, tenant["admin_email"]))["access_token"])

    async def create(i: int) -> int:
        response = await client.post(
            "/api/v1/users",
            json={"email": f"u{i}@{tenant['name']}.example.com", "password": GOOD_PASSWORD},
            headers=admin,
        )
        return response.status_code

    # One seat is the admin's; six requests race for the two left.
    statuses = await asyncio.gather(*(create(i) for i in range(6)))
    assert sorted(statuses) == [201, 201, 429, 429, 429, 429]
    listing = await client.get("/api/v1/users", headers=admin)
    assert listing.json()["total"] == 3
