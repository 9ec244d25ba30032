"""Signing in through the tenant's identity provider (authorization code + PKCE).

``start`` records an attempt (hashed state, nonce, PKCE verifier) and hands back the
authorization URL plus a signed, short-lived cookie naming the tenant and the state, so
the callback is bound to the browser that started it. ``complete`` spends the attempt
(once: a replayed state or code is refused), exchanges the code, validates the ID token,
finds or creates the account and issues our own token pair, as a password login does.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from sqlalchemy import delete, func, select, update
from sqlmodel import col

from platform_api.auth import oidc_settings
from platform_api.auth.oidc_claims import SignInIdentity, identity_from_claims
from platform_api.auth.oidc_client import (
    OidcRefused,
    authorization_url,
    discover,
    exchange_code,
    fetch_jwks,
    outbound_client,
    validate_id_token,
)
from platform_api.auth.schemas import TokenPair
from platform_api.auth.service import issue_tokens
from platform_api.errors import Forbidden, NotFound, ServiceUnavailable, Unauthorized
from platform_api.quotas.service import ensure_user_seat
from platform_core.crypto import EnvelopeInvalid, KeyRing
from platform_core.db import Database
from platform_core.models import IdentityProvider, OidcLoginAttempt, Tenant, User
from platform_core.outbound import OutboundPolicy
from platform_core.settings import Settings

log = logging.getLogger(__name__)

ATTEMPT_LIFETIME = timedelta(minutes=10)
PROVIDER_RETRY_AFTER_SECONDS = 30
STATE_COOKIE = "agentpaas_oidc"
COOKIE_PATH = "/api/auth/oidc"
_COOKIE_AUDIENCE = "agentpaas-oidc-sign-in"
# Not a bcrypt hash, so no password ever matches: these accounts sign in via the provider.
NO_PASSWORD = "!identity-provider"
_NOT_STARTED_HERE = "this sign-in was not started in this browser or has expired; start again"


@dataclass(frozen=True)
class StartedSignIn:
    """Where to send the browser, and the cookie that ties the way back to it."""

    authorization_url: str
    cookie: str


@dataclass(frozen=True)
class _Client:
    issuer: str
    client_id: str
    secret: str
    allowed_domains: list[str]
    role_claim: str | None
    role_mapping: dict[str, Any]
    default_role: str
    jit_provisioning: bool


def _state_hash(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


async def tenant_with_provider(*, database: Database, tenant_name: str) -> uuid.UUID:
    """The active tenant of that name with an enabled provider (404 for anything else)."""
    async with database.system_session() as session:
        tenant_id = (
            await session.execute(select(func.agentpaas_oidc_tenant(tenant_name)))
        ).scalar_one_or_none()
    if tenant_id is None:
        raise NotFound("no tenant of that name signs in with an identity provider")
    return uuid.UUID(str(tenant_id))


async def start(
    *,
    database: Database,
    settings: Settings,
    policy: OutboundPolicy,
    tenant_name: str,
    base_url: str,
) -> StartedSignIn:
    """Begin a sign-in: discovery, a fresh state/nonce/verifier, the authorization URL."""
    tenant_id = await tenant_with_provider(database=database, tenant_name=tenant_name)
    async with database.tenant_session(tenant_id) as session:
        row = await oidc_settings.get_or_raise(session=session, tenant_id=tenant_id)
        issuer, client_id, scopes = row.issuer, row.client_id, row.scopes
    try:
        async with outbound_client(policy) as client:
            metadata = await discover(client, issuer)
    except OidcRefused as exc:
        raise ServiceUnavailable(
            f"the identity provider cannot be used now: {exc}",
            headers={"Retry-After": str(PROVIDER_RETRY_AFTER_SECONDS)},
        ) from None
    state, nonce, verifier = (secrets.token_urlsafe(32) for _ in range(3))
    redirect = oidc_settings.redirect_uri(base_url)
    now = datetime.now(UTC)
    async with database.tenant_session(tenant_id) as session:
        # Attempts nobody finished are useless once expired; sweep the tenant's as we go.
        await session.execute(
            delete(OidcLoginAttempt).where(col(OidcLoginAttempt.expires_at) < now)
        )
        session.add(
            OidcLoginAttempt(
                tenant_id=tenant_id,
                state_hash=_state_hash(state),
                nonce=nonce,
                code_verifier=verifier,
                redirect_uri=redirect,
                expires_at=now + ATTEMPT_LIFETIME,
            )
        )
    cookie = jwt.encode(
        {
            "tid": str(tenant_id),
            "state": state,
            "aud": _COOKIE_AUDIENCE,
            "exp": now + ATTEMPT_LIFETIME,
        },
        settings.jwt_secret.get_secret_value(),
        algorithm="HS256",
    )
    url = authorization_url(
        metadata,
        client_id=client_id,
        redirect_uri=redirect,
        scopes=scopes,
        state=state,
        nonce=nonce,
        code_verifier=verifier,
    )
    return StartedSignIn(authorization_url=url, cookie=cookie)


def _tenant_of_cookie(settings: Settings, cookie: str | None, state: str) -> uuid.UUID:
    if not cookie:
        raise Unauthorized(_NOT_STARTED_HERE)
    try:
        claims = jwt.decode(
            cookie,
            settings.jwt_secret.get_secret_value(),
            algorithms=["HS256"],
            audience=_COOKIE_AUDIENCE,
            options={"require": ["exp", "aud", "tid", "state"]},
        )
        tenant_id = uuid.UUID(str(claims["tid"]))
    except (jwt.InvalidTokenError, ValueError):
        raise Unauthorized(_NOT_STARTED_HERE) from None
    if not hmac.compare_digest(str(claims["state"]).encode(), state.encode()):
        raise Unauthorized(_NOT_STARTED_HERE)
    return tenant_id


async def complete(
    *,
    database: Database,
    settings: Settings,
    ring: KeyRing,
    policy: OutboundPolicy,
    cookie: str | None,
    state: str,
    code: str,
) -> TokenPair:
    """Finish a sign-in: spend the attempt, exchange the code, check the ID token, log in."""
    tenant_id = _tenant_of_cookie(settings, cookie, state)
    async with database.tenant_session(tenant_id) as session:
        # Spent before anything else can fail: a state (and so its code) works once.
        attempt = (
            await session.execute(
                update(OidcLoginAttempt)
                .where(
                    col(OidcLoginAttempt.state_hash) == _state_hash(state),
                    col(OidcLoginAttempt.used_at).is_(None),
                    col(OidcLoginAttempt.expires_at) > func.now(),
                )
                .values(used_at=func.now())
                .returning(
                    col(OidcLoginAttempt.nonce),
                    col(OidcLoginAttempt.code_verifier),
                    col(OidcLoginAttempt.redirect_uri),
                )
            )
        ).one_or_none()
        provider = await session.get(IdentityProvider, tenant_id)
    if attempt is None:
        raise Unauthorized("this sign-in was already completed or has expired; start again")
    if provider is None or not provider.enabled:
        raise Unauthorized("this tenant no longer signs in with an identity provider")
    nonce, verifier, redirect = attempt
    client = _client_settings(provider, ring)
    try:
        claims = await _verified_claims(client, policy, code, verifier, redirect, nonce)
    except OidcRefused as exc:
        log.info("identity-provider sign-in refused for tenant %s: %s", tenant_id, exc)
        raise Unauthorized(str(exc)) from None
    identity = identity_from_claims(
        claims,
        allowed_domains=client.allowed_domains,
        role_claim=client.role_claim,
        role_mapping=client.role_mapping,
    )
    return await _log_in(database, settings, tenant_id, client, identity)


def _client_settings(row: IdentityProvider, ring: KeyRing) -> _Client:
    try:
        secret = oidc_settings.open_secret(row, ring)
    except EnvelopeInvalid:
        raise ServiceUnavailable("the identity provider's client secret cannot be opened") from None
    return _Client(
        issuer=row.issuer,
        client_id=row.client_id,
        secret=secret,
        allowed_domains=list(row.allowed_domains),
        role_claim=row.role_claim,
        role_mapping=dict(row.role_mapping),
        default_role=row.default_role,
        jit_provisioning=row.jit_provisioning,
    )


async def _verified_claims(
    client: _Client, policy: OutboundPolicy, code: str, verifier: str, redirect: str, nonce: str
) -> dict[str, Any]:
    async with outbound_client(policy) as http:
        metadata = await discover(http, client.issuer)
        id_token = await exchange_code(
            http,
            metadata,
            code=code,
            redirect_uri=redirect,
            code_verifier=verifier,
            client_id=client.client_id,
            client_secret=client.secret,
        )
        jwks = await fetch_jwks(http, metadata)
    return validate_id_token(
        id_token, jwks=jwks, issuer=client.issuer, client_id=client.client_id, nonce=nonce
    )


async def _log_in(
    database: Database,
    settings: Settings,
    tenant_id: uuid.UUID,
    client: _Client,
    identity: SignInIdentity,
) -> TokenPair:
    async with database.tenant_session(tenant_id) as session:
        tenant = await session.get(Tenant, tenant_id)
        if tenant is None or tenant.status != "active":
            raise Unauthorized("tenant is not active")
        user = (
            await session.execute(
                select(User).where(func.lower(User.email) == identity.email).with_for_update()
            )
        ).scalar_one_or_none()
        if user is None:
            if not client.jit_provisioning:
                raise Forbidden("there is no account for this person in this tenant")
            await ensure_user_seat(session=session, tenant_id=tenant_id)
            user = User(
                tenant_id=tenant_id,
                email=identity.email,
                display_name=identity.display_name,
                role=identity.mapped_role or client.default_role,
                password_hash=NO_PASSWORD,
            )
            session.add(user)
        elif user.status != "active":
            raise Unauthorized("account is not active")
        elif identity.mapped_role and identity.mapped_role != user.role:
            # The provider says the role changed: tokens carrying the old one stop working.
            user.role = identity.mapped_role
            user.token_version += 1
        user.last_login_at = datetime.now(UTC)
        await session.flush()
        return await issue_tokens(
            session=session,
            settings=settings,
            user_id=user.id,
            tenant_id=tenant_id,
            role=user.role,
            token_version=user.token_version,
        )
