"""A chat turn's rows written by one statement: its run, its user message and its chat.

A turn writes up to three rows and touches one more: the chat (when the turn opens it),
the user's message (or, regenerating, links an earlier one to the new run), the run's
execution row, and the chat's ``updated_at``. The ORM's flush sends one statement per
row; they are all on the path to the first token, so here they go as one statement of
data-modifying CTEs. PostgreSQL checks the foreign keys between them (message → chat,
run → message) at the end of the statement, and a conflict on any of them (the chat's
one active run) undoes the whole statement.

The objects stay out of the session (they are written here, not by its flush); what the
caller reads of them afterwards (ids, values) is what was written. The statement is built
once for each shape of turn; only its values change.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import bindparam, inspect, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_core.models import Chat, ChatMessage, WorkflowExecution


def _columns(model: Any) -> list[tuple[str, Any]]:
    """Every mapped column of ``model``: (attribute name, column). They differ, e.g. a
    message's ``message_metadata`` is its ``metadata`` column."""
    return [(attr.key, attr.columns[0]) for attr in inspect(model).column_attrs]


def _insert(model: Any, prefix: str) -> Any:
    """An insert of every column of ``model``, each value a parameter ``<prefix><attr>``."""
    return insert(model).values(
        {column: bindparam(prefix + key, type_=column.type) for key, column in _columns(model)}
    )


def _values(entity: Any, prefix: str) -> dict[str, Any]:
    return {prefix + key: getattr(entity, key) for key, _ in _columns(type(entity))}


@cache
def _statement(opens_chat: bool, new_message: bool, links_message: bool, touches: bool) -> Any:
    """The turn's statement for one shape of turn, built once per shape."""
    statement = _insert(WorkflowExecution, "run_")
    if opens_chat:
        statement = statement.add_cte(_insert(Chat, "chat_").cte("turn_chat"))
    if new_message:
        statement = statement.add_cte(_insert(ChatMessage, "message_").cte("turn_message"))
    if links_message:
        statement = statement.add_cte(
            update(ChatMessage)
            .where(col(ChatMessage.id) == bindparam("linked"))
            .values(workflow_execution_id=bindparam("run_execution_id"))
            .cte("turn_link")
        )
    if touches:
        statement = statement.add_cte(
            update(Chat)
            .where(col(Chat.id) == bindparam("touched"))
            .values(updated_at=bindparam("now"))
            .cte("turn_touch")
        )
    return statement


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
    values = _values(execution, "run_")
    if opened_chat is not None:
        values |= _values(opened_chat, "chat_")
    if message is not None:
        values |= _values(message, "message_")
    if linked_message is not None:
        values["linked"] = linked_message.id
    if touched_chat is not None:
        values |= {"touched": touched_chat.id, "now": now}
    shape = (
        opened_chat is not None,
        message is not None,
        linked_message is not None,
        touched_chat is not None,
    )
    await session.execute(_statement(*shape), values)
    # The loaded objects now say what the row says, without a second write at commit.
    if linked_message is not None:
        set_committed_value(linked_message, "workflow_execution_id", execution.execution_id)
    if touched_chat is not None:
        set_committed_value(touched_chat, "updated_at", now)
