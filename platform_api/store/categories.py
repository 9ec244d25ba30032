"""The store's category tree: the shared categories plus the tenant's own, and the tenant
admins' edits to their own (create, rename, move, delete).

Row-level security already shows a tenant the shared rows and its own and lets it write
only its own; the queries here say so too, so a mistake in a policy cannot widen them.
Shared categories are seeded by the platform and refused here (403).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.errors import Conflict, Forbidden, NotFound, ValidationFailed
from platform_api.store.schemas import CategoryCreate, CategoryNode, CategoryUpdate
from platform_core.models import Agent, AgentCategory


def _visible(tenant_id: uuid.UUID) -> Any:
    return or_(col(AgentCategory.tenant_id).is_(None), col(AgentCategory.tenant_id) == tenant_id)


async def category_ids_under(session: AsyncSession, root: uuid.UUID) -> list[uuid.UUID]:
    """A category and all its descendants."""
    rows = (await session.execute(select(AgentCategory.id, AgentCategory.parent_id))).all()
    children: dict[uuid.UUID | None, list[uuid.UUID]] = {}
    for category_id, parent_id in rows:
        children.setdefault(parent_id, []).append(category_id)
    found, frontier = [root], [root]
    while frontier:
        frontier = [c for parent in frontier for c in children.get(parent, [])]
        found += frontier
    return found


async def category_tree(*, session: AsyncSession, tenant_id: uuid.UUID) -> list[CategoryNode]:
    """The shared categories and the tenant's own as one tree, each level by name."""
    rows = (
        (
            await session.execute(
                select(AgentCategory)
                .where(_visible(tenant_id))
                .order_by(col(AgentCategory.name), col(AgentCategory.id))
            )
        )
        .scalars()
        .all()
    )
    nodes = {
        row.id: CategoryNode(
            id=row.id,
            name=row.name,
            description=row.description,
            parent_id=row.parent_id,
            shared=row.tenant_id is None,
            children=[],
        )
        for row in rows
    }
    roots: list[CategoryNode] = []
    for row in rows:
        node = nodes[row.id]
        parent = nodes.get(row.parent_id) if row.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots


async def _parent(session: AsyncSession, tenant_id: uuid.UUID, parent_id: uuid.UUID) -> None:
    found = await session.execute(
        select(AgentCategory.id).where(col(AgentCategory.id) == parent_id, _visible(tenant_id))
    )
    if found.first() is None:
        raise ValidationFailed(
            "unknown parent category",
            errors=[{"path": "/body/parent_id", "message": "no such category"}],
        )


async def _free_name(
    session: AsyncSession, tenant_id: uuid.UUID, name: str, itself: uuid.UUID | None = None
) -> str:
    """The trimmed name, if no shared category and none of the tenant's has it (any case).

    Unique across the shared ones too, so a store never shows two categories of one name.
    """
    name = name.strip()
    if not name:
        raise ValidationFailed(
            "a category needs a name",
            errors=[{"path": "/body/name", "message": "empty after trimming spaces"}],
        )
    same = [_visible(tenant_id), func.lower(AgentCategory.name) == name.lower()]
    if itself is not None:
        same.append(col(AgentCategory.id) != itself)
    taken = await session.execute(select(AgentCategory.id).where(*same))
    if taken.first() is not None:
        raise Conflict(f"a category named {name!r} already exists")
    return name


async def get_own(
    *, session: AsyncSession, tenant_id: uuid.UUID, category_id: uuid.UUID
) -> AgentCategory:
    """One of the tenant's own categories; a shared one is refused, another tenant's unknown."""
    category = await session.get(AgentCategory, category_id)
    if category is None or category.tenant_id not in (None, tenant_id):
        raise NotFound("category not found")
    if category.tenant_id is None:
        raise Forbidden(
            f"{category.name!r} is shared by every tenant and cannot be changed here; "
            "add a category of your own instead"
        )
    return category


async def create(
    *, session: AsyncSession, tenant_id: uuid.UUID, data: CategoryCreate
) -> AgentCategory:
    """A category of the tenant, at the top or under a shared category or one of its own."""
    if data.parent_id is not None:
        await _parent(session, tenant_id, data.parent_id)
    category = AgentCategory(
        tenant_id=tenant_id,
        name=await _free_name(session, tenant_id, data.name),
        description=data.description,
        parent_id=data.parent_id,
    )
    session.add(category)
    await _flush(session, category.name)
    return category


async def update(
    *, session: AsyncSession, tenant_id: uuid.UUID, category: AgentCategory, data: CategoryUpdate
) -> AgentCategory:
    """Rename, describe or move (never under itself or one of its sub-categories)."""
    changes = data.model_dump(exclude_unset=True)
    if changes.get("name") is not None:
        category.name = await _free_name(session, tenant_id, changes["name"], category.id)
    if "description" in changes:
        category.description = changes["description"]
    if "parent_id" in changes:
        parent_id = changes["parent_id"]
        if parent_id is not None:
            await _parent(session, tenant_id, parent_id)
            if parent_id in await category_ids_under(session, category.id):
                raise Conflict("a category cannot move under itself or its own sub-categories")
        category.parent_id = parent_id
    session.add(category)
    await _flush(session, category.name)
    return category


async def delete(*, session: AsyncSession, category: AgentCategory) -> None:
    """Delete an unused category: 409 while agents or sub-categories are in it."""
    # Locked first: an agent or sub-category put in it meanwhile waits for this (its
    # foreign key check locks the row too), then finds it gone.
    await session.execute(
        select(AgentCategory.id).where(col(AgentCategory.id) == category.id).with_for_update()
    )
    agents = await _count(session, col(Agent.category_id) == category.id, Agent)
    children = await _count(session, col(AgentCategory.parent_id) == category.id, AgentCategory)
    if agents or children:
        held = " and ".join(
            part
            for part in (
                _counted(agents, "agent", "agents"),
                _counted(children, "sub-category", "sub-categories"),
            )
            if part
        )
        raise Conflict(f"{category.name!r} still holds {held}; move them to another category first")
    await session.delete(category)
    await session.flush()


def _counted(count: int, one: str, many: str) -> str:
    return "" if count == 0 else f"{count} {one if count == 1 else many}"


async def _count(session: AsyncSession, condition: Any, model: Any) -> int:
    found = await session.execute(select(func.count()).select_from(model).where(condition))
    return int(found.scalar_one())


async def _flush(session: AsyncSession, name: str) -> None:
    # The checks above ran before the write; a concurrent request may still win the race.
    try:
        await session.flush()
    except IntegrityError as exc:
        if "uq_agent_categories_tenant_name" in str(exc.orig):
            raise Conflict(f"a category named {name!r} already exists") from exc
        raise Conflict("the parent category was deleted meanwhile; choose another") from exc
