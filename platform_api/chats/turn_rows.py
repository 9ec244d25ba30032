"""A chat turn's rows written by one statement: its run, its user message and its chat.

A turn writes up to three rows and touches one more: the chat (when the turn opens it),
the user's message (or, regenerating, links an earlier one to the new run), the run's
execution row, and the chat's ``updated_at``. The ORM's flush sends one statement per
row; they are all on the path to the first token, so here they go as one statement of
data-modifying CTEs. PostgreSQL checks the foreign keys between them (message → chat,
run → message) at the end of the statement, and a conflict on any of them (the chat's
one active run) undoes the whole statement.

The objects stay out of the session (they are written here, not by its flush); what the
caller reads of them afterwards (ids, values) is what was written.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import inspect, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_core.models import Chat, ChatMessage, WorkflowExecution


def _row(entity: Any) -> dict[Any, Any]:
    """Every mapped column of ``entity`` with its value (keyed by column: attribute names
    and column names differ, e.g. a message's ``metadata``)."""
    return {
        attr.columns[0]: getattr(entity, attr.key) for attr in inspect(type(entity)).column_attrs
    }


async def write_turn(
    session: AsyncSession,
    *,
    execution: WorkflowExecution,
    opened_chat: Chat | None = None,
    message: ChatMessage | None = None,
    linked_message: ChatMessage | None = None,
    touched_chat: Chat | None = None,
    now: datetime,
) -> None:
    """Write the turn's rows in ``session``'s transaction, in one round trip.

    ``opened_chat``: a chat this turn opens (inserted). ``message``: the user's new
    message (inserted). ``linked_message``: an existing message the run answers again
    (its ``workflow_execution_id`` set). ``touched_chat``: an existing chat whose
    ``updated_at`` becomes ``now``. Raises ``IntegrityError`` when a constraint refuses
    any of it (nothing is written).
    """
    statement = insert(WorkflowExecution).values(_row(execution))
    if opened_chat is not None:
        statement = statement.add_cte(insert(Chat).values(_row(opened_chat)).cte("turn_chat"))
    if message is not None:
        statement = statement.add_cte(insert(ChatMessage).values(_row(message)).cte("turn_message"))
    if linked_message is not None:
        statement = statement.add_cte(
            update(ChatMessage)
            .where(col(ChatMessage.id) == linked_message.id)
            .values(workflow_execution_id=execution.execution_id)
            .cte("turn_link")
        )
    if touched_chat is not None:
        statement = statement.add_cte(
            update(Chat)
            .where(col(Chat.id) == touched_chat.id)
            .values(updated_at=now)
            .cte("turn_touch")
        )
    await session.execute(statement)
    # The loaded objects now say what the row says, without a second write at commit.
    if linked_message is not None:
        set_committed_value(linked_message, "workflow_execution_id", execution.execution_id)
    if touched_chat is not None:
        set_committed_value(touched_chat, "updated_at", now)
