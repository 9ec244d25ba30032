"""Who an approval policy's stage names, and who has answered it, from the database.

The policy itself (stages, quorum, tally) is pure and lives in ``node_types.approval``;
this module turns its assignees (roles, group names, user ids or e-mails) into the
tenant's people, for notifications and the inbox. Runs in the caller's tenant session.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, or_, select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_core.models import HumanTaskAnswer, User, UserGroup, UserGroupMember

# No stage notifies more people than this.
MAX_PEOPLE = 1000


async def people_named_by(
    session: AsyncSession, assignees: dict[str, Any], *, extra: Iterable[str] = ()
) -> list[uuid.UUID]:
    """Active users named by ``assignees`` (users by id or e-mail, roles, group names),
    plus ``extra`` user ids (delegates)."""
    ids: list[uuid.UUID] = []
    emails: list[str] = []
    for ref in [*(assignees.get("users") or []), *extra]:
        try:
            ids.append(uuid.UUID(str(ref)))
        except ValueError:
            emails.append(str(ref).lower())
    conditions: list[Any] = []
    if ids:
        conditions.append(col(User.id).in_(ids))
    if emails:
        conditions.append(func.lower(col(User.email)).in_(emails))
    if assignees.get("roles"):
        conditions.append(col(User.role).in_(list(assignees["roles"])))
    if assignees.get("groups"):
        members = (
            select(col(UserGroupMember.user_id))
            .join(UserGroup, col(UserGroup.id) == col(UserGroupMember.group_id))
            .where(col(UserGroup.name).in_(list(assignees["groups"])))
        )
        conditions.append(col(User.id).in_(members))
    if not conditions:
        return []
    found = await session.execute(
        select(col(User.id))
        .where(or_(*conditions), col(User.status) == "active")
        .order_by(col(User.id))
        .limit(MAX_PEOPLE)
    )
    return list(found.scalars())


async def group_names_of(session: AsyncSession, user_id: uuid.UUID) -> list[str]:
    """The names of the groups the user belongs to."""
    found = await session.execute(
        select(col(UserGroup.name))
        .join(UserGroupMember, col(UserGroup.id) == col(UserGroupMember.group_id))
        .where(col(UserGroupMember.user_id) == user_id)
        .order_by(col(UserGroup.name))
    )
    return list(found.scalars())


async def answered_by(session: AsyncSession, task_id: uuid.UUID) -> set[str]:
    """The voices heard on a task, and the ids of the people who spoke them."""
    rows = await session.execute(
        select(col(HumanTaskAnswer.voice), col(HumanTaskAnswer.answered_by)).where(
            col(HumanTaskAnswer.task_id) == task_id
        )
    )
    heard: set[str] = set()
    for voice, by in rows.all():
        heard.update((str(voice), str(by)))
    return heard
