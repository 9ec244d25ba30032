"""The guest runner's JSON encoder (C `_json`, no `json` import) says what json.dumps says."""

from __future__ import annotations

import json
from typing import Any

import pytest

from activities.code_guest import to_json

VALUES: list[Any] = [
    None,
    True,
    0,
    -(10**30),
    1.5,
    1e-300,
    "plain",
    "ünïcode \u2028 \x00 \ud800",
    [],
    {},
    {"nested": [1, {"deeper": [None, "x"]}], "b": False},
    {7: "int key", 2.5: "float key", None: "null key", True: "bool key"},
    (1, 2),
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_it_encodes_like_json_dumps(value: Any) -> None:
    text = to_json(value)
    assert text == json.dumps(value, allow_nan=False)
    assert text.isascii()


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ({1, 2}, TypeError),
        (float("nan"), ValueError),
        (float("inf"), ValueError),
        (object(), TypeError),
    ],
)
def test_it_refuses_what_is_not_json(value: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        to_json({"value": value})


def test_it_detects_cycles() -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular reference"):
        to_json(loop)
