"""Authentication: password login across tenants, token issue and refresh rotation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, text, update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.auth import oidc_settings, throttle
from platform_api.auth.caller import Caller
from platform_api.auth.password_policy import check_password_policy
from platform_api.auth.passwords import dummy_hash, hash_password, verify_password
from platform_api.auth.schemas import TenantChoice, TokenPair
from platform_api.auth.tokens import (
    decode_token,
    hash_token_id,
    issue_access_token,
    issue_refresh_token,
)
from platform_api.errors import Conflict, Forbidden, Unauthorized, ValidationFailed
from platform_core.db import Database
from platform_core.models import RefreshToken, Tenant, User
from platform_core.settings import Settings


@dataclass(frozen=True)
class LoginCandidate:
    """A user row matching an email, with its tenant."""

    user_id: uuid.UUID
    tenant_id: uuid.UUID
    tenant_name: str
    tenant_display_name: str
    tenant_status: str
    password_hash: str
    role: str
    status: str
    token_version: int


async def find_login_candidates(*, database: Database, email: str) -> list[LoginCandidate]:
    """Every account with this email, across tenants (via the security-definer function)."""
    async with database.system_session() as session:
        rows = await session.execute(
            text("SELECT * FROM agentpaas_login_candidates(:email)"), {"email": email}
        )
        return [LoginCandidate(**row._mapping) for row in rows]


async def authenticate(
    *,
    database: Database,
    settings: Settings,
    email: str,
    password: str,
    tenant: str | None,
    client_ip: str,
) -> list[LoginCandidate]:
    """Accounts whose password matches; the same failure for unknown email or bad password.

    Throttled per account and per client address: while either is locked, even the
    right password gets the 429.
    """
    await throttle.check_login_allowed(
        database=database, settings=settings, email=email, client_ip=client_ip
    )
    candidates = await find_login_candidates(database=database, email=email)
    if tenant is not None:
        candidates = [c for c in candidates if tenant in (c.tenant_name, str(c.tenant_id))]
    if not candidates:
        # Spend the same time as a real check so response times do not reveal accounts.
        await verify_password(password, dummy_hash(settings.bcrypt_rounds))
        matching = []
    else:
        matching = [c for c in candidates if await verify_password(password, c.password_hash)]
    if not matching:
        await throttle.record_failure(
            database=database, settings=settings, email=email, client_ip=client_ip
        )
        raise Unauthorized("invalid email or password")
    await throttle.clear_account(database=database, email=email)
    active = [c for c in matching if c.status == "active" and c.tenant_status == "active"]
    if not active:
        raise Unauthorized("account or tenant is not active")
    allowed = [
        c
        for c in active
        if await oidc_settings.password_login_allowed(database=database, tenant_id=c.tenant_id)
    ]
    if not allowed:
        raise Forbidden("this tenant signs in with its identity provider; password login is off")
    return allowed


def tenant_choices(candidates: list[LoginCandidate]) -> list[TenantChoice]:
    """The tenants to offer when an email matched in several."""
    return [
        TenantChoice(tenant_id=c.tenant_id, name=c.tenant_name, display_name=c.tenant_display_name)
        for c in candidates
    ]


async def issue_tokens(
    *,
    session: AsyncSession,
    settings: Settings,
    user_id: uuid.UUID,
    tenant_id: uuid.UUID,
    role: str,
    token_version: int,
    family_id: uuid.UUID | None = None,
) -> TokenPair:
    """A new access + refresh pair; the refresh token is recorded (hashed) in its family."""
    family = family_id or uuid.uuid4()
    access, expires = issue_access_token(
        settings, user_id=user_id, tenant_id=tenant_id, role=role, token_version=token_version
    )
    refresh, jti, refresh_expires = issue_refresh_token(
        settings,
        user_id=user_id,
        tenant_id=tenant_id,
        role=role,
        token_version=token_version,
        family_id=family,
    )
    session.add(
        RefreshToken(
            tenant_id=tenant_id,
            user_id=user_id,
            family_id=family,
            token_hash=hash_token_id(jti),
            expires_at=refresh_expires,
        )
    )
    return TokenPair(
        access_token=access,
        refresh_token=refresh,
        expires_at=expires,
        tenant_id=tenant_id,
        role=role,
    )


async def login(*, database: Database, settings: Settings, candidate: LoginCandidate) -> TokenPair:
    """Issue tokens for an authenticated account and note the login time."""
    async with database.tenant_session(candidate.tenant_id) as session:
        await session.execute(
            update(User)
            .where(col(User.id) == candidate.user_id)
            .values(last_login_at=datetime.now(UTC))
        )
        return await issue_tokens(
            session=session,
            settings=settings,
            user_id=candidate.user_id,
            tenant_id=candidate.tenant_id,
            role=candidate.role,
            token_version=candidate.token_version,
        )


async def refresh(*, database: Database, settings: Settings, refresh_token: str) -> TokenPair:
    """Rotate a refresh token: single use; reusing a rotated one revokes its whole family."""
    claims = decode_token(settings, refresh_token, "refresh")
    if claims.jti is None or claims.family_id is None:
        raise Unauthorized("invalid refresh token")
    now = datetime.now(UTC)
    reused = False
    async with database.tenant_session(claims.tenant_id) as session:
        stored = (
            await session.execute(
                select(RefreshToken)
                .where(col(RefreshToken.token_hash) == hash_token_id(claims.jti))
                .with_for_update()
            )
        ).scalar_one_or_none()
        if stored is None or stored.revoked_at is not None:
            raise Unauthorized("refresh token revoked")
        if stored.used_at is not None:
            # A rotated token came back: someone holds a copy. Burn the family.
            await session.execute(
                update(RefreshToken)
                .where(RefreshToken.family_id == stored.family_id)
                .values(revoked_at=now)
            )
            reused = True
        else:
            user = await session.get(User, claims.user_id)
            tenant = await session.get(Tenant, claims.tenant_id)
            if user is None or user.status != "active":
                raise Unauthorized("account is not active")
            if tenant is None or tenant.status != "active":
                raise Unauthorized("tenant is not active")
            if user.token_version != claims.token_version:
                raise Unauthorized("refresh token revoked")
            stored.used_at = now
            session.add(stored)
            return await issue_tokens(
                session=session,
                settings=settings,
                user_id=user.id,
                tenant_id=user.tenant_id,
                role=user.role,
                token_version=user.token_version,
                family_id=stored.family_id,
            )
    # Raised after the transaction commits, so the family revocation sticks.
    assert reused
    raise Unauthorized("refresh token reuse detected; all sessions of this login are revoked")


async def logout(*, database: Database, settings: Settings, refresh_token: str) -> None:
    """Revoke the refresh token's whole family (this login on this device)."""
    claims = decode_token(settings, refresh_token, "refresh")
    if claims.family_id is None:
        raise Unauthorized("invalid refresh token")
    async with database.tenant_session(claims.tenant_id) as session:
        await session.execute(
            update(RefreshToken)
            .where(
                col(RefreshToken.family_id) == claims.family_id,
                col(RefreshToken.revoked_at).is_(None),
            )
            .values(revoked_at=datetime.now(UTC))
        )


