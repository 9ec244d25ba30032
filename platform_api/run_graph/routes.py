"""Graph routes: the agent version's own graph for a recorded run and for a chat."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from platform_api.api.deps import CurrentCaller, TenantSession
from platform_api.run_graph import service
from platform_api.run_graph.schemas import RunGraph

executions_router = APIRouter(prefix="/api/v1/executions", tags=["executions"])
chats_router = APIRouter(prefix="/api/v1/chats", tags=["chat"])


@executions_router.get("/{execution_id}/graph", response_model=RunGraph)
async def execution_graph(
    execution_id: uuid.UUID, caller: CurrentCaller, session: TenantSession
) -> RunGraph:
    """The graph (nodes, edges, start and end) of the agent version the run ran on."""
    return await service.get_for_execution(
        session=session, caller=caller, execution_id=execution_id
    )


@chats_router.get("/{chat_id}/graph", response_model=RunGraph)
async def chat_graph(chat_id: uuid.UUID, caller: CurrentCaller, session: TenantSession) -> RunGraph:
    """The graph of the agent version the chat is locked to."""
    return await service.get_for_chat(session=session, caller=caller, chat_id=chat_id)
