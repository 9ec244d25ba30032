"""Tenant administration of users: list, create (within ``max_users``), get, update.

Every function runs in the caller's tenant transaction, so another tenant's user
id is simply not found. Changing a user's role or status bumps their
``token_version`` and revokes their refresh tokens: old tokens carry the old role.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.auth.password_policy import check_password_policy
from platform_api.auth.passwords import hash_password
from platform_api.errors import Conflict, NotFound
from platform_api.paging import Page, PageParams, page_of, paginate
from platform_api.quotas.service import ensure_user_seat, locked_quota
from platform_api.tenancy.schemas import UserCreate, UserPublic, UserUpdate
from platform_core.models import RefreshToken, User
from platform_core.settings import Settings


async def get_all(
    *,
    session: AsyncSession,
    page: PageParams,
    q: str | None,
    role: str | None,
    status: str | None,
) -> Page[UserPublic]:
    """Users of the tenant by email; ``q`` matches email or name (case-insensitive)."""
    conditions = []
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(
            or_(col(User.email).ilike(pattern), col(User.display_name).ilike(pattern))
        )
    if role:
        conditions.append(col(User.role) == role)
    if status:
        conditions.append(col(User.status) == status)
    rows, total = await paginate(
        session, select(User).where(*conditions).order_by(col(User.email), col(User.id)), page
    )
    return page_of(rows, total, page, lambda u: UserPublic.model_validate(u, from_attributes=True))


async def create(
    *, session: AsyncSession, settings: Settings, tenant_id: uuid.UUID, data: UserCreate
) -> User:
    """A new user, refused with 429 when the tenant's ``max_users`` is reached."""
    email = str(data.email)
    check_password_policy(data.password, email=email)
    password_hash = await hash_password(data.password, settings.bcrypt_rounds)
    await ensure_user_seat(session=session, tenant_id=tenant_id)
    existing = (
        await session.execute(select(col(User.id)).where(func.lower(User.email) == email.lower()))
    ).first()
    if existing is not None:
        raise Conflict("a user with this email already exists in this tenant")
    user = User(
        tenant_id=tenant_id,
        email=email,
        display_name=data.display_name,
        role=data.role,
        password_hash=password_hash,
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict("a user with this email already exists in this tenant") from exc
    return user


async def get_or_raise(*, session: AsyncSession, user_id: uuid.UUID) -> User:
    """One user of the tenant; 404 otherwise (another tenant's id included)."""
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound("user not found")
    return user


async def update_user(
    *, session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID, data: UserUpdate
) -> User:
    """Apply a change; a new role or status ends the user's sessions and keys' old rights."""
    if data.role is not None or data.status is not None:
        # One standing change at a time per tenant: two admins demoting each other at
        # once must not both pass the last-admin check (nor deadlock on each other's rows).
        await locked_quota(session, tenant_id)
    user = await session.get(User, user_id, with_for_update=True)
    if user is None:
        raise NotFound("user not found")
    new_role = data.role or user.role
    new_status = data.status or user.status
    if (
        user.role == "admin"
        and user.status == "active"
        and (new_role != "admin" or new_status != "active")
    ):
        await _ensure_another_admin(session, user_id)
    if user.status != "active" and new_status == "active":
        await ensure_user_seat(session=session, tenant_id=tenant_id)
    standing_changed = new_role != user.role or new_status != user.status
    if data.display_name is not None:
        user.display_name = data.display_name
    user.role, user.status = new_role, new_status
    user.updated_at = datetime.now(UTC)
    if standing_changed:
        await _end_sessions(session, user)
    session.add(user)
    await session.flush()
    return user


async def _ensure_another_admin(session: AsyncSession, user_id: uuid.UUID) -> None:
    """409 unless an active admin other than ``user_id`` remains (the caller holds the lock)."""
    others = await session.execute(
        select(col(User.id)).where(
            col(User.role) == "admin", col(User.status) == "active", col(User.id) != user_id
        )
    )
    if others.first() is None:
        raise Conflict("this is the tenant's last active admin; appoint another admin first")


async def _end_sessions(session: AsyncSession, user: User) -> None:
    user.token_version += 1
    await session.execute(
        update(RefreshToken)
        .where(col(RefreshToken.user_id) == user.id, col(RefreshToken.revoked_at).is_(None))
        .values(revoked_at=datetime.now(UTC))
    )