@dataclass(frozen=True)
class CallerAccount:
    """What authenticating a request reads: the user and their tenant's standing."""

    user_id: uuid.UUID
    tenant_id: uuid.UUID
    role: str
    email: str
    status: str
    token_version: int
    tenant_status: str
    tenant_name: str


# Enters the tenant itself (migration 0023): one statement, no transaction around it.
_CALLER_ACCOUNT = text(
    "SELECT user_id, tenant_id, role, email, status, token_version, tenant_status, "
    "tenant_name FROM agentpaas_caller_account(CAST(:tenant AS uuid), CAST(:user AS uuid))"
)


async def caller_account(
    *, database: Database, tenant_id: uuid.UUID, user_id: uuid.UUID
) -> CallerAccount | None:
    """The user and their tenant, under the tenant's row-level security, in one round
    trip (every request pays for it); None if either is gone."""
    async with database.autocommit() as conn:
        row = (await conn.execute(_CALLER_ACCOUNT, {"tenant": tenant_id, "user": user_id})).first()
    return CallerAccount(*row) if row is not None else None


async def account_of(*, session: AsyncSession, caller: Caller) -> tuple[User, Tenant]:
    """The caller's user row and tenant (401 if either is gone)."""
    user = await session.get(User, caller.user_id)
    tenant = await session.get(Tenant, caller.tenant_id)
    if user is None or tenant is None:
        raise Unauthorized("unknown account")
    return user, tenant


async def logout_everywhere(*, session: AsyncSession, user_id: uuid.UUID) -> None:
    """Revoke every token of the user: bumping token_version invalidates them all."""
    user = await session.get(User, user_id)
    if user is None:
        raise Unauthorized("unknown account")
    user.token_version += 1
    session.add(user)
    await session.execute(
        update(RefreshToken)
        .where(col(RefreshToken.user_id) == user_id, col(RefreshToken.revoked_at).is_(None))
        .values(revoked_at=datetime.now(UTC))
    )


async def change_password(
    *,
    database: Database,
    settings: Settings,
    user_id: uuid.UUID,
    tenant_id: uuid.UUID,
    current_password: str,
    new_password: str,
    client_ip: str,
) -> TokenPair:
    """Replace the caller's password; every older token dies, a fresh pair is returned.

    The current password is checked (and throttled like a login), so a stolen access
    token alone cannot take the account over.
    """
    async with database.tenant_session(tenant_id) as session:
        user = await session.get(User, user_id)
        if user is None:
            raise Unauthorized("unknown account")
        email, stored_hash = user.email, user.password_hash
    await throttle.check_login_allowed(
        database=database, settings=settings, email=email, client_ip=client_ip
    )
    if not await verify_password(current_password, stored_hash):
        await throttle.record_failure(
            database=database, settings=settings, email=email, client_ip=client_ip
        )
        raise Forbidden("the current password is not correct")
    check_password_policy(new_password, email=email, field="new_password")
    if new_password == current_password:
        raise ValidationFailed(
            "the new password must differ from the current one",
            errors=[{"path": "/body/new_password", "message": "same as the current password"}],
        )
    new_hash = await hash_password(new_password, settings.bcrypt_rounds)
    async with database.tenant_session(tenant_id) as session:
        user = await session.get(User, user_id, with_for_update=True)
        if user is None or user.password_hash != stored_hash:
            raise Conflict("the password changed meanwhile; try again")
        user.password_hash = new_hash
        session.add(user)
        await logout_everywhere(session=session, user_id=user_id)
        return await issue_tokens(
            session=session,
            settings=settings,
            user_id=user.id,
            tenant_id=user.tenant_id,
            role=user.role,
            token_version=user.token_version,
        )
