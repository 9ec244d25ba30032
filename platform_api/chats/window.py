"""The conversation a chat run starts with: the newest part of the branch, bounded by size.

A run's input and its Temporal history must not grow with the chat (Temporal refuses
payloads over 2 MB, and every turn would copy the chat again). So a run starts with at
most ``RUN_WINDOW_MAX_MESSAGES`` earlier messages taking at most
``RUN_WINDOW_MAX_BYTES`` as JSON, plus the new user message. Each message keeps its
id: the ``llm`` node's activity walks the chat from the window's first message to load
earlier turns when its model's context window has room for them
(``activities/prompt_window.py``).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from platform_core.conversation import branch_up_to, latest_branch
from platform_core.models import ChatMessage

RUN_WINDOW_MAX_MESSAGES = 24
# Measured as Temporal's JSON converter encodes it (non-ASCII escaped, so a Chinese
# character counts 6 bytes): the payload's real size.
RUN_WINDOW_MAX_BYTES = 64 * 1024
# The roles a run's conversation holds (tool results stay with the run that made them).
CONVERSATION_ROLES = ("user", "assistant", "system")


async def chat_message(
    *, session: AsyncSession, chat_id: uuid.UUID, message_id: uuid.UUID
) -> ChatMessage | None:
    """One message of the chat that is not deleted, else None."""
    message = await session.get(ChatMessage, message_id)
    if message is None or message.chat_id != chat_id or message.status == "deleted":
        return None
    return message


async def run_window(*, session: AsyncSession, leaf_id: uuid.UUID | None) -> list[dict[str, Any]]:
    """The newest messages of the branch ending at ``leaf_id``, within the window's bounds.

    Oldest first, as ``{"role", "content", "id"}``; empty if even the newest is too big
    (the ``llm`` node still loads what its model can take).
    """
    if leaf_id is None:
        return []
    return _bounded(await branch_up_to(session, leaf_id, RUN_WINDOW_MAX_MESSAGES))


async def latest_window(
    *, session: AsyncSession, chat_id: uuid.UUID
) -> tuple[uuid.UUID | None, list[dict[str, Any]]]:
    """The chat's newest message (any branch: where a turn without a parent attaches) and
    :func:`run_window` of its branch, in one read. (None, []) for a chat without messages."""
    rows = await latest_branch(session, chat_id, RUN_WINDOW_MAX_MESSAGES)
    if not rows:
        return None, []
    return rows[-1]["id"], _bounded(rows)


def _bounded(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The newest of a branch's ``rows`` (oldest first) that fit the window's bounds."""
    window: list[dict[str, Any]] = []
    size = 0
    for row in reversed(rows):  # newest first: the window keeps the latest turns
        if row["role"] not in CONVERSATION_ROLES:
            continue
        message = {"role": row["role"], "content": row["content"], "id": str(row["id"])}
        size += len(json.dumps(message))
        if size > RUN_WINDOW_MAX_BYTES:
            break
        window.append(message)
    window.reverse()
    return window
