"""Chats: a user's turns and their runs, and managing chats (open, list with search,
rename/archive, delete, upgrade, export)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.auth.caller import Caller
from platform_api.chats import window
from platform_api.chats.schemas import ChatCreate, ChatSummary, ChatUpdate
from platform_api.chats.turn_rows import write_turn
from platform_api.errors import Conflict, NotFound
from platform_api.executions.rows import new_execution
from platform_api.paging import Page, PageParams, paginate
from platform_api.quotas.service import count_session
from platform_api.store.service import record_use
from platform_core.models import Agent, AgentVersion, Chat, ChatMessage, WorkflowExecution

TITLE_LENGTH = 60


@dataclass(frozen=True)
class ChatTurn:
    """A user message stored and its run registered, ready to start.

    ``history`` is the run's conversation: a bounded window of the branch ending with the
    user message (``window.run_window``), not the whole chat.
    """

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


def _agent_with_current_version_by(key: Any) -> Any:
    """The agent (not archived) whose ``key`` column equals the bound ``agent``, with its
    current published version (NULL when it has none): a statement built once."""
    return (
        select(Agent, AgentVersion)
        .outerjoin(
            AgentVersion,
            (col(AgentVersion.agent_id) == col(Agent.id))
            & col(AgentVersion.is_current).is_(True)
            & (col(AgentVersion.status) == "published"),
        )
        .where(col(Agent.status) != "archived", key == bindparam("agent"))
    )


_AGENT_BY_ID = _agent_with_current_version_by(col(Agent.id))
_AGENT_BY_NAME = _agent_with_current_version_by(col(Agent.name))
_CHAT_WITH_AGENT = (
    select(Chat, Agent, AgentVersion)
    .outerjoin(Agent, col(Agent.id) == col(Chat.agent_id))
    .outerjoin(AgentVersion, col(AgentVersion.id) == col(Chat.agent_version_id))
    .where(col(Chat.id) == bindparam("chat"))
)


async def agent_with_current_version(
    *, session: AsyncSession, agent_id: uuid.UUID | None, agent_name: str | None
) -> tuple[Agent, AgentVersion]:
    """The agent named by id or by name and its current published version, in one read
    (a new chat's first turn is on the first token's path)."""
    if agent_id is None and not agent_name:
        raise NotFound("name an agent with agent_id or agent")
    query, agent = (_AGENT_BY_ID, agent_id) if agent_id else (_AGENT_BY_NAME, agent_name)
    row = (await session.execute(query, {"agent": agent})).first()
    if row is None:
        raise NotFound("agent not found")
    found, version = row
    if version is None:
        raise NotFound("agent has no published version")
    return found, version


async def new_chat(
    *,
    session: AsyncSession,
    caller: Caller,
    agent: Agent,
    title: str,
    expires_at: datetime | None = None,
    version: AgentVersion | None = None,
) -> tuple[Chat, AgentVersion]:
    """A new chat of the caller, locked to ``agent``'s current published version (``version``
    when the caller has already read it).

    A new chat is a session (quota) and a use of the agent; both are counted in this
    transaction and undone with it. The chat's row is the caller's to write (``open_chat``
    adds it to the session; a first turn writes it with its message and run).
    """
    if version is None:
        version = await current_published_version(session=session, agent=agent)
    await count_session(session=session, tenant_id=caller.tenant_id)
    await record_use(session=session, caller=caller, agent_id=agent.id)
    chat = Chat(
        tenant_id=caller.tenant_id,
        user_id=caller.user_id,
        agent_id=agent.id,
        agent_version_id=version.id,
        title=title,
        expires_at=expires_at,
    )
    return chat, version


async def get_own_chat(*, session: AsyncSession, caller: Caller, chat_id: uuid.UUID) -> Chat:
    """A chat of the caller; someone else's (or another tenant's) is simply not found."""
    chat = await session.get(Chat, chat_id)
    if chat is None or not _is_own(chat, caller):
        raise NotFound("chat not found")
    return chat


def _is_own(chat: Chat, caller: Caller) -> bool:
    """Whether ``chat`` is the caller's and not deleted (row-level security has already
    kept other tenants' chats out)."""
    return chat.user_id == caller.user_id and chat.status != "deleted"


async def own_chat_with_agent(
    *, session: AsyncSession, caller: Caller, chat_id: uuid.UUID
) -> tuple[Chat, Agent, AgentVersion]:
    """A chat of the caller (as :func:`get_own_chat`) with its agent and the version it is
    locked to, in one read: the next turn of a chat is on the first token's path."""
    row = (await session.execute(_CHAT_WITH_AGENT, {"chat": chat_id})).first()
    if row is None or not _is_own(row[0], caller):
        raise NotFound("chat not found")
    chat, agent, version = row
    if agent is None or version is None:
        raise NotFound("the chat's agent no longer exists")
    return chat, agent, version


