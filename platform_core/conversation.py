"""Walking a chat's message tree: one branch, from a message up toward the root.

Both the API (a run's starting window) and the ``llm`` node's activity (earlier turns
that fit its model) read a branch the same way: one recursive query, bounded, that
stops at a deleted message and never leaves the chat.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

_STEP = (
    " UNION ALL"
    " SELECT m.id, m.parent_message_id, m.role, m.content, m.chat_id, b.depth + 1"
    " FROM chat_messages m JOIN branch b ON m.id = b.parent_message_id"
    " WHERE b.depth < :limit AND m.status <> 'deleted' AND m.chat_id = b.chat_id"
    ") SELECT id, parent_message_id, role, content FROM branch ORDER BY depth DESC"
)
_BRANCH = text(
    "WITH RECURSIVE branch AS ("
    " SELECT id, parent_message_id, role, content, chat_id, 1 AS depth"
    " FROM chat_messages WHERE id = :leaf AND status <> 'deleted'" + _STEP
)
# The same walk from the chat's newest message (any branch): where a turn without a
# parent attaches, found and walked in one statement.
_LATEST_BRANCH = text(
    "WITH RECURSIVE branch AS ("
    " SELECT id, parent_message_id, role, content, chat_id, 1 AS depth"
    " FROM chat_messages WHERE chat_id = :chat AND status <> 'deleted'"
    " AND id = (SELECT id FROM chat_messages WHERE chat_id = :chat AND status <> 'deleted'"
    " ORDER BY created_at DESC, id DESC LIMIT 1)" + _STEP
)


async def branch_up_to(
    session: AsyncSession, leaf_id: uuid.UUID, limit: int
) -> list[dict[str, Any]]:
    """``leaf_id`` and up to ``limit - 1`` of its ancestors, oldest first (a deleted one ends
    it). Rows are ``{"id", "parent_message_id", "role", "content"}``; the tenant's row-level
    security scopes the walk."""
    rows = await session.execute(_BRANCH, {"leaf": leaf_id, "limit": limit})
    return [dict(row._mapping) for row in rows]


async def latest_branch(
    session: AsyncSession, chat_id: uuid.UUID, limit: int
) -> list[dict[str, Any]]:
    """:func:`branch_up_to` from the chat's newest message that is not deleted (the last
    row); empty for a chat without messages."""
    rows = await session.execute(_LATEST_BRANCH, {"chat": chat_id, "limit": limit})
    return [dict(row._mapping) for row in rows]
