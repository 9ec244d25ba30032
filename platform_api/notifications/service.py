"""The caller's notifications: list (newest first), unread count, mark read, e-mail choices.

Every query filters on the caller's user id on top of row-level security (tenant):
nobody reads or marks anyone else's notifications.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.errors import NotFound
from platform_api.paging import PageParams, paginate
from platform_core.models import Notification, User
from platform_core.notifications import EMAIL_PREFERENCE, email_kinds


async def get_all(
    *, session: AsyncSession, user_id: uuid.UUID, page: PageParams, unread_only: bool
) -> tuple[list[Notification], int, int]:
    """One page of the user's notifications, the number matching, and the unread count."""
    query = select(Notification).where(col(Notification.user_id) == user_id)
    if unread_only:
        query = query.where(col(Notification.read_at).is_(None))
    query = query.order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
    rows, total = await paginate(session, query, page)
    return rows, total, await unread_count(session=session, user_id=user_id)


async def unread_count(*, session: AsyncSession, user_id: uuid.UUID) -> int:
    """How many of the user's notifications are unread."""
    found = await session.execute(
        select(func.count())
        .select_from(Notification)
        .where(col(Notification.user_id) == user_id, col(Notification.read_at).is_(None))
    )
    return int(found.scalar_one())


async def mark_read(
    *, session: AsyncSession, user_id: uuid.UUID, notification_id: uuid.UUID
) -> Notification:
    """Mark one of the user's notifications read (idempotent)."""
    row = await session.get(Notification, notification_id)
    if row is None or row.user_id != user_id:
        raise NotFound("notification not found")
    if row.read_at is None:
        row.read_at = datetime.now(UTC)
        session.add(row)
        await session.flush()
    return row


async def mark_all_read(*, session: AsyncSession, user_id: uuid.UUID) -> int:
    """Mark every unread notification of the user read; returns how many."""
    result = await session.execute(
        update(Notification)
        .where(col(Notification.user_id) == user_id, col(Notification.read_at).is_(None))
        .values(read_at=datetime.now(UTC))
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def get_email_kinds(*, session: AsyncSession, user_id: uuid.UUID) -> list[str]:
    """The kinds the user receives by e-mail."""
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound("user not found")
    return email_kinds(user.preferences)


async def put_email_kinds(
    *, session: AsyncSession, user_id: uuid.UUID, kinds: list[str]
) -> list[str]:
    """Replace the kinds the user receives by e-mail (other preferences untouched)."""
    user = await session.get(User, user_id, with_for_update=True)
    if user is None:
        raise NotFound("user not found")
    preferences: dict[str, Any] = dict(user.preferences or {})
    preferences[EMAIL_PREFERENCE] = sorted(set(kinds))
    user.preferences = preferences  # a new dict: the JSONB column sees the change
    session.add(user)
    await session.flush()
    return email_kinds(user.preferences)
