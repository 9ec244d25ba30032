"""Sign-in with a tenant's OpenID Connect provider, end to end against a real local
provider (``tests/oidc_provider.py``: discovery, JWKS, RS256 ID tokens, PKCE, one-use
codes): the admin configures it, a person signs in, is created just in time with the
role the provider's claims map to, and uses the API with our own tokens. Each attack
is refused by a test of its own: a wrong ``aud``, a wrong ``nonce``, an expired ID
token, a replayed code or state, a callback in another browser, a domain not allowed,
a mismatched ``azp``; and password login is refused once the tenant switches it off.
The client secret appears in no response and no log line."""

from __future__ import annotations

import asyncio
import io
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import asyncpg
import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from agentpaas.logging_setup import JsonFormatter, RequestContextFilter
from agentpaas.runtime.postgres import DatabaseUrls
from platform_api.auth import oidc_settings
from platform_core.crypto import KeyRing, MasterKey, key_ring_from_settings
from platform_core.db import to_plain_url
from platform_core.models import IdentityProvider
from tests.helpers import DEMO_PASSWORD, Platform, fresh_tenant_admin_token, serve_asgi
from tests.oidc_provider import LocalOidcProvider
from tests.openai_server import free_port

CLIENT_ID = "agentpaas-tests"
CLIENT_SECRET = "oidc-client-secret-" + uuid.uuid4().hex
DOMAIN = "corp.example"


@dataclass
class OidcTenant:
    """A tenant of its own with the local provider configured."""

    name: str
    tenant_id: uuid.UUID
    admin_email: str
    headers: dict[str, str]


def _browser(platform: Platform) -> httpx.AsyncClient:
    """A fresh "browser" on the platform (its own cookie jar)."""
    transport = platform.client._transport
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


@pytest.fixture(scope="module")
async def idp() -> AsyncIterator[LocalOidcProvider]:
    provider = LocalOidcProvider(CLIENT_ID, CLIENT_SECRET)
    port = free_port()
    provider.issuer = f"http://127.0.0.1:{port}"
    provider.people[f"builder@{DOMAIN}"] = {"groups": ["staff", "agent-builders"]}
    async with serve_asgi(provider.app, port=port):
        yield provider


def _settings(idp: LocalOidcProvider, **changes: object) -> dict[str, object]:
    return {
        "issuer": idp.issuer,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "allowed_domains": [DOMAIN.upper()],
        "role_claim": "groups",
        "role_mapping": {"agent-builders": "developer", "staff": "user"},
        "default_role": "viewer",
        **changes,
    }


@pytest.fixture(scope="module")
async def tenant(
    platform: Platform, database_urls: DatabaseUrls, idp: LocalOidcProvider
) -> OidcTenant:
    token = await fresh_tenant_admin_token(platform, database_urls.admin_url, prefix="oidc")
    headers = {"Authorization": f"Bearer {token}"}
    me = (await platform.client.get("/api/auth/me", headers=headers)).json()
    put = await platform.client.put(
        "/api/v1/tenant/identity-provider", json=_settings(idp), headers=headers
    )
    assert put.status_code == 200, put.text
    return OidcTenant(me["tenant_name"], uuid.UUID(me["tenant_id"]), me["email"], headers)


async def _authorize(idp: LocalOidcProvider, url: str, email: str) -> dict[str, str]:
    """Play the person at the provider: submit their e-mail, get the redirect back."""
    assert url.startswith(f"{idp.issuer}/authorize?")
    async with httpx.AsyncClient() as browser:
        answer = await browser.post(url, data={"email": email})
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == "http://testserver/auth/oidc/callback"
    return {k: v[0] for k, v in parse_qs(back.query).items()}


async def _sign_in(
    platform: Platform, idp: LocalOidcProvider, tenant: str, email: str
) -> tuple[httpx.Response, dict[str, str]]:
    """Start, authorize, call back (one browser); the callback answer and what it sent."""
    async with _browser(platform) as browser:
        started = await browser.post(f"/api/auth/oidc/{tenant}/start")
        assert started.status_code == 200, started.text
        returned = await _authorize(idp, started.json()["authorization_url"], email)
        answer = await browser.post("/api/auth/oidc/callback", json=returned)
    return answer, returned


async def _user_count(database_urls: DatabaseUrls, email: str) -> int:
    conn = await asyncpg.connect(to_plain_url(database_urls.admin_url))
    try:
        return int(await conn.fetchval("SELECT count(*) FROM users WHERE email = $1", email))
    finally:
        await conn.close()


