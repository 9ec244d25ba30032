"""Per-key state reducers with LangGraph semantics, on plain JSON values.

- replace: the write becomes the value; two writes to one key in one step are an
  error (LangGraph's LastValue channel raises InvalidUpdateError).
- append: lists concatenate; a non-list write appends one item.
- merge: shallow dict merge, later writes win per key.
- add_messages: LangGraph's add_messages on message dicts: messages whose id already
  exists replace it in place, new ones are appended, `{"role": "remove", "id": X}`
  deletes X and `{"role": "remove", "id": "__remove_all__"}` clears everything before it.
  Ids are never random: `assign_message_ids` derives them from the writing task's id.
"""

from __future__ import annotations

import copy
from typing import Any

from node_types.errors import InvalidUpdateError

REMOVE_ALL_MESSAGES = "__remove_all__"
MESSAGE_ROLES = ("system", "user", "assistant", "tool", "remove")


def empty_value(reducer: str) -> Any:
    """The value a key starts from when its definition gives no default."""
    if reducer in ("append", "add_messages"):
        return []
    if reducer == "merge":
        return {}
    return None


def reduce_value(reducer: str, current: Any, update: Any) -> Any:
    """Apply one write to the current value; returns a new value, never mutates."""
    if reducer == "replace":
        return update
    if reducer == "append":
        return append(current, update)
    if reducer == "merge":
        return merge(current, update)
    if reducer == "add_messages":
        return add_messages(current, update)
    raise InvalidUpdateError(f"unknown reducer {reducer!r}")


def append(current: Any, update: Any) -> list[Any]:
    """List concatenation; a single non-list value is appended as one item."""
    base = list(current) if isinstance(current, list) else []
    return base + (list(update) if isinstance(update, list) else [update])


def merge(current: Any, update: Any) -> dict[str, Any]:
    """Shallow dict merge; `update` must be an object."""
    if not isinstance(update, dict):
        raise InvalidUpdateError(f"a merge key takes an object, got {type(update).__name__}")
    return {**(current if isinstance(current, dict) else {}), **update}


def assign_message_ids(messages: Any, prefix: str) -> list[dict[str, Any]]:
    """Copy of `messages` (a message or list of messages) with missing ids set to prefix:i.

    The prefix is the writing task's id (`step:node:index`), so ids are stable across
    replays and identical in every engine that runs the same graph.
    """
    items = messages if isinstance(messages, list) else [messages]
    result = []
    for i, message in enumerate(items):
        checked = _checked_message(message)
        if checked.get("id") is None:
            checked = {**checked, "id": f"{prefix}:{i}"}
        result.append(checked)
    return result


def add_messages(current: Any, update: Any) -> list[dict[str, Any]]:
    """Merge messages by id, LangGraph's `add_messages` semantics on dicts."""
    left = [_checked_message(m) for m in (current or [])]
    right = [_checked_message(m) for m in (update if isinstance(update, list) else [update])]
    left = _with_ids(left, [], "auto")
    right = _with_ids(right, left, "auto")
    for i in range(len(right) - 1, -1, -1):
        if _is_remove(right[i]) and right[i]["id"] == REMOVE_ALL_MESSAGES:
            return right[i + 1 :]
    merged = list(left)
    position = {m["id"]: i for i, m in enumerate(merged)}
    removed: list[str] = []
    for message in right:
        mid = message["id"]
        if mid in position:
            if _is_remove(message):
                removed.append(mid)
            else:
                removed = [r for r in removed if r != mid]
                merged[position[mid]] = message
        elif _is_remove(message):
            raise InvalidUpdateError(
                f"Attempting to delete a message with an ID that doesn't exist ('{mid}')"
            )
        else:
            position[mid] = len(merged)
            merged.append(message)
    return [m for m in merged if m["id"] not in removed] if removed else merged


def _with_ids(
    messages: list[dict[str, Any]], existing: list[dict[str, Any]], prefix: str
) -> list[dict[str, Any]]:
    # Fallback for messages that reach the reducer without an id (assign_message_ids
    # normally runs first): count up from the list position, skipping ids in use.
    used = {m.get("id") for m in existing} | {m.get("id") for m in messages}
    result = []
    counter = len(existing)
    for message in messages:
        if message.get("id") is None:
            while f"{prefix}:{counter}" in used:
                counter += 1
            message = {**message, "id": f"{prefix}:{counter}"}
            used.add(message["id"])
        result.append(message)
    return result


def _is_remove(message: dict[str, Any]) -> bool:
    return message.get("role") == "remove"


def _checked_message(message: Any) -> dict[str, Any]:
    if not isinstance(message, dict):
        raise InvalidUpdateError(f"a message must be an object, got {type(message).__name__}")
    role = message.get("role")
    if role not in MESSAGE_ROLES:
        raise InvalidUpdateError(
            f"message role must be one of {', '.join(MESSAGE_ROLES)}, got {role!r}"
        )
    if role == "remove" and message.get("id") is None:
        raise InvalidUpdateError("a remove message needs the id of the message to remove")
    if message.get("id") is not None and not isinstance(message["id"], str):
        raise InvalidUpdateError("a message id must be a string")
    return copy.deepcopy(message)
