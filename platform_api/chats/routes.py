"""Chat routes: the seeds' streaming completion and history (/chat), and managing many chats
per user, each locked to an agent version (/chats)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import StreamingResponse

from platform_api.api.deps import (
    CurrentCaller,
    LauncherDep,
    ServicesDep,
    TenantSession,
)
from platform_api.api.pagination import page_params
from platform_api.chats import service
from platform_api.chats.schemas import (
    ChatCompletionRequest,
    ChatCreate,
    ChatHistory,
    ChatPublic,
    ChatSummary,
    ChatUpdate,
    MessagePublic,
)
from platform_api.chats.service import get_own_chat
from platform_api.paging import Page, PageParams
from platform_api.streaming.responses import sse_response
from platform_api.streaming.sse import run_event_frames

router = APIRouter(prefix="/api/v1/chat", tags=["chat"])


@router.post(
    "/completions",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "The run's events as SSE."},
        404: {"description": "Unknown agent, chat or parent message."},
        409: {"description": "The chat already has a run in progress."},
    },
)
async def chat_completions(
    body: ChatCompletionRequest,
    caller: CurrentCaller,
    services: ServicesDep,
    launcher: LauncherDep,
) -> StreamingResponse:
    """Send a message and stream the agent's run as Server-Sent Events."""
    turn = await launcher.chat_turn(
        caller=caller,
        agent_id=body.agent_id,
        agent_name=body.agent,
        chat_id=body.chat_id,
        text=body.message,
        parent_message_id=body.parent_message_id,
        model_params=body.config,
        regenerate_message_id=body.regenerate_message_id,
        breakpoints=body.breakpoints,
    )
    headers = {
        "X-Chat-Id": str(turn.chat.id),
        "X-Execution-Id": str(turn.execution.execution_id),
        "X-Message-Id": str(turn.user_message.id),
    }
    frames = run_event_frames(
        services.run_events, tenant_id=str(caller.tenant_id), stream_id=turn.execution.workflow_id
    )
    return sse_response(frames, services=services, caller=caller, headers=headers)


@router.get("/history", response_model=ChatHistory)
async def chat_history(
    caller: CurrentCaller,
    services: ServicesDep,
    chat_id: Annotated[
        uuid.UUID, Query(alias="chat_id", description="The chat (the seeds' session_id).")
    ],
) -> ChatHistory:
    """A chat's messages, oldest first."""
    async with services.database.tenant_session(caller.tenant_id) as session:
        chat = await service.get_own_chat(session=session, caller=caller, chat_id=chat_id)
        messages = await service.conversation(session=session, chat_id=chat.id)
    return ChatHistory(
        chat=ChatPublic.model_validate(chat, from_attributes=True),
        messages=[MessagePublic.model_validate(m, from_attributes=True) for m in messages],
    )


chats_router = APIRouter(prefix="/api/v1/chats", tags=["chat"])


@chats_router.get("", response_model=Page[ChatSummary])
async def list_chats(
    caller: CurrentCaller,
    session: TenantSession,
    page: Annotated[PageParams, Depends(page_params)],
    q: Annotated[str | None, Query(max_length=200, description="Search titles.")] = None,
    status: Annotated[str | None, Query(pattern="^(active|archived)$")] = None,
    agent_id: uuid.UUID | None = None,
) -> Page[ChatSummary]:
    """The caller's chats, most recently active first, with the run in progress if any."""
    return await service.summaries(
        session=session, caller=caller, page=page, query=q, status=status, agent_id=agent_id
    )


@chats_router.post("", response_model=ChatPublic, status_code=201)
async def open_chat(body: ChatCreate, caller: CurrentCaller, session: TenantSession) -> object:
    """Open an empty chat with an agent."""
    return await service.open_chat(session=session, caller=caller, data=body)


@chats_router.patch("/{chat_id}", response_model=ChatPublic)
async def update_chat(
    chat_id: uuid.UUID, body: ChatUpdate, caller: CurrentCaller, session: TenantSession
) -> object:
    """Rename, archive or unarchive a chat."""
    chat = await get_own_chat(session=session, caller=caller, chat_id=chat_id)
    return await service.update_chat(session=session, chat=chat, data=body)


@chats_router.delete("/{chat_id}", status_code=204)
async def delete_chat(
    chat_id: uuid.UUID, caller: CurrentCaller, session: TenantSession
) -> Response:
    """Delete a chat (409 while a run is in progress)."""
    chat = await get_own_chat(session=session, caller=caller, chat_id=chat_id)
    await service.delete_chat(session=session, chat=chat)
    return Response(status_code=204)


@chats_router.post("/{chat_id}/upgrade", response_model=ChatPublic)
async def upgrade_chat(chat_id: uuid.UUID, caller: CurrentCaller, session: TenantSession) -> object:
    """Move the chat to the agent's current published version."""
    chat = await get_own_chat(session=session, caller=caller, chat_id=chat_id)
    return await service.upgrade(session=session, chat=chat)


@chats_router.get(
    "/{chat_id}/export",
    response_class=Response,
    responses={200: {"content": {"application/json": {}, "text/markdown": {}}}},
)
async def export_chat(
    chat_id: uuid.UUID,
    caller: CurrentCaller,
    session: TenantSession,
    format: Annotated[str, Query(pattern="^(json|markdown)$")] = "json",
) -> Response:
    """Download the chat as JSON or Markdown."""
    body, media_type = await service.export(
        session=session, caller=caller, chat_id=chat_id, fmt=format
    )
    extension = "json" if format == "json" else "md"
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="chat-{chat_id}.{extension}"'},
    )
