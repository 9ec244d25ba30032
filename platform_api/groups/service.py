"""Groups of users and the people directory; row-level security keeps each tenant's own."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.errors import Conflict, NotFound, ValidationFailed
from platform_api.groups.schemas import GroupPublic, GroupWrite, PersonPublic
from platform_api.paging import Page, PageParams, page_of, paginate
from platform_core.models import User, UserGroup, UserGroupMember


async def list_groups(*, session: AsyncSession, page: PageParams) -> Page[GroupPublic]:
    """The tenant's groups by name, with their members."""
    rows, total = await paginate(
        session, select(UserGroup).order_by(col(UserGroup.name), col(UserGroup.id)), page
    )
    members = await _members_of(session, [g.id for g in rows])
    return page_of(rows, total, page, lambda g: _public(g, members.get(g.id, [])))


async def get_group(*, session: AsyncSession, group_id: uuid.UUID) -> GroupPublic:
    """One group; another tenant's is not found."""
    group = await _group(session, group_id)
    members = await _members_of(session, [group.id])
    return _public(group, members.get(group.id, []))


async def create_group(
    *, session: AsyncSession, tenant_id: uuid.UUID, body: GroupWrite
) -> GroupPublic:
    """A new group (409 when the name is taken)."""
    group = UserGroup(tenant_id=tenant_id, name=body.name, description=body.description)
    session.add(group)
    await _flush_unique(session, body.name)
    await _set_members(session, tenant_id, group.id, body.member_ids)
    return await get_group(session=session, group_id=group.id)


async def replace_group(
    *, session: AsyncSession, tenant_id: uuid.UUID, group_id: uuid.UUID, body: GroupWrite
) -> GroupPublic:
    """Rename the group and replace its members."""
    group = await _group(session, group_id)
    group.name = body.name
    group.description = body.description
    session.add(group)
    await _flush_unique(session, body.name)
    await _set_members(session, tenant_id, group.id, body.member_ids)
    return await get_group(session=session, group_id=group.id)


async def delete_group(*, session: AsyncSession, group_id: uuid.UUID) -> None:
    """Remove the group (open tasks that name it keep waiting for whoever else they name)."""
    group = await _group(session, group_id)
    await session.delete(group)


async def people(
    *, session: AsyncSession, query: str | None, page: PageParams
) -> Page[PersonPublic]:
    """Active people of the tenant, by name or e-mail, for picking a member or a delegate."""
    statement = select(User).where(col(User.status) == "active")
    if query:
        like = f"%{query.lower()}%"
        statement = statement.where(
            or_(
                func.lower(col(User.email)).like(like),
                func.lower(func.coalesce(col(User.display_name), "")).like(like),
            )
        )
    rows, total = await paginate(session, statement.order_by(col(User.email)), page)
    return page_of(rows, total, page, _person)


async def _group(session: AsyncSession, group_id: uuid.UUID) -> UserGroup:
    group = await session.get(UserGroup, group_id)
    if group is None:
        raise NotFound("group not found")
    return group


async def _flush_unique(session: AsyncSession, name: str) -> None:
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        raise Conflict(f"a group named {name!r} exists already") from exc


async def _set_members(
    session: AsyncSession, tenant_id: uuid.UUID, group_id: uuid.UUID, member_ids: list[uuid.UUID]
) -> None:
    wanted = list(dict.fromkeys(member_ids))
    if wanted:
        found = set(
            (await session.execute(select(col(User.id)).where(col(User.id).in_(wanted)))).scalars()
        )
        unknown = [i for i, member in enumerate(wanted) if member not in found]
        if unknown:
            raise ValidationFailed(
                "some members are not people of this tenant",
                errors=[
                    {"path": f"/body/member_ids/{i}", "message": "unknown user"} for i in unknown
                ],
            )
    await session.execute(delete(UserGroupMember).where(col(UserGroupMember.group_id) == group_id))
    for user_id in wanted:
        session.add(UserGroupMember(group_id=group_id, user_id=user_id, tenant_id=tenant_id))
    await session.flush()


async def _members_of(
    session: AsyncSession, group_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[PersonPublic]]:
    if not group_ids:
        return {}
    rows = await session.execute(
        select(col(UserGroupMember.group_id), User)
        .join(User, col(User.id) == col(UserGroupMember.user_id))
        .where(col(UserGroupMember.group_id).in_(list(group_ids)))
        .order_by(col(User.email))
    )
    members: dict[uuid.UUID, list[PersonPublic]] = {}
    for group_id, user in rows.all():
        members.setdefault(group_id, []).append(_person(user))
    return members


def _person(user: User) -> PersonPublic:
    return PersonPublic(
        id=user.id, display_name=user.display_name, email=user.email, role=user.role
    )


def _public(group: UserGroup, members: list[PersonPublic]) -> GroupPublic:
    return GroupPublic(
        id=group.id,
        name=group.name,
        description=group.description,
        created_at=group.created_at,
        members=members,
    )
