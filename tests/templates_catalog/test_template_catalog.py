"""The template catalogue: loading, instantiation with every error, validity, pure runs."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from node_types.compiler import compile_plan
from node_types.pregel import final_output, run_in_memory
from node_types.registry import node_type_names
from node_types.scripted import scripted_node_fn
from node_types.validation import validate_definition
from templates_catalog import (
    TemplateParametersInvalid,
    UnknownTemplate,
    get_template,
    instantiate,
    load_catalog,
)
from templates_catalog.instantiate import parameter_references, substitute, with_defaults
from templates_catalog.spec import TemplateSpec

NAMES = [
    "approval_gated_action",
    "code_review",
    "draft_critique_revise",
    "plain_chat",
    "rag_qa",
    "research",
    "support_triage",
    "tool_agent",
]
REQUIRED = {"approval_gated_action": {"action_tool": "send_email"}}
CUSTOM: dict[str, dict[str, Any]] = {
    "approval_gated_action": {
        "action_tool": "issue_refund",
        "approver": "finance",
        "timeout_policy": "escalate",
    },
    "code_review": {"language": "rust", "extra_instructions": "Flag every unwrap()."},
    "draft_critique_revise": {"max_revisions": 1, "guidelines": "Under 100 words."},
    "plain_chat": {
        "system_prompt": "You are a pirate.",
        "temperature": 1.2,
        "model": "gpt-4o-mini",
    },
    "rag_qa": {"knowledge_base_ids": ["kb-1"], "top_k": 2, "score_threshold": 0.3},
    "research": {"search_tool": "bing", "max_results": 8},
    "support_triage": {"company_name": "ACME", "billing_instructions": "Refunds within 30 days."},
    "tool_agent": {
        "tools": ["weather", {"name": "calc", "parameters": {"type": "object"}}],
        "max_tool_rounds": 3,
    },
}
CONVERSATIONS = [
    "Refund my last invoice please",
    "My app crashes on start",
    "Write a haiku about Rust",
]


def test_catalog_has_every_template_sorted_by_name() -> None:
    catalog = load_catalog()
    assert [t.name for t in catalog] == NAMES
    assert get_template("rag_qa").name == "rag_qa"
    with pytest.raises(UnknownTemplate):
        get_template("nope")
    catalog[0].definition["nodes"] = []
    assert load_catalog()[0].definition["nodes"], "callers get copies"


@pytest.mark.parametrize("template", load_catalog(), ids=lambda t: t.name)
def test_template_files_are_well_formed(template: TemplateSpec) -> None:
    jsonschema.Draft202012Validator.check_schema(template.parameter_schema)
    properties = template.parameter_schema["properties"]
    assert set(parameter_references(template.definition)) <= set(properties)
    assert set(parameter_references(template.definition)) == set(properties), "unused parameter"
    assert template.description and template.display_name and template.category
    types = {node["type"] for node in template.definition["nodes"]}
    assert types <= set(node_type_names())
    for node in template.definition["nodes"]:
        assert node.get("position"), "the editor needs a position for every node"


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("custom", [False, True], ids=["defaults", "custom"])
def test_templates_instantiate_validate_compile_and_run(name: str, custom: bool) -> None:
    template = get_template(name)
    params = CUSTOM[name] if custom else REQUIRED.get(name, {})
    definition = instantiate(template, params)
    assert validate_definition(definition) == []
    assert "$param" not in str(definition)
    plan = compile_plan(definition)
    node_fn = scripted_node_fn(plan)
    for text in CONVERSATIONS:
        state, trace = run_in_memory(
            plan, {"messages": [{"role": "user", "content": text}]}, node_fn
        )
        assert trace and trace[0]
        answer = final_output(plan, state)
        assert isinstance(answer, str) and answer, (name, trace)
        assert state["messages"][0]["content"] == text


def test_parameters_are_substituted_with_their_types() -> None:
    definition = instantiate(get_template("tool_agent"), CUSTOM["tool_agent"])
    agent = next(n for n in definition["nodes"] if n["name"] == "agent")
    assert agent["config"]["tools"] == CUSTOM["tool_agent"]["tools"]
    assert definition["state"]["max_tool_rounds"]["default"] == 3
    chat = instantiate(get_template("plain_chat"), {})["nodes"][0]["config"]
    assert chat["temperature"] == 0.7 and chat["model"] is None and chat["history_limit"] == 40


def test_bad_parameters_report_every_error_with_a_path() -> None:
    with pytest.raises(TemplateParametersInvalid) as caught:
        instantiate(
            get_template("approval_gated_action"),
            {
                "priority": 11,
                "timeout_policy": "shrug",
                "approval_timeout_seconds": 0,
                "surprise": 1,
            },
        )
    problems = {p.path: p.message for p in caught.value.problems}
    assert set(problems) == {
        "/parameters",
        "/parameters/priority",
        "/parameters/timeout_policy",
        "/parameters/approval_timeout_seconds",
    }
    messages = [p.message for p in caught.value.problems]
    assert any("'action_tool' is a required property" in m for m in messages)
    assert any("'surprise' was unexpected" in m for m in messages)
    assert "11 is greater than the maximum of 10" in problems["/parameters/priority"]


def test_custom_parameters_change_the_behaviour() -> None:
    """A loop template honours its iteration parameter."""
    for limit in (1, 3):
        plan = compile_plan(
            instantiate(get_template("draft_critique_revise"), {"max_revisions": limit})
        )
        longest = 0
        for i in range(8):
            inputs = {"messages": [{"role": "user", "content": f"Write story #{i}"}]}
            state, _ = run_in_memory(plan, inputs, scripted_node_fn(plan))
            assert state["revision"] <= limit
            longest = max(longest, state["revision"])
        assert longest >= 1


def test_with_defaults_and_substitute_helpers() -> None:
    schema = {
        "properties": {
            "a": {"default": 1},
            "o": {"type": "object", "default": {}, "properties": {"x": {"default": 2}}},
        }
    }
    assert with_defaults(schema, {}) == {"a": 1, "o": {"x": 2}}
    assert with_defaults(schema, {"a": 5, "o": {"x": 3}}) == {"a": 5, "o": {"x": 3}}
    assert substitute({"k": [{"$param": "a"}, {"$param": "a", "other": 1}]}, {"a": [1]}) == {
        "k": [[1], {"$param": "a", "other": 1}]
    }
    with pytest.raises(KeyError):
        substitute({"$param": "missing"}, {})


def test_a_reference_to_an_undeclared_parameter_is_a_problem_with_its_path() -> None:
    from templates_catalog.instantiate import TemplateDefinitionInvalid

    spec = get_template("plain_chat")
    broken = spec.model_copy(
        update={
            "definition": {
                **spec.definition,
                "nodes": [
                    {**spec.definition["nodes"][0], "config": {"model": {"$param": "nowhere"}}},
                    *spec.definition["nodes"][1:],
                ],
            }
        }
    )
    with pytest.raises(TemplateDefinitionInvalid) as raised:
        instantiate(broken, {})
    (problem,) = raised.value.problems
    assert problem.path == "/nodes/0/config/model"
    assert "'nowhere'" in problem.message
