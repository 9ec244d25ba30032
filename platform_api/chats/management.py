"""Managing chats: open, list with search, rename/archive, delete, upgrade, export."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.auth.caller import Caller
from platform_api.chats.schemas import ChatCreate, ChatSummary, ChatUpdate
from platform_api.chats.service import (
    conversation,
    current_published_version,
    get_own_chat,
    new_chat,
    resolve_agent,
)
from platform_api.errors import Conflict
from platform_api.paging import Page, PageParams, paginate
from platform_core.models import Agent, AgentVersion, Chat, WorkflowExecution

ACTIVE_RUN = ("pending", "running", "paused", "interrupted")


async def open_chat(*, session: AsyncSession, caller: Caller, data: ChatCreate) -> Chat:
    """An empty chat locked to the agent's current published version."""
    agent = await resolve_agent(session=session, agent_id=data.agent_id, agent_name=None)
    chat, _ = await new_chat(
        session=session,
        caller=caller,
        agent=agent,
        title=data.title or f"Chat with {agent.name}",
        expires_at=data.expires_at,
    )
    return chat


async def summaries(
    *,
    session: AsyncSession,
    caller: Caller,
    page: PageParams,
    query: str | None,
    status: str | None,
    agent_id: uuid.UUID | None,
) -> Page[ChatSummary]:
    """The caller's active (or archived) chats, newest activity first, with run info."""
    conditions: list[Any] = [Chat.user_id == caller.user_id]
    # Archived chats leave the sidebar until asked for; deleted ones never come back.
    conditions.append(Chat.status == (status or "active"))
    if query:
        conditions.append(col(Chat.title).ilike(f"%{query.strip()}%"))
    if agent_id:
        conditions.append(Chat.agent_id == agent_id)
    rows, total = await paginate(
        session,
        select(Chat, Agent.name, AgentVersion.version)
        .join(Agent, col(Agent.id) == Chat.agent_id)
        .join(AgentVersion, col(AgentVersion.id) == Chat.agent_version_id)
        .where(*conditions)
        .order_by(col(Chat.updated_at).desc(), col(Chat.id)),
        page,
        scalars=False,
    )
    chat_ids = [chat.id for chat, _, _ in rows]
    active: dict[uuid.UUID, tuple[uuid.UUID, str]] = {}
    if chat_ids:
        runs = await session.execute(
            select(
                WorkflowExecution.chat_id,
                WorkflowExecution.execution_id,
                WorkflowExecution.status,
            ).where(
                col(WorkflowExecution.chat_id).in_(chat_ids),
                col(WorkflowExecution.status).in_(ACTIVE_RUN),
            )
        )
        active = {chat_id: (eid, st) for chat_id, eid, st in runs.all() if chat_id}
    items = [
        ChatSummary(
            id=chat.id,
            agent_id=chat.agent_id,
            agent_version_id=chat.agent_version_id,
            title=chat.title,
            status=chat.status,
            is_sandbox=chat.is_sandbox,
            created_at=chat.created_at,
            updated_at=chat.updated_at,
            expires_at=chat.expires_at,
            agent_name=agent_name,
            agent_version=version,
            active_execution_id=active.get(chat.id, (None, None))[0],
            active_run_status=active.get(chat.id, (None, None))[1],
        )
        for chat, agent_name, version in rows
    ]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


async def update_chat(*, session: AsyncSession, chat: Chat, data: ChatUpdate) -> Chat:
    """Rename, archive/unarchive, or set the expiry."""
    changes = data.model_dump(exclude_unset=True)
    for key, value in changes.items():
        if value is not None or key == "expires_at":
            setattr(chat, key, value)
    chat.updated_at = datetime.now(UTC)
    session.add(chat)
    return chat


async def delete_chat(*, session: AsyncSession, chat: Chat) -> None:
    """Soft-delete: the chat disappears for its user; runs and records stay for audit."""
    await _no_active_run(session, chat)
    chat.status = "deleted"
    chat.updated_at = datetime.now(UTC)
    session.add(chat)


async def _no_active_run(session: AsyncSession, chat: Chat) -> None:
    running = await session.execute(
        select(WorkflowExecution.execution_id).where(
            WorkflowExecution.chat_id == chat.id,
            col(WorkflowExecution.status).in_(ACTIVE_RUN),
        )
    )
    if running.first() is not None:
        raise Conflict("the chat has a run in progress; wait for it or cancel it")


async def upgrade(*, session: AsyncSession, chat: Chat) -> Chat:
    """Lock the chat to its agent's current published version (an explicit choice)."""
    await _no_active_run(session, chat)
    agent = await session.get(Agent, chat.agent_id)
    if agent is None:
        raise Conflict("the chat's agent no longer exists")
    version = await current_published_version(session=session, agent=agent)
    chat.agent_version_id = version.id
    chat.updated_at = datetime.now(UTC)
    session.add(chat)
    return chat


async def export(
    *, session: AsyncSession, caller: Caller, chat_id: uuid.UUID, fmt: str
) -> tuple[str, str]:
    """The chat as JSON or Markdown: (body, media type)."""
    chat = await get_own_chat(session=session, caller=caller, chat_id=chat_id)
    agent = await session.get(Agent, chat.agent_id)
    version = await session.get(AgentVersion, chat.agent_version_id)
    messages = await conversation(session=session, chat_id=chat.id)
    if fmt == "json":
        document = {
            "chat": {
                "id": str(chat.id),
                "title": chat.title,
                "created_at": chat.created_at.isoformat(),
                "agent": agent.name if agent else None,
                "agent_version": version.version if version else None,
            },
            "messages": [
                {
                    "id": str(m.id),
                    "parent_message_id": str(m.parent_message_id) if m.parent_message_id else None,
                    "role": m.role,
                    "content": m.content,
                    "created_at": m.created_at.isoformat(),
                }
                for m in messages
            ],
        }
        return json.dumps(document, ensure_ascii=False, indent=2), "application/json"
    lines = [
        f"# {chat.title}",
        "",
        f"Agent: {agent.name if agent else '?'} {version.version if version else ''}".rstrip(),
        f"Started: {chat.created_at.isoformat()}",
        "",
    ]
    for m in messages:
        lines += [f"## {m.role.capitalize()} · {m.created_at.isoformat()}", "", m.content, ""]
    return "\n".join(lines), "text/markdown; charset=utf-8"
