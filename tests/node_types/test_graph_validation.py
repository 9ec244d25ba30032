"""validate_definition reports every problem at once, each with a JSON pointer."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from node_types.validation import validate_definition

CHAT: dict[str, Any] = {
    "state": {"messages": {"type": "array", "reducer": "add_messages"}},
    "nodes": [{"name": "chat", "type": "llm", "config": {"system_prompt": "Be brief."}}],
    "edges": [{"source": "__start__", "target": "chat"}, {"source": "chat", "target": "__end__"}],
}


def _problems(definition: Any) -> dict[str, str]:
    return {p.path: p.message for p in validate_definition(definition)}


def test_a_valid_definition_has_no_problems() -> None:
    assert validate_definition(CHAT) == []


def test_not_an_object() -> None:
    assert _problems([1]) == {"": "a workflow definition must be a JSON object"}


def test_every_problem_is_reported_in_one_call() -> None:
    broken = {
        "state": {
            "messages": {"type": "array", "reducer": "add_messages"},
            "score": {"type": "integer", "default": "high"},
            "unused_in": {"type": "strng"},
            "if": {"type": "string"},
        },
        "nodes": [
            {
                "name": "chat",
                "type": "llm",
                "config": {"temperature": 7, "max_tokens": 0, "sytem_prompt": "x"},
            },
            {"name": "chat", "type": "llm"},
            {"name": "ghost", "type": "teleport"},
            {
                "name": "route",
                "type": "router",
                "config": {"cases": [{"when": "score >", "route": "x"}]},
            },
            {
                "name": "orphan",
                "type": "transform",
                "config": {"assign": {"messages": "missing_key"}},
            },
            {
                "name": "loner",
                "type": "llm",
                "config": {"prompt": "{{ open('x') }}", "output_key": "answer"},
            },
        ],
        "edges": [
            {"source": "__start__", "target": "chat"},
            {"source": "__start__", "target": "chat"},
            {"source": "chat", "target": "nowhere"},
            {
                "type": "conditional",
                "source": "chat",
                "condition": "score ==",
                "mapping": {"a": "route", "b": "void"},
            },
            {"type": "conditional", "source": "route", "condition": "true"},
            {"source": "__end__", "target": "chat"},
            {"source": "ghost", "target": "__start__"},
            {"type": "fanout", "source": "route", "targets": []},
        ],
        "inputs": ["messages", "nope"],
        "output": "absent",
    }
    problems = _problems(broken)
    expected = {
        "/edges/7": "`targets` must name at least one node",
        "/state/score/default": "expected integer, got string",
        "/state/unused_in/type": "unknown type 'strng'",
        "/state/if": "reserved word",
        "/nodes/0/config": "Additional properties are not allowed ('sytem_prompt' was unexpected)",
        "/nodes/0/config/max_tokens": "0 is less than the minimum of 1",
        "/nodes/0/config/temperature": "7 is greater than the maximum of 2",
        "/nodes/1/name": "duplicate node name 'chat'",
        "/nodes/2/type": "unknown node type 'teleport'",
        "/nodes/3/config/cases/0/when": "invalid expression: syntax error",
        "/nodes/4/config/assign/messages": "reads 'missing_key'",
        "/nodes/5/config/prompt": "invalid template: in placeholder: unknown function 'open'",
        "/nodes/5/config": "writes 'answer', which is not a declared state key",
        "/edges/1": "duplicate edge (same as /edges/0)",
        "/edges/2/target": "unknown target node 'nowhere'",
        "/edges/3/condition": "invalid expression: syntax error",
        "/edges/3/mapping/b": "unknown target node 'void'",
        "/edges/4": "a conditional edge needs a mapping or a default",
        "/edges/5/source": "no edge may leave __end__",
        "/edges/6/target": "no edge may lead to __start__",
        "/inputs/1": "unknown state key 'nope'",
        "/output": "unknown state key 'absent'",
    }
    for path, fragment in expected.items():
        assert path in problems, (path, problems)
        assert fragment in problems[path], (path, problems[path])


def test_reachability_end_paths_and_cycles() -> None:
    definition = {
        "state": {"messages": {"type": "array", "reducer": "add_messages"}},
        "nodes": [
            {"name": "a", "type": "llm"},
            {"name": "b", "type": "llm"},
            {"name": "island", "type": "llm"},
            {"name": "sink", "type": "llm"},
        ],
        "edges": [
            {"source": "__start__", "target": "a"},
            {"source": "a", "target": "b"},
            {
                "type": "conditional",
                "source": "b",
                "condition": "len(messages) > 4",
                "mapping": {"true": "__end__"},
                "default": "a",
            },
            {"source": "a", "target": "sink"},
            {"source": "island", "target": "__end__"},
        ],
    }
    problems = _problems(definition)
    assert problems["/nodes/2"] == "node 'island' is unreachable from __start__"
    assert problems["/nodes/3"] == "node 'sink' has no path to __end__"
    assert problems["/max_steps"].startswith("the graph loops (a → b → a)")
    bounded = {**definition, "max_steps": 10}
    assert "/max_steps" not in _problems(bounded)


def test_no_edge_from_start() -> None:
    definition = copy.deepcopy(CHAT)
    definition["edges"] = [{"source": "chat", "target": "__end__"}]
    problems = _problems(definition)
    assert problems["/edges"] == "no edge leaves __start__"
    assert problems["/nodes/0"] == "node 'chat' is unreachable from __start__"


def test_shape_errors_have_pointers_into_the_document() -> None:
    definition = copy.deepcopy(CHAT)
    definition["nodes"][0]["name"] = "bad name!"
    definition["nodes"][0]["retry"] = {"max_attempts": 0}
    definition["edges"].append({"type": "teleport", "source": "chat"})
    definition["edges"].append(
        {"type": "fanout", "source": "chat", "targets": ["chat"], "over": "x"}
    )
    definition["max_steps"] = 0
    definition["surprise"] = True
    problems = _problems(definition)
    assert "should match pattern" in problems["/nodes/0/name"]
    assert "greater than or equal to 1" in problems["/nodes/0/retry/max_attempts"]
    assert "does not match any of the expected tags" in problems["/edges/2"]
    assert "either `targets` or `target` + `over`" in problems["/edges/3"]
    assert "greater than or equal to 1" in problems["/max_steps"]
    assert "Extra inputs are not permitted" in problems["/surprise"]


def test_reads_must_be_written_by_someone() -> None:
    definition = {
        "state": {
            "messages": {"type": "array", "reducer": "add_messages"},
            "topic": {"type": "string"},
            "limit": {"type": "integer", "default": 3},
            "summary": {"type": "string"},
        },
        "nodes": [
            {
                "name": "write",
                "type": "llm",
                "config": {"system_prompt": "About {{ topic }} in {{ limit }} lines"},
            },
            {
                "name": "check",
                "type": "llm",
                "config": {"output_key": "summary"},
                "reads": ["summary", "topic"],
            },
        ],
        "edges": [
            {"source": "__start__", "target": "write"},
            {
                "type": "conditional",
                "source": "write",
                "condition": "len(summary) > limit",
                "mapping": {"true": "__end__"},
                "default": "check",
            },
            {"source": "check", "target": "__end__"},
        ],
    }
    problems = validate_definition(definition)
    assert [(p.path, p.message) for p in problems] == [
        (
            "/nodes/0/config/system_prompt",
            "reads state key 'topic', which no node writes, no input provides and has no default",
        ),
        (
            "/nodes/1/reads/1",
            "reads state key 'topic', which no node writes, no input provides and has no default",
        ),
    ]
    definition["inputs"] = ["messages", "topic"]
    assert validate_definition(definition) == []


def test_send_targets_read_their_payload() -> None:
    definition = {
        "state": {
            "messages": {"type": "array", "reducer": "add_messages"},
            "topics": {"type": "array"},
            "notes": {"type": "array", "reducer": "append"},
            "style": {"type": "string", "default": "terse"},
        },
        "nodes": [
            {
                "name": "plan",
                "type": "llm",
                "config": {"output_key": "topics", "json_schema": {"type": "array"}},
            },
            {
                "name": "research",
                "type": "llm",
                "config": {
                    "include_history": False,
                    "append_to_messages": False,
                    "output_key": "notes",
                    "prompt": "{{ topic }} ({{ style }}, {{ messages }})",
                },
            },
        ],
        "edges": [
            {"source": "__start__", "target": "plan"},
            {
                "type": "fanout",
                "source": "plan",
                "target": "research",
                "over": "topics",
                "item_key": "topic",
                "include": ["style"],
            },
            {"source": "research", "target": "__end__"},
            {"source": "plan", "target": "__end__"},
        ],
    }
    problems = _problems(definition)
    message = "reads 'messages', which is not in its Send payload (add it to `include`)"
    assert problems == {"/nodes/1/config/prompt": message}


def test_node_type_specific_checks() -> None:
    definition = copy.deepcopy(CHAT)
    definition["state"]["human_input"] = {"type": "object"}
    definition["state"]["result"] = {"type": "any"}
    definition["nodes"] += [
        {
            "name": "ask",
            "type": "human",
            "config": {
                "deadline": {
                    "after_seconds": 60,
                    "policy": "default_branch",
                    "default_input": {"approved": "maybe"},
                }
            },
        },
        {"name": "call", "type": "tool", "config": {"mode": "direct"}},
    ]
    definition["edges"] = [
        {"source": "__start__", "target": "chat"},
        {"source": "chat", "target": "ask"},
        {"source": "ask", "target": "call"},
        {"source": "call", "target": "__end__"},
    ]
    problems = _problems(definition)
    assert (
        problems["/nodes/1/config/deadline/default_input/approved"]
        == "'maybe' is not of type 'boolean'"
    )
    assert problems["/nodes/2/config/tool"] == "None is not of type 'string'"


@pytest.mark.parametrize("key", ["__hidden", "1abc", "with-dash", "None", "lambda"])
def test_state_key_names_must_be_usable_in_expressions(key: str) -> None:
    definition = copy.deepcopy(CHAT)
    definition["state"][key] = {"type": "string", "default": "x"}
    assert f"/state/{key}" in _problems(definition)


def test_node_names_must_not_shadow_state_keys() -> None:
    definition = copy.deepcopy(CHAT)
    definition["state"]["chat"] = {"type": "string", "default": ""}
    assert "LangGraph needs them distinct" in _problems(definition)["/nodes/0/name"]