async def test_the_admin_configures_a_provider_and_its_secret_stays_sealed(
    platform: Platform, database_urls: DatabaseUrls, tenant: OidcTenant, idp: LocalOidcProvider
) -> None:
    client = platform.client
    shown = await client.get("/api/v1/tenant/identity-provider", headers=tenant.headers)
    assert shown.status_code == 200
    body = shown.json()
    assert body["issuer"] == idp.issuer and body["allowed_domains"] == [DOMAIN]
    assert body["redirect_uri"] == "http://testserver/auth/oidc/callback"
    assert body["client_secret_hint"] == CLIENT_SECRET[:3] + "…" + CLIENT_SECRET[-4:]
    assert "client_secret" not in body
    # A PUT without a secret keeps the stored one (the sign-in test below uses it).
    kept = await client.put(
        "/api/v1/tenant/identity-provider",
        json={k: v for k, v in _settings(idp).items() if k != "client_secret"},
        headers=tenant.headers,
    )
    assert (
        kept.status_code == 200 and kept.json()["client_secret_hint"] == body["client_secret_hint"]
    )
    conn = await asyncpg.connect(to_plain_url(database_urls.admin_url))
    try:
        stored = await conn.fetchval(
            "SELECT p.client_secret FROM identity_providers p JOIN tenants t "
            "ON t.id = p.tenant_id WHERE t.name = $1",
            tenant.name,
        )
    finally:
        await conn.close()
    assert stored.startswith("v1.") and CLIENT_SECRET not in stored
    # An issuer inside the network is refused unless the operator allow-lists it.
    inward = await client.put(
        "/api/v1/tenant/identity-provider",
        json=_settings(idp, issuer="http://10.1.2.3/realms/x"),
        headers=tenant.headers,
    )
    assert inward.status_code == 422 and "private address" in inward.text
    unknown = await client.post("/api/auth/oidc/no-such-tenant-here/start")
    assert unknown.status_code == 404
    # A provider that does not answer: the sign-in cannot start (503, try again later).
    silent = await client.put(
        "/api/v1/tenant/identity-provider",
        json=_settings(idp, issuer=f"http://127.0.0.1:{free_port()}"),
        headers=tenant.headers,
    )
    assert silent.status_code == 200
    try:
        down = await client.post(f"/api/auth/oidc/{tenant.name}/start")
        assert down.status_code == 503 and down.headers["Retry-After"] == "30"
        assert "did not answer" in down.json()["detail"]
    finally:
        restored = await client.put(
            "/api/v1/tenant/identity-provider", json=_settings(idp), headers=tenant.headers
        )
        assert restored.status_code == 200


async def test_a_person_signs_in_is_created_with_the_mapped_role_and_uses_the_api(
    platform: Platform,
    database_urls: DatabaseUrls,
    tenant: OidcTenant,
    idp: LocalOidcProvider,
) -> None:
    email = f"builder@{DOMAIN}"
    answer, _ = await _sign_in(platform, idp, tenant.name, email)
    assert answer.status_code == 200, answer.text
    pair = answer.json()
    assert pair["role"] == "developer"  # "agent-builders" outranks "staff"
    headers = {"Authorization": f"Bearer {pair['access_token']}"}
    me = await platform.client.get("/api/auth/me", headers=headers)
    assert me.status_code == 200
    assert me.json()["email"] == email and me.json()["tenant_name"] == tenant.name
    agents = await platform.client.get("/api/v1/developer/agents", headers=headers)
    assert agents.status_code == 200, agents.text  # a developer's route
    refreshed = await platform.client.post(
        "/api/auth/refresh", json={"refresh_token": pair["refresh_token"]}
    )
    assert refreshed.status_code == 200
    # The code was exchanged with PKCE and the sealed secret (basic auth), as the provider saw.
    exchange = idp.token_requests[-1]
    assert exchange["grant_type"] == "authorization_code" and len(exchange["code_verifier"]) >= 43
    # The same person again: the same account, not a second one.
    again, _ = await _sign_in(platform, idp, tenant.name, email)
    assert again.status_code == 200
    assert await _user_count(database_urls, email) == 1
    # Each company sign-in is in the tenant's audit log, with the person as its actor.
    me_id = me.json()["id"]
    for _ in range(50):  # the audit entry is written just after the response
        signed_in = await platform.client.get(
            "/api/v1/audit-logs",
            params={"action": "POST /api/auth/oidc/callback", "actor_id": me_id},
            headers=tenant.headers,
        )
        if signed_in.json()["total"] >= 2:
            break
        await asyncio.sleep(0.1)
    assert signed_in.json()["total"] == 2, signed_in.text
    # No mapped claim: the default role. And the account has no usable password.
    plain = f"plain-{uuid.uuid4().hex[:6]}@{DOMAIN}"
    answer, _ = await _sign_in(platform, idp, tenant.name, plain)
    assert answer.status_code == 200 and answer.json()["role"] == "viewer"
    password = await platform.client.post(
        "/api/auth/login", json={"email": plain, "password": DEMO_PASSWORD}
    )
    assert password.status_code == 401


