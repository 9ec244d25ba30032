"""Reading the node-type catalog (seeded from ``node_types`` by the composition root)."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from node_types.compiler import type_defaults
from node_types.registry import UnknownNodeType
from platform_api.node_catalog.schemas import NodeTypePublic
from platform_core.models import NodeType


async def active_node_types(*, session: AsyncSession) -> list[NodeTypePublic]:
    """Every active node type, by name, with the retry policy and timeouts it defaults to."""
    rows = await session.execute(
        select(NodeType).where(col(NodeType.is_active).is_(True)).order_by(col(NodeType.type_name))
    )
    return [_public(row) for row in rows.scalars()]


def _public(row: NodeType) -> NodeTypePublic:
    public = NodeTypePublic.model_validate(row)
    if row.execution == "inline":
        return public
    try:
        # The compiler's own defaults, so the editor shows exactly what a run will use.
        retry, timeouts = type_defaults(row.type_name)
    except UnknownNodeType:  # a catalog row this build no longer knows: no defaults to show
        return public
    return public.model_copy(update={"default_retry": retry, "default_timeouts": timeouts})
