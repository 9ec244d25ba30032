"""Reducers: LangGraph semantics on plain JSON values."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from langgraph.graph.message import add_messages as langgraph_add_messages

from node_types.errors import InvalidUpdateError
from node_types.reducers import (
    REMOVE_ALL_MESSAGES,
    add_messages,
    append,
    assign_message_ids,
    empty_value,
    merge,
    reduce_value,
)


def test_append_concatenates_lists_and_appends_single_values() -> None:
    assert append([1], [2, 3]) == [1, 2, 3]
    assert append([1], 2) == [1, 2]
    assert append(None, [1]) == [1]
    left = [1]
    append(left, [2])
    assert left == [1]


def test_merge_is_shallow_and_later_wins() -> None:
    assert merge({"a": 1, "b": {"x": 1}}, {"b": {"y": 2}, "c": 3}) == {
        "a": 1,
        "b": {"y": 2},
        "c": 3,
    }
    with pytest.raises(InvalidUpdateError):
        merge({}, [1])


def test_replace_and_empty_values() -> None:
    assert reduce_value("replace", 1, 2) == 2
    assert [empty_value(r) for r in ("replace", "append", "add_messages", "merge")] == [
        None,
        [],
        [],
        {},
    ]
    with pytest.raises(InvalidUpdateError):
        reduce_value("sum", 1, 2)


def test_assign_message_ids_is_deterministic_and_keeps_existing_ids() -> None:
    messages = [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b", "id": "x"}]
    assert assign_message_ids(messages, "3:chat:0") == [
        {"role": "user", "content": "a", "id": "3:chat:0:0"},
        {"role": "assistant", "content": "b", "id": "x"},
    ]
    assert assign_message_ids({"role": "user", "content": "solo"}, "p") == [
        {"role": "user", "content": "solo", "id": "p:0"}
    ]


def test_add_messages_replaces_by_id_appends_new_and_removes() -> None:
    left = [
        {"role": "user", "content": "hi", "id": "1"},
        {"role": "assistant", "content": "yo", "id": "2"},
    ]
    right = [
        {"role": "assistant", "content": "hello", "id": "2"},
        {"role": "user", "content": "more", "id": "3"},
        {"role": "remove", "id": "1"},
    ]
    assert add_messages(left, right) == [
        {"role": "assistant", "content": "hello", "id": "2"},
        {"role": "user", "content": "more", "id": "3"},
    ]


def test_add_messages_remove_all_and_bad_removals() -> None:
    left = [{"role": "user", "content": "hi", "id": "1"}]
    right = [
        {"role": "remove", "id": REMOVE_ALL_MESSAGES},
        {"role": "user", "content": "new", "id": "9"},
    ]
    assert add_messages(left, right) == [{"role": "user", "content": "new", "id": "9"}]
    with pytest.raises(InvalidUpdateError, match="doesn't exist"):
        add_messages(left, [{"role": "remove", "id": "nope"}])
    with pytest.raises(InvalidUpdateError, match="role"):
        add_messages(left, [{"role": "robot", "content": "x"}])
    with pytest.raises(InvalidUpdateError, match="object"):
        add_messages(left, ["text"])


def test_add_messages_fallback_ids_never_collide() -> None:
    left = [{"role": "user", "content": "a", "id": "auto:1"}]
    merged = add_messages(
        left, [{"role": "user", "content": "b"}, {"role": "user", "content": "c"}]
    )
    ids = [m["id"] for m in merged]
    assert len(set(ids)) == 3 and ids[0] == "auto:1"


ROLE_TO_TYPE = {"user": "human", "assistant": "ai", "system": "system", "tool": "tool"}


def _as_dicts(messages: list[Any]) -> list[tuple[str, str, str]]:
    return [(m.id, m.type, m.content) for m in messages]


message_ids = st.sampled_from(["a", "b", "c", "d"])
messages = st.builds(
    lambda role, mid, content: {"role": role, "id": mid, "content": content},
    st.sampled_from(["user", "assistant", "system"]),
    message_ids,
    st.text(alphabet="xyz", max_size=3),
)
# LangChain needs a content key even on removals; ours ignores it.
removals = st.builds(lambda mid: {"role": "remove", "id": mid, "content": ""}, message_ids)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(messages, max_size=4), st.lists(st.one_of(messages, removals), max_size=5))
def test_add_messages_matches_langgraph(
    left: list[dict[str, Any]], right: list[dict[str, Any]]
) -> None:
    """Same merge as LangGraph's add_messages (which converts dicts to message objects)."""
    left = list({m["id"]: m for m in left}.values())  # a state never holds duplicate ids
    try:
        theirs: Any = _as_dicts(langgraph_add_messages(left, right))
    except ValueError as exc:
        theirs = ("error", "doesn't exist" in str(exc))
    try:
        ours: Any = [
            (m["id"], ROLE_TO_TYPE[m["role"]], m["content"]) for m in add_messages(left, right)
        ]
    except InvalidUpdateError as exc:
        ours = ("error", "doesn't exist" in str(exc))
    assert ours == theirs
