"""Chats: opening them, adding a user turn, reading history."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.auth.caller import Caller
from platform_api.errors import Conflict, NotFound
from platform_api.executions.rows import new_execution
from platform_api.quotas.limits import count_session
from platform_api.store.engagement import record_use
from platform_core.models import Agent, AgentVersion, Chat, ChatMessage, WorkflowExecution

TITLE_LENGTH = 60


@dataclass(frozen=True)
class ChatTurn:
    """A user message stored and its run registered, ready to start."""

    chat: Chat
    agent: Agent
    version: AgentVersion
    user_message: ChatMessage
    execution: WorkflowExecution
    history: list[dict[str, str]]


async def resolve_agent(
    *, session: AsyncSession, agent_id: uuid.UUID | None, agent_name: str | None
) -> Agent:
    """The agent named by id or by name, in the caller's tenant (RLS scopes the lookup)."""
    if agent_id is None and not agent_name:
        raise NotFound("name an agent with agent_id or agent")
    query = select(Agent).where(col(Agent.status) != "archived")
    if agent_id:
        query = query.where(col(Agent.id) == agent_id)
    else:
        query = query.where(col(Agent.name) == agent_name)
    agent: Agent | None = (await session.execute(query)).scalars().first()
    if agent is None:
        raise NotFound("agent not found")
    return agent


async def current_published_version(*, session: AsyncSession, agent: Agent) -> AgentVersion:
    """The version new chats lock to: the agent's current published one."""
    version: AgentVersion | None = (
        await session.execute(
            select(AgentVersion).where(
                col(AgentVersion.agent_id) == agent.id,
                col(AgentVersion.is_current).is_(True),
                col(AgentVersion.status) == "published",
            )
        )
    ).scalar_one_or_none()
    if version is None:
        raise NotFound("agent has no published version")
    return version


async def new_chat(
    *,
    session: AsyncSession,
    caller: Caller,
    agent: Agent,
    title: str,
    expires_at: datetime | None = None,
) -> tuple[Chat, AgentVersion]:
    """A new chat of the caller, locked to ``agent``'s current published version.

    A new chat is a session (quota) and a use of the agent; both are counted in this
    transaction and undone with it.
    """
    version = await current_published_version(session=session, agent=agent)
    await count_session(session=session, tenant_id=caller.tenant_id)
    chat = Chat(
        tenant_id=caller.tenant_id,
        user_id=caller.user_id,
        agent_id=agent.id,
        agent_version_id=version.id,
        title=title,
        expires_at=expires_at,
    )
    session.add(chat)
    await session.flush()
    await record_use(session=session, caller=caller, agent_id=agent.id)
    return chat, version


async def get_own_chat(*, session: AsyncSession, caller: Caller, chat_id: uuid.UUID) -> Chat:
    """A chat of the caller; someone else's (or another tenant's) is simply not found."""
    chat = await session.get(Chat, chat_id)
    if chat is None or chat.user_id != caller.user_id or chat.status == "deleted":
        raise NotFound("chat not found")
    return chat


async def conversation(*, session: AsyncSession, chat_id: uuid.UUID) -> list[ChatMessage]:
    """The chat's messages, oldest first."""
    rows = await session.execute(
        select(ChatMessage)
        .where(col(ChatMessage.chat_id) == chat_id, col(ChatMessage.status) != "deleted")
        .order_by(col(ChatMessage.created_at), col(ChatMessage.id))
    )
    return list(rows.scalars())


def branch_to(messages: list[ChatMessage], leaf_id: uuid.UUID | None) -> list[ChatMessage]:
    """The path from the root to ``leaf_id`` in the message tree (all of it if no leaf)."""
    if leaf_id is None:
        return messages
    by_id = {m.id: m for m in messages}
    path: list[ChatMessage] = []
    current = by_id.get(leaf_id)
    while current is not None and len(path) <= len(messages):
        path.append(current)
        current = by_id.get(current.parent_message_id) if current.parent_message_id else None
    return list(reversed(path))


async def add_user_turn(
    *,
    session: AsyncSession,
    caller: Caller,
    agent_id: uuid.UUID | None,
    agent_name: str | None,
    chat_id: uuid.UUID | None,
    text: str | None,
    parent_message_id: uuid.UUID | None,
    model_params: dict[str, object] | None = None,
    regenerate_message_id: uuid.UUID | None = None,
) -> ChatTurn:
    """Store the user's message and register its run; 409 if the chat already has one running."""
    if chat_id is not None:
        chat = await get_own_chat(session=session, caller=caller, chat_id=chat_id)
        if chat.status != "active":
            raise Conflict("chat is archived; unarchive it to continue")
        if chat.expires_at is not None and chat.expires_at <= datetime.now(UTC):
            raise Conflict("chat has expired")
        agent = await session.get(Agent, chat.agent_id)
        version = await session.get(AgentVersion, chat.agent_version_id)
        if agent is None or version is None:
            raise NotFound("the chat's agent no longer exists")
    else:
        agent = await resolve_agent(session=session, agent_id=agent_id, agent_name=agent_name)
        chat, version = await new_chat(
            session=session,
            caller=caller,
            agent=agent,
            title=next(iter((text or "").strip().splitlines()), "")[:TITLE_LENGTH] or "New chat",
        )

    previous = await conversation(session=session, chat_id=chat.id)
    if regenerate_message_id is not None:
        # Run again for an existing user message: its new reply becomes a sibling branch.
        message = next(
            (m for m in previous if m.id == regenerate_message_id and m.role == "user"), None
        )
        if message is None:
            raise NotFound("user message not found in this chat")
        history = (
            branch_to(previous, message.parent_message_id) if message.parent_message_id else []
        )
        text = message.content
    else:
        if parent_message_id is None and previous:
            parent_message_id = previous[-1].id
        elif parent_message_id is not None and parent_message_id not in {m.id for m in previous}:
            raise NotFound("parent message not found in this chat")
        history = branch_to(previous, parent_message_id)
        message = ChatMessage(
            tenant_id=caller.tenant_id,
            chat_id=chat.id,
            parent_message_id=parent_message_id,
            role="user",
            content=text or "",
        )
        session.add(message)
        await session.flush()
    text = text or ""
    messages = [
        {"role": m.role, "content": m.content, "id": str(m.id)}
        for m in history
        if m.role in ("user", "assistant", "system")
    ]
    execution = new_execution(
        tenant_id=caller.tenant_id,
        user_id=caller.user_id,
        agent_id=agent.id,
        version_id=version.id,
        chat_id=chat.id,
        message_id=message.id,
        input_data={"message": text, "model_params": model_params or {}},
    )
    session.add(execution)
    message.workflow_execution_id = execution.execution_id
    chat.updated_at = datetime.now(UTC)
    try:
        await session.flush()
    except IntegrityError as exc:
        # The partial unique index allows one active run per chat.
        raise Conflict("this chat already has a run in progress; wait for it or cancel it") from exc
    messages.append({"role": "user", "content": text, "id": str(message.id)})
    execution.input_data = {**execution.input_data, "inputs": {"messages": messages}}
    return ChatTurn(chat, agent, version, message, execution, messages)