@pytest.mark.parametrize(
    ("claims", "detail"),
    [
        ({"aud": "someone-else"}, "another client"),
        ({"nonce": "not-the-one-we-sent"}, "nonce"),
        ({"nonce": None}, "nonce"),
        ({"exp": int(time.time()) - 120, "iat": int(time.time()) - 900}, "expired"),
        ({"iss": "http://127.0.0.1:1/evil"}, "another issuer"),
        ({"aud": [CLIENT_ID, "someone-else"], "azp": "someone-else"}, "azp"),
        ({"email_verified": False}, "not verified"),
    ],
)
async def test_a_tampered_id_token_is_refused(
    platform: Platform,
    database_urls: DatabaseUrls,
    tenant: OidcTenant,
    idp: LocalOidcProvider,
    claims: dict[str, object],
    detail: str,
) -> None:
    email = f"tampered-{uuid.uuid4().hex[:6]}@{DOMAIN}"
    idp.tamper(**claims)
    answer, _ = await _sign_in(platform, idp, tenant.name, email)
    assert answer.status_code in (401, 403), answer.text
    assert detail in answer.json()["detail"]
    assert "access_token" not in answer.text
    assert await _user_count(database_urls, email) == 0


@pytest.mark.parametrize(
    ("signer", "detail"),
    [
        # A key the provider does not publish, under the published key's id.
        (
            lambda: (rsa.generate_private_key(public_exponent=65537, key_size=2048), "RS256"),
            "signature",
        ),
        # Signed with the client secret (HS256): an attacker who learnt it must not mint tokens.
        (lambda: (CLIENT_SECRET.encode() * 2, "HS256"), "accepted algorithm"),
    ],
)
async def test_an_id_token_not_signed_by_the_providers_key_is_refused(
    platform: Platform,
    database_urls: DatabaseUrls,
    tenant: OidcTenant,
    idp: LocalOidcProvider,
    signer: Callable[[], tuple[object, str]],
    detail: str,
) -> None:
    email = f"forged-{uuid.uuid4().hex[:6]}@{DOMAIN}"
    idp.forge(*signer())
    answer, _ = await _sign_in(platform, idp, tenant.name, email)
    assert answer.status_code == 401, answer.text
    assert detail in answer.json()["detail"]
    assert await _user_count(database_urls, email) == 0


async def test_a_replayed_code_or_state_is_refused(
    platform: Platform, tenant: OidcTenant, idp: LocalOidcProvider
) -> None:
    email = f"replay-{uuid.uuid4().hex[:6]}@{DOMAIN}"
    async with _browser(platform) as browser:
        started = await browser.post(f"/api/auth/oidc/{tenant.name}/start")
        cookie = browser.cookies["agentpaas_oidc"]
        returned = await _authorize(idp, started.json()["authorization_url"], email)
        first = await browser.post("/api/auth/oidc/callback", json=returned)
        assert first.status_code == 200, first.text
        # The same answer again (cookie put back): our state is spent.
        browser.cookies.set("agentpaas_oidc", cookie, path="/api/auth/oidc")
        replay = await browser.post("/api/auth/oidc/callback", json=returned)
    assert replay.status_code == 401 and "already completed" in replay.json()["detail"]
    # The old code under a fresh state: the provider refuses the spent code.
    async with _browser(platform) as browser:
        started = await browser.post(f"/api/auth/oidc/{tenant.name}/start")
        state = parse_qs(urlsplit(started.json()["authorization_url"]).query)["state"][0]
        stale = await browser.post(
            "/api/auth/oidc/callback", json={"code": returned["code"], "state": state}
        )
    assert stale.status_code == 401
    assert "refused the authorization code (invalid_grant)" in stale.json()["detail"]


async def test_a_callback_in_another_browser_is_refused(
    platform: Platform, tenant: OidcTenant, idp: LocalOidcProvider
) -> None:
    # Login CSRF: an attacker's own code and state, delivered to the victim's browser.
    async with _browser(platform) as attacker:
        started = await attacker.post(f"/api/auth/oidc/{tenant.name}/start")
        returned = await _authorize(idp, started.json()["authorization_url"], f"mallory@{DOMAIN}")
    async with _browser(platform) as victim:
        answer = await victim.post("/api/auth/oidc/callback", json=returned)
    assert answer.status_code == 401
    assert "not started in this browser" in answer.json()["detail"]


async def test_a_domain_not_allowed_is_refused(
    platform: Platform, database_urls: DatabaseUrls, tenant: OidcTenant, idp: LocalOidcProvider
) -> None:
    email = f"someone-{uuid.uuid4().hex[:6]}@elsewhere.example"
    answer, _ = await _sign_in(platform, idp, tenant.name, email)
    assert answer.status_code == 403
    assert "elsewhere.example may not sign in" in answer.json()["detail"]
    assert await _user_count(database_urls, email) == 0


