"""The tenant's identity-provider settings: read, replace, remove; the secret sealed.

The client secret is sealed like provider API keys (SM4-CBC + HMAC-SM3 envelope from
the master key ring), bound to this table and tenant, and only its hint ever leaves.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.auth.oidc_schemas import IdentityProviderPublic, IdentityProviderSettings
from platform_api.errors import NotFound, ValidationFailed
from platform_core.crypto import KeyRing, credentials_hint
from platform_core.db import Database
from platform_core.models import IdentityProvider
from platform_core.outbound import OutboundPolicy, UnsafeOutboundUrl, check_outbound_url

CALLBACK_PATH = "/auth/oidc/callback"


def secret_associated_data(tenant_id: uuid.UUID) -> bytes:
    """What binds a sealed client secret to its row: the table and the tenant."""
    return f"identity_providers/{tenant_id}".encode()


def redirect_uri(base_url: str) -> str:
    """The callback page of the web UI served at ``base_url`` (what the provider redirects to)."""
    return base_url.rstrip("/") + CALLBACK_PATH


async def get_or_raise(*, session: AsyncSession, tenant_id: uuid.UUID) -> IdentityProvider:
    """The tenant's provider (404 when none is configured)."""
    row = await session.get(IdentityProvider, tenant_id)
    if row is None:
        raise NotFound("no identity provider is configured for this tenant")
    return row


async def _require_safe_issuer(issuer: str, policy: OutboundPolicy) -> None:
    try:
        await check_outbound_url(issuer, policy)
    except UnsafeOutboundUrl as exc:
        raise ValidationFailed(
            f"issuer refused: {exc}", errors=[{"path": "/body/issuer", "message": str(exc)}]
        ) from None


async def put(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    data: IdentityProviderSettings,
    ring: KeyRing,
    policy: OutboundPolicy,
) -> IdentityProvider:
    """Create or replace the provider; a secret left out keeps the stored one."""
    await _require_safe_issuer(data.issuer, policy)
    row = await session.get(IdentityProvider, tenant_id, with_for_update=True)
    secret = data.client_secret.get_secret_value() if data.client_secret else None
    if row is None and not secret:
        raise ValidationFailed(
            "a client secret is required when the provider is first configured",
            errors=[{"path": "/body/client_secret", "message": "required"}],
        )
    fields = data.model_dump(exclude={"client_secret"})
    if row is None:
        row = IdentityProvider(
            tenant_id=tenant_id, client_secret="", client_secret_hint="", **fields
        )
        session.add(row)
    else:
        for name, value in fields.items():
            setattr(row, name, value)
        row.updated_at = datetime.now(UTC)
    if secret:
        row.client_secret = ring.encrypt(secret, associated_data=secret_associated_data(tenant_id))
        row.client_secret_hint = credentials_hint(secret)
    await session.flush()
    return row


async def delete(*, session: AsyncSession, tenant_id: uuid.UUID) -> None:
    """Remove the provider (password login is then always allowed again)."""
    row = await get_or_raise(session=session, tenant_id=tenant_id)
    await session.delete(row)
    await session.flush()


def open_secret(row: IdentityProvider, ring: KeyRing) -> str:
    """The client secret, for the code exchange only."""
    return ring.decrypt(row.client_secret, associated_data=secret_associated_data(row.tenant_id))


def public(row: IdentityProvider, *, base_url: str) -> IdentityProviderPublic:
    """The admin's view: settings, the hint and the redirect URI to register."""
    return IdentityProviderPublic(
        issuer=row.issuer,
        client_id=row.client_id,
        client_secret_hint=row.client_secret_hint,
        scopes=row.scopes,
        allowed_domains=list(row.allowed_domains),
        role_claim=row.role_claim,
        role_mapping=dict(row.role_mapping),
        default_role=row.default_role,
        jit_provisioning=row.jit_provisioning,
        local_login_enabled=row.local_login_enabled,
        enabled=row.enabled,
        redirect_uri=redirect_uri(base_url),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


async def local_login_enabled(*, session: AsyncSession, tenant_id: uuid.UUID) -> bool:
    """False when the tenant has switched password login off (with its provider enabled)."""
    row = await session.get(IdentityProvider, tenant_id)
    return row is None or not row.enabled or row.local_login_enabled


async def password_login_allowed(*, database: Database, tenant_id: uuid.UUID) -> bool:
    """True unless the tenant has switched e-mail + password login off."""
    async with database.tenant_session(tenant_id) as session:
        return await local_login_enabled(session=session, tenant_id=tenant_id)


async def rewrap_client_secrets(*, session: AsyncSession, ring: KeyRing) -> int:
    """Re-seal every visible client secret not under the current master key; returns how many.

    The companion of the providers' ``rewrap_credentials`` for master-key rotation: in a
    tenant session that is the tenant's row; as the table owner, every tenant's.
    """
    rows = await session.execute(select(IdentityProvider))
    changed = 0
    for row in rows.scalars():
        if ring.needs_rewrap(row.client_secret):
            row.client_secret = ring.rewrap(
                row.client_secret, associated_data=secret_associated_data(row.tenant_id)
            )
            changed += 1
    await session.flush()
    return changed
