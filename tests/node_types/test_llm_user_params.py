"""Users' default model parameters on an ``llm`` node: allowed only where the node lists
bounds, and clamped to them."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from node_types import llm

BOUNDS = {"temperature": {"min": 0.2, "max": 1.0}, "max_tokens": {"max": 512}}


@pytest.mark.parametrize(
    ("config", "defaults", "expected"),
    [
        ({}, {"temperature": 0.5}, {}),  # the node does not allow user defaults
        ({"user_params": None}, {"temperature": 0.5}, {}),
        ({"user_params": {}}, {"temperature": 0.5}, {}),  # allows no parameter
        ({"user_params": BOUNDS}, {}, {}),  # the user chose nothing
        ({"user_params": BOUNDS}, {"temperature": 0.5}, {"temperature": 0.5}),
        ({"user_params": BOUNDS}, {"temperature": 1.7}, {"temperature": 1.0}),
        ({"user_params": BOUNDS}, {"temperature": 0}, {"temperature": 0.2}),
        ({"user_params": BOUNDS}, {"max_tokens": 9000}, {"max_tokens": 512}),
        ({"user_params": BOUNDS}, {"max_tokens": 100}, {"max_tokens": 100}),
        # A parameter without any bound is not allowed (an emptied form leaves {}).
        ({"user_params": {"temperature": {}, "max_tokens": {"max": 9}}}, {"temperature": 1}, {}),
        # Only temperature allowed: max_tokens is dropped.
        (
            {"user_params": {"temperature": {"max": 2}}},
            {"temperature": 1.9, "max_tokens": 7},
            {"temperature": 1.9},
        ),
        # A bound not given is the parameter's own range.
        ({"user_params": {"temperature": {"max": 1.5}}}, {"temperature": -3}, {"temperature": 0.0}),
        ({"user_params": {"max_tokens": {"min": 64}}}, {"max_tokens": 0}, {"max_tokens": 64}),
        # Not numbers: ignored (never sent to a provider).
        ({"user_params": BOUNDS}, {"temperature": "hot", "max_tokens": True}, {}),
        ({"user_params": BOUNDS}, {"temperature": None}, {}),
    ],
)
def test_user_defaults_are_clamped_to_the_nodes_bounds(
    config: dict[str, Any], defaults: dict[str, Any], expected: dict[str, Any]
) -> None:
    assert llm.user_param_values(config, defaults) == expected


def test_clamped_values_keep_their_types() -> None:
    values = llm.user_param_values(
        {"user_params": {"temperature": {"max": 1}, "max_tokens": {"max": 100}}},
        {"temperature": 2, "max_tokens": 99.9},
    )
    assert values == {"temperature": 1.0, "max_tokens": 99}
    assert isinstance(values["temperature"], float) and isinstance(values["max_tokens"], int)


def test_only_nodes_with_bounds_allow_user_defaults() -> None:
    assert not llm.allows_user_params({})
    assert not llm.allows_user_params({"user_params": None})
    assert not llm.allows_user_params({"user_params": {}})
    assert not llm.allows_user_params({"user_params": {"temperature": {}, "max_tokens": {}}})
    assert llm.allows_user_params({"user_params": {"max_tokens": {"max": 100}}})


def _problems(config: dict[str, Any]) -> list[Any]:
    return list(jsonschema.Draft202012Validator(llm.CONFIG_SCHEMA).iter_errors(config))


def test_the_config_schema_checks_the_bounds() -> None:
    assert _problems({"user_params": BOUNDS}) == []
    assert _problems({"user_params": None}) == []
    assert _problems({"user_params": {"temperature": {"max": 3}}})
    assert _problems({"user_params": {"top_p": {"max": 1}}})
    assert _problems({"user_params": {"max_tokens": {"max": 0.5}}})
