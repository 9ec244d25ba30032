"""Node types: the building blocks developers compose agents from."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select
from sqlmodel import col

from platform_api.api.deps import CurrentPrincipal, TenantSession
from platform_api.node_catalog.schemas import NodeTypePublic
from platform_core.models import NodeType

router = APIRouter(prefix="/api/v1", tags=["node-types"])


@router.get("/node-types", response_model=list[NodeTypePublic])
async def list_node_types(principal: CurrentPrincipal, session: TenantSession) -> list[NodeType]:
    """Every active node type with its config, input and output JSON Schemas."""
    rows = await session.execute(
        select(NodeType).where(col(NodeType.is_active).is_(True)).order_by(col(NodeType.type_name))
    )
    return list(rows.scalars())
