"""Every validation problem has a stable code and the params its message names (issue 15).

The UI says a problem in the reader's language from its code (ui/src/locales/*/problems.json),
so: representative problems carry the right code and params, every code the checks use is
registered in ProblemCode, and every registered code has a text in both languages whose
placeholders the problem's params fill.
"""

from __future__ import annotations

import ast
import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from node_types import schema_errors
from node_types.errors import Problem
from node_types.problem_codes import ProblemCode
from node_types.validation import validate_definition
from templates_catalog.instantiate import parameter_problems, undeclared_references
from tests.syntax_trees import parse_file

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "ui" / "src" / "locales"
# Where Problems are made: the checks, the node types' own checks, template parameters.
SOURCES = [*sorted((ROOT / "node_types").glob("*.py")), ROOT / "templates_catalog/instantiate.py"]

CHAT: dict[str, Any] = {
    "state": {"messages": {"type": "array", "reducer": "add_messages"}},
    "nodes": [{"name": "chat", "type": "llm", "config": {"system_prompt": "Be brief."}}],
    "edges": [{"source": "__start__", "target": "chat"}, {"source": "chat", "target": "__end__"}],
}


def _with(**changes: Any) -> dict[str, Any]:
    definition = copy.deepcopy(CHAT)
    definition.update(changes)
    return definition


def _coded(definition: Any) -> dict[str, tuple[str, dict[str, Any]]]:
    return {p.path: (p.code.value, p.params) for p in validate_definition(definition)}


def _texts(language: str) -> dict[str, str]:
    tree = json.loads((LOCALES / language / "problems.json").read_text(encoding="utf-8"))
    return {f"{area}.{name}": text for area, names in tree.items() for name, text in names.items()}


def test_a_router_nothing_leads_to_is_unreachable_by_name() -> None:
    definition = _with(
        nodes=[*CHAT["nodes"], {"name": "router", "type": "router", "config": {}}],
        edges=[*CHAT["edges"], {"source": "router", "target": "__end__"}],
    )
    assert _coded(definition)["/nodes/1"] == ("node.unreachable", {"node": "router"})


def test_edge_problems_carry_their_codes() -> None:
    definition = _with(
        nodes=[*CHAT["nodes"], {"name": "router", "type": "router", "config": {}}],
        edges=[
            *CHAT["edges"],
            {"source": "chat", "target": "__end__"},
            {"type": "conditional", "source": "chat", "condition": "route"},
            {"source": "chat", "target": "ghost"},
            {"source": "chat", "target": "router"},
            {"source": "router", "target": "__end__"},
        ],
        max_steps=5,
    )
    coded = _coded(definition)
    assert coded["/edges/2"] == ("edge.duplicate", {"first": 1})
    assert coded["/edges/3"] == ("edge.conditional_needs_mapping", {})
    assert coded["/edges/4/target"] == ("edge.unknown_target", {"node": "ghost"})


def test_expression_errors_carry_their_position() -> None:
    definition = _with(
        edges=[
            {"source": "__start__", "target": "chat"},
            {
                "type": "conditional",
                "source": "chat",
                "condition": "messages and (",
                "default": "__end__",
            },
        ]
    )
    code, params = _coded(definition)["/edges/1/condition"]
    assert code == "expression.syntax"
    assert isinstance(params["position"], int) and params["detail"]
    problem = next(p for p in validate_definition(definition) if p.code == code)
    assert f"at position {params['position']}" in problem.message  # the message is unchanged


def test_state_key_problems_name_the_key() -> None:
    definition = _with(output="answer", inputs=["messages", "topic"])
    coded = _coded(definition)
    assert coded["/output"] == ("state.unknown_key", {"key": "answer"})
    assert coded["/inputs/1"] == ("state.unknown_key", {"key": "topic"})
    reads = _with(
        nodes=[{"name": "chat", "type": "llm", "config": {"system_prompt": "About {{topic}}"}}]
    )
    assert ("state.read_undeclared", {"key": "topic"}) in _coded(reads).values()


def test_unknown_node_type_names_it() -> None:
    definition = _with(nodes=[{"name": "chat", "type": "llmm", "config": {}}])
    code, params = _coded(definition)["/nodes/0/type"]
    assert code == "node.unknown_type" and params["type"] == "llmm"
    assert "llm" in str(params["known"]).split(", ")


@pytest.mark.parametrize(
    ("config", "path", "code", "params"),
    [
        ({"top_k": "many"}, "/top_k", "schema.type", {"expected": "integer"}),
        ({"top_k": 99}, "/top_k", "schema.maximum", {"limit": 50}),
        ({"query": ""}, "/query", "schema.minLength", {"limit": 1}),
        ({"colour": "blue"}, "", "schema.additionalProperties", {"properties": "colour"}),
    ],
)
def test_config_schema_errors_are_coded_by_keyword(
    config: dict[str, Any], path: str, code: str, params: dict[str, Any]
) -> None:
    definition = _with(nodes=[{"name": "chat", "type": "rag", "config": config}])
    assert _coded(definition)[f"/nodes/0/config{path}"] == (code, params)


