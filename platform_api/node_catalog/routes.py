"""Node types: the building blocks developers compose agents from."""

from __future__ import annotations

from fastapi import APIRouter

from platform_api.api.deps import CurrentCaller, TenantSession
from platform_api.node_catalog import service
from platform_api.node_catalog.schemas import NodeTypePublic

router = APIRouter(prefix="/api/v1", tags=["node-types"])


@router.get("/node-types", response_model=list[NodeTypePublic])
async def list_node_types(caller: CurrentCaller, session: TenantSession) -> list[NodeTypePublic]:
    """Every active node type with its JSON Schemas and its default retry policy and timeouts."""
    return await service.active_node_types(session=session)