async def test_password_login_is_refused_once_the_tenant_switches_it_off(
    platform: Platform, tenant: OidcTenant, idp: LocalOidcProvider
) -> None:
    client = platform.client
    credentials = {"email": tenant.admin_email, "password": DEMO_PASSWORD}
    off = await client.put(
        "/api/v1/tenant/identity-provider",
        json=_settings(idp, local_login_enabled=False),
        headers=tenant.headers,
    )
    assert off.status_code == 200 and off.json()["local_login_enabled"] is False
    try:
        refused = await client.post("/api/auth/login", json=credentials)
        assert refused.status_code == 403
        assert "password login is off" in refused.json()["detail"]
        # The provider still signs people in.
        answer, _ = await _sign_in(platform, idp, tenant.name, f"builder@{DOMAIN}")
        assert answer.status_code == 200
        # Other tenants' password logins are untouched.
        demo = await client.post(
            "/api/auth/login",
            json={"email": platform.seeded.admin_email, "password": DEMO_PASSWORD},
        )
        assert demo.status_code == 200
        # Switching password login off with the provider disabled would lock everyone out.
        locked = await client.put(
            "/api/v1/tenant/identity-provider",
            json=_settings(idp, local_login_enabled=False, enabled=False),
            headers=tenant.headers,
        )
        assert locked.status_code == 422
    finally:
        on = await client.put(
            "/api/v1/tenant/identity-provider", json=_settings(idp), headers=tenant.headers
        )
        assert on.status_code == 200
    assert (await client.post("/api/auth/login", json=credentials)).status_code == 200


async def test_a_master_key_rotation_rewraps_the_client_secret(
    platform: Platform, tenant: OidcTenant, idp: LocalOidcProvider
) -> None:
    current = key_ring_from_settings(platform.settings)
    rotated = KeyRing(MasterKey(uuid.uuid4().bytes * 2), [current.current])
    back = KeyRing(current.current, [rotated.current])
    async with platform.db.tenant_session(tenant.tenant_id) as session:
        assert await oidc_settings.rewrap_client_secrets(session=session, ring=rotated) == 1
        row = await session.get(IdentityProvider, tenant.tenant_id)
        assert row is not None and rotated.key_id_of(row.client_secret) == rotated.current.key_id
        assert oidc_settings.open_secret(row, rotated) == CLIENT_SECRET
        assert await oidc_settings.rewrap_client_secrets(session=session, ring=rotated) == 0
        # Back under the platform's key, which the rest of the module signs in with.
        assert await oidc_settings.rewrap_client_secrets(session=session, ring=back) == 1
    answer, _ = await _sign_in(platform, idp, tenant.name, f"builder@{DOMAIN}")
    assert answer.status_code == 200


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


async def test_the_client_secret_reaches_no_response_and_no_log_line(
    platform: Platform,
    tenant: OidcTenant,
    idp: LocalOidcProvider,
    caplog: pytest.LogCaptureFixture,
    json_log: io.StringIO,
) -> None:
    caplog.set_level(logging.DEBUG)
    client = platform.client
    path = "/api/v1/tenant/identity-provider"
    responses = [
        await client.put(path, json=_settings(idp), headers=tenant.headers),
        await client.get(path, headers=tenant.headers),
        # A wrong secret: the provider refuses it, and the refusal names no secret.
        await client.put(
            path, json=_settings(idp, client_secret=CLIENT_SECRET[::-1]), headers=tenant.headers
        ),
    ]
    refused, _ = await _sign_in(platform, idp, tenant.name, f"builder@{DOMAIN}")
    assert refused.status_code == 401 and "invalid_client" in refused.json()["detail"]
    responses += [
        refused,
        await client.put(path, json=_settings(idp), headers=tenant.headers),
    ]
    idp.tamper(aud="someone-else")
    responses.append((await _sign_in(platform, idp, tenant.name, f"builder@{DOMAIN}"))[0])
    signed_in, _ = await _sign_in(platform, idp, tenant.name, f"builder@{DOMAIN}")
    assert signed_in.status_code == 200
    responses.append(signed_in)
    assert idp.token_requests[-1] and len(caplog.records) > 5  # the capture saw the flow
    logs = {
        "caplog": caplog.text,
        "messages": "\n".join(r.getMessage() for r in caplog.records),
        "arguments": "\n".join(repr(r.args) for r in caplog.records),
        "json": json_log.getvalue(),
    }
    for secret in (CLIENT_SECRET, CLIENT_SECRET[::-1]):
        assert not [r.url for r in responses if secret in r.text or secret in str(r.headers)]
        assert not [kind for kind, text in logs.items() if secret in text]
