"""Chat management routes: many chats per user, each locked to an agent version."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from platform_api.api.deps import CurrentCaller, TenantSession
from platform_api.api.pagination import page_params
from platform_api.chats import management
from platform_api.chats.schemas import ChatCreate, ChatPublic, ChatSummary, ChatUpdate
from platform_api.chats.service import get_own_chat
from platform_api.paging import Page, PageParams

router = APIRouter(prefix="/api/v1/chats", tags=["chat"])


@router.get("", response_model=Page[ChatSummary])
async def list_chats(
    caller: CurrentCaller,
    session: TenantSession,
    page: Annotated[PageParams, Depends(page_params)],
    q: Annotated[str | None, Query(max_length=200, description="Search titles.")] = None,
    status: Annotated[str | None, Query(pattern="^(active|archived)$")] = None,
    agent_id: uuid.UUID | None = None,
) -> Page[ChatSummary]:
    """The caller's chats, most recently active first, with the run in progress if any."""
    return await management.summaries(
        session=session, caller=caller, page=page, query=q, status=status, agent_id=agent_id
    )


@router.post("", response_model=ChatPublic, status_code=201)
async def open_chat(body: ChatCreate, caller: CurrentCaller, session: TenantSession) -> object:
    """Open an empty chat with an agent."""
    return await management.open_chat(session=session, caller=caller, data=body)


@router.patch("/{chat_id}", response_model=ChatPublic)
async def update_chat(
    chat_id: uuid.UUID, body: ChatUpdate, caller: CurrentCaller, session: TenantSession
) -> object:
    """Rename, archive or unarchive a chat."""
    chat = await get_own_chat(session=session, caller=caller, chat_id=chat_id)
    return await management.update_chat(session=session, chat=chat, data=body)


@router.delete("/{chat_id}", status_code=204)
async def delete_chat(
    chat_id: uuid.UUID, caller: CurrentCaller, session: TenantSession
) -> Response:
    """Delete a chat (409 while a run is in progress)."""
    chat = await get_own_chat(session=session, caller=caller, chat_id=chat_id)
    await management.delete_chat(session=session, chat=chat)
    return Response(status_code=204)


@router.post("/{chat_id}/upgrade", response_model=ChatPublic)
async def upgrade_chat(chat_id: uuid.UUID, caller: CurrentCaller, session: TenantSession) -> object:
    """Move the chat to the agent's current published version."""
    chat = await get_own_chat(session=session, caller=caller, chat_id=chat_id)
    return await management.upgrade(session=session, chat=chat)


@router.get(
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
    body, media_type = await management.export(
        session=session, caller=caller, chat_id=chat_id, fmt=format
    )
    extension = "json" if format == "json" else "md"
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="chat-{chat_id}.{extension}"'},
    )