async def conversation(*, session: AsyncSession, chat_id: uuid.UUID) -> list[ChatMessage]:
    """The chat's messages, oldest first."""
    rows = await session.execute(
        select(ChatMessage)
        .where(col(ChatMessage.chat_id) == chat_id, col(ChatMessage.status) != "deleted")
        .order_by(col(ChatMessage.created_at), col(ChatMessage.id))
    )
    return list(rows.scalars())


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
    """Store the user's message and register its run; 409 if the chat already has one running.

    The chat (when new), the message and the run's row are written by one statement
    (``turn_rows.write_turn``): this is on the path to the first token.
    """
    is_new = chat_id is None
    earlier: list[dict[str, Any]] | None = None  # the window, when read with the parent
    if chat_id is not None:
        chat, agent, version = await own_chat_with_agent(
            session=session, caller=caller, chat_id=chat_id
        )
        if chat.status != "active":
            raise Conflict("chat is archived; unarchive it to continue")
        if chat.expires_at is not None and chat.expires_at <= datetime.now(UTC):
            raise Conflict("chat has expired")
    else:
        agent, version = await agent_with_current_version(
            session=session, agent_id=agent_id, agent_name=agent_name
        )
        chat, version = await new_chat(
            session=session,
            caller=caller,
            agent=agent,
            version=version,
            title=next(iter((text or "").strip().splitlines()), "")[:TITLE_LENGTH] or "New chat",
        )

    execution = new_execution(
        tenant_id=caller.tenant_id,
        user_id=caller.user_id,
        agent_id=agent.id,
        version_id=version.id,
        chat_id=chat.id,
        input_data={"model_params": model_params or {}},
    )
    if regenerate_message_id is not None:
        # Run again for an existing user message: its new reply becomes a sibling branch.
        found = await window.chat_message(
            session=session, chat_id=chat.id, message_id=regenerate_message_id
        )
        if found is None or found.role != "user":
            raise NotFound("user message not found in this chat")
        message, leaf_id, text = found, found.parent_message_id, found.content
        linked, written = found, None
    else:
        if parent_message_id is None:
            # A new chat has no message to attach to: nothing to look up. Otherwise the
            # newest message and the window of its branch are one read.
            if not is_new:
                parent_message_id, earlier = await window.latest_window(
                    session=session, chat_id=chat.id
                )
        elif (
            await window.chat_message(
                session=session, chat_id=chat.id, message_id=parent_message_id
            )
            is None
        ):
            raise NotFound("parent message not found in this chat")
        leaf_id = parent_message_id
        message = ChatMessage(
            tenant_id=caller.tenant_id,
            chat_id=chat.id,
            parent_message_id=parent_message_id,
            role="user",
            content=text or "",
            workflow_execution_id=execution.execution_id,
        )
        linked, written = None, message
    user_turn = {"role": "user", "content": text or "", "id": str(message.id)}
    # The row keeps what a retry needs and no history: the retried run's llm nodes load
    # the earlier turns through the user message's parent, as any turn's do.
    execution.input_data = {**execution.input_data, "inputs": {"messages": [user_turn]}}
    execution.message_id = message.id
    try:
        await write_turn(
            session,
            execution=execution,
            opened_chat=chat if is_new else None,
            message=written,
            linked_message=linked,
            touched_chat=None if is_new else chat,
            now=datetime.now(UTC),
        )
    except IntegrityError as exc:
        # The partial unique index allows one active run per chat.
        raise Conflict("this chat already has a run in progress; wait for it or cancel it") from exc
    # A bounded window of the branch, never the whole chat (see window.py).
    messages = (
        earlier
        if earlier is not None
        else await window.run_window(session=session, leaf_id=leaf_id)
    )
    messages.append(user_turn)
    return ChatTurn(chat, agent, version, message, execution, messages)


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
    session.add(chat)
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
    # Agent name and version as per-row lookups, not joins (both rows exist: foreign keys):
    # the page looks up its 20, and the count, which drops unused columns, reads the chats
    # index alone instead of hashing every agent and version of the tenant (issue 20).
    agent_name = select(col(Agent.name)).where(col(Agent.id) == Chat.agent_id)
    version = select(col(AgentVersion.version)).where(col(AgentVersion.id) == Chat.agent_version_id)
    rows, total = await paginate(
        session,
        select(Chat, agent_name.scalar_subquery(), version.scalar_subquery())
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
                col(WorkflowExecution.chat_id),
                col(WorkflowExecution.execution_id),
                col(WorkflowExecution.status),
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
        select(col(WorkflowExecution.execution_id)).where(
            col(WorkflowExecution.chat_id) == chat.id,
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
