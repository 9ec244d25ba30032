"""The `code` node type's pure half: validation (syntax with line numbers), inputs, outputs."""

from __future__ import annotations

from typing import Any

import pytest

from node_types import code
from node_types.compiler import compile_plan
from node_types.errors import DefinitionInvalid, NodeOutputError
from node_types.validation import validate_definition

GOOD = "def main(inputs):\n    return {'total': sum(inputs['numbers'])}\n"


def _definition(config: dict[str, Any]) -> dict[str, Any]:
    return {
        "state": {
            "numbers": {"type": "array", "default": [1, 2, 3]},
            "total": {"type": "number"},
            "log": {"type": "object"},
        },
        "inputs": [],
        "nodes": [{"name": "sum", "type": "code", "config": config}],
        "edges": [
            {"source": "__start__", "target": "sum"},
            {"source": "sum", "target": "__end__"},
        ],
        "output": "total",
    }


def _problems(config: dict[str, Any]) -> dict[str, str]:
    return {p.path: p.message for p in validate_definition(_definition(config))}


def test_a_valid_code_node_compiles_with_its_reads_and_writes() -> None:
    config = {
        "code": GOOD,
        "inputs": {"numbers": "numbers"},
        "outputs": {"total": "total"},
        "logs_key": "log",
    }
    plan = compile_plan(_definition(config))
    node = plan.node("sum")
    assert node.execution == "activity"
    assert node.reads == ["numbers"] and node.writes == ["total", "log"]
    assert node.config["limits"] == {}  # defaults are filled at run time
    assert code.limits(node.config) == code.DEFAULT_LIMITS


def test_syntax_errors_are_reported_with_their_line_and_column() -> None:
    source = "def main(inputs):\n    x = 1\n    return {'total': x +}\n"
    problems = _problems({"code": source, "output_key": "total"})
    assert list(problems) == ["/nodes/0/config/code"]
    message = problems["/nodes/0/config/code"]
    assert message.startswith("line 3, column ") and "invalid syntax" in message


def test_compiler_checks_beyond_parsing_are_reported_too() -> None:
    problems = _problems({"code": "return 1\ndef main(inputs):\n    pass\n", "output_key": "total"})
    assert "'return' outside function" in problems["/nodes/0/config/code"]
    assert problems["/nodes/0/config/code"].startswith("line 1")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def handler(inputs):\n    return 1\n", "must define a top-level function main"),
        ("async def main(inputs):\n    return 1\n", "line 1: main must be a plain function"),
        ("def main():\n    return 1\n", "main must take one argument"),
        ("class main:\n    pass\n", "line 1: main must be a function, not a class"),
        ("x = '\0'\n", "cannot be compiled"),  # NUL bytes
    ],
)
def test_code_must_define_a_usable_main(source: str, expected: str) -> None:
    problems = _problems({"code": source, "output_key": "total"})
    assert expected in problems["/nodes/0/config/code"]


def test_main_may_be_bound_by_assignment_or_import() -> None:
    for source in ("main = lambda inputs: inputs\n", "from json import loads as main\n"):
        assert _problems({"code": source, "output_key": "total"}) == {}


def test_outputs_output_schema_limits_and_inputs_are_checked() -> None:
    problems = _problems(
        {
            "code": GOOD,
            "output_key": "total",
            "outputs": {"total": "total"},
            "output_schema": {"type": "no-such-type"},
            "inputs": {"numbers": "numbers +"},
        }
    )
    assert "exactly one of output_key and outputs" in problems["/nodes/0/config/output_key"]
    assert "invalid JSON Schema" in problems["/nodes/0/config/output_schema/type"]
    assert "invalid expression" in problems["/nodes/0/config/inputs/numbers"]
    neither = _problems({"code": GOOD})
    assert "exactly one" in neither["/nodes/0/config/output_key"]
    limits = _problems({"code": GOOD, "output_key": "total", "limits": {"memory_mb": 1}})
    assert list(limits) == ["/nodes/0/config/limits/memory_mb"]
    with pytest.raises(DefinitionInvalid):
        compile_plan(_definition({"code": "def main(:\n", "output_key": "total"}))


def test_prepare_evaluates_inputs_and_merges_limits() -> None:
    config = {
        "code": GOOD,
        "inputs": {"numbers": "numbers", "first": "numbers[0]"},
        "output_key": "total",
        "limits": {"timeout_seconds": 2},
    }
    state = {"numbers": [4, 5]}
    job = code.prepare(config, state)
    assert job["inputs"] == {"numbers": [4, 5], "first": 4}
    assert job["limits"] == {**code.DEFAULT_LIMITS, "timeout_seconds": 2}
    job["inputs"]["numbers"].append(6)
    assert state["numbers"] == [4, 5]  # the job never aliases the state


def test_to_update_maps_outputs_checks_the_schema_and_adds_logs() -> None:
    logs = {"stdout": "hi", "stderr": "", "stdout_truncated": False, "stderr_truncated": False}
    mapped = {"code": GOOD, "outputs": {"total": "sum", "log": "detail"}, "logs_key": None}
    assert code.to_update(mapped, {"sum": 6, "detail": {"n": 3}, "extra": 1}) == {
        "total": 6,
        "log": {"n": 3},
    }
    whole = {"code": GOOD, "output_key": "total", "logs_key": "log"}
    assert code.to_update(whole, 6, logs) == {"total": 6, "log": logs}
    with pytest.raises(NodeOutputError, match="no field 'sum'"):
        code.to_update(mapped, {"detail": 1})
    with pytest.raises(NodeOutputError, match="must return a dict"):
        code.to_update(mapped, [1, 2])
    schema = {"type": "object", "required": ["sum"], "properties": {"sum": {"type": "number"}}}
    checked = {**mapped, "output_schema": schema}
    with pytest.raises(NodeOutputError, match="output_schema at /sum"):
        code.to_update(checked, {"sum": "six", "detail": 1})
    with pytest.raises(NodeOutputError, match="output_schema at /"):
        code.to_update(checked, {"detail": 1})
