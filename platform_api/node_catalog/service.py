"""Reading the node-type catalog (seeded from ``node_types`` by the composition root)."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_core.models import NodeType


async def active_node_types(*, session: AsyncSession) -> list[NodeType]:
    """Every active node type, by name."""
    rows = await session.execute(
        select(NodeType).where(col(NodeType.is_active).is_(True)).order_by(col(NodeType.type_name))
    )
    return list(rows.scalars())