def test_template_parameter_errors_are_coded_by_keyword() -> None:
    schema = {
        "type": "object",
        "required": ["tone", "depth"],
        "properties": {
            "tone": {"enum": ["formal", "casual"]},
            "top_k": {"type": "integer", "minimum": 1},
            "name": {"type": "string", "minLength": 2, "pattern": "^[a-z]+$"},
        },
    }
    found = parameter_problems(schema, {"tone": "rude", "top_k": 0, "name": "X"})
    coded = sorted((p.path, p.code.value, tuple(sorted(p.params.items()))) for p in found)
    assert coded == [
        ("/parameters", "schema.required", (("property", "depth"),)),
        ("/parameters/name", "schema.minLength", (("limit", 2),)),
        ("/parameters/name", "schema.pattern", (("pattern", "^[a-z]+$"),)),
        ("/parameters/tone", "schema.enum", (("allowed", '"formal", "casual"'),)),
        ("/parameters/top_k", "schema.minimum", (("limit", 1),)),
    ]
    (missing,) = undeclared_references({"x": {"$param": "ghost"}}, {})
    assert (missing.code, missing.params) == ("template.unknown_parameter", {"parameter": "ghost"})


def test_shape_errors_share_the_schema_codes() -> None:
    definition = _with(
        nodes=[{"name": "Bad Name", "type": "llm", "extra": 1}],
        edges=[
            {"source": "__start__", "target": "Bad Name"},
            {"type": "fanout", "source": "__start__"},
            {"type": "teleport", "source": "__start__", "target": "__end__"},
        ],
        max_steps=0,
    )
    coded = _coded(definition)
    assert coded["/nodes/0/name"][0] == "schema.pattern"
    assert coded["/nodes/0/extra"] == ("schema.additionalProperties", {"properties": "extra"})
    assert coded["/max_steps"] == ("schema.minimum", {"limit": 1})
    assert coded["/edges/1"] == ("edge.fanout_targets_or_over", {})
    assert coded["/edges/2"][0] == "edge.unknown_kind"
    assert coded["/edges/2"][1]["kind"] == "teleport"


def test_node_types_own_checks_are_coded() -> None:
    code_node = {
        "name": "compute",
        "type": "code",
        "config": {"code": "def main(inputs):\n  return (\n", "output_key": "messages"},
    }
    definition = _with(
        nodes=[*CHAT["nodes"], code_node],
        edges=[*CHAT["edges"], {"source": "chat", "target": "compute"}],
    )
    code, params = _coded(definition)["/nodes/1/config/code"]
    assert code == "code.syntax" and params["line"] == 2 and params["detail"]


def test_every_code_the_checks_use_is_registered_and_every_registered_code_is_used() -> None:
    used: set[str] = set()
    for path in SOURCES:
        for node in ast.walk(parse_file(path)):
            is_member = isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            if is_member and node.value.id == "ProblemCode":  # type: ignore[union-attr]
                used.add(ProblemCode[node.attr].value)  # type: ignore[union-attr]
    # schema_errors builds schema.<keyword> codes from keyword lists: each must be registered.
    dynamic = [
        *schema_errors._LIMIT_KEYWORDS,
        *schema_errors._BARE_KEYWORDS,
        *(keyword for keyword, _ in schema_errors._PYDANTIC_LIMITS.values()),
    ]
    used |= {ProblemCode(f"schema.{keyword}").value for keyword in dynamic}
    assert used == {code.value for code in ProblemCode}


def test_a_problem_cannot_be_made_without_a_registered_code() -> None:
    with pytest.raises(ValueError):
        Problem(path="", message="x", code="made.up")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Problem.at("", "x")  # type: ignore[call-arg]


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_every_code_has_a_text_in_each_language(language: str) -> None:
    texts = _texts(language)
    assert [code.value for code in ProblemCode if code.value not in texts] == []


def test_the_texts_name_only_params_the_problems_carry() -> None:
    samples = [
        _with(nodes=[*CHAT["nodes"], {"name": "router", "type": "router", "config": {}}]),
        _with(output="answer", nodes=[{"name": "chat", "type": "llmm"}]),
        _with(nodes=[{"name": "chat", "type": "rag", "config": {"top_k": 99, "x": 1}}]),
        _with(nodes=[{"name": "chat", "type": "router", "config": {"cases": [{"when": "1"}]}}]),
        _with(edges=[{"type": "conditional", "source": "__start__", "condition": "a ("}]),
    ]
    seen = 0
    for sample in samples:
        for problem in validate_definition(sample):
            for language in ("en", "zh-CN"):
                text = _texts(language)[problem.code.value]
                names = set(re.findall(r"\{\{\s*(\w+)\s*\}\}", text))
                assert names <= set(problem.params), (language, problem)
            seen += 1
    assert seen >= 6
