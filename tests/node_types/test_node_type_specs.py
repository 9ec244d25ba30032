"""Node type specs, the registry and the pure halves of each node type."""

from __future__ import annotations

import json

import jsonschema
import pytest

from node_types import human, llm, rag, router, tool, transform
from node_types.errors import NodeOutputError
from node_types.registry import UnknownNodeType, all_node_types, get_node_type, node_type_names
from node_types.scripted import fake_json

HISTORY = [
    {"role": "user", "content": "What is 2+2?", "id": "input:0"},
    {"role": "assistant", "content": "4", "id": "0:chat:0:0"},
    {"role": "user", "content": "And 3+3?", "id": "input:1"},
]


def test_registry_is_ordered_and_complete() -> None:
    assert node_type_names() == ["llm", "tool", "rag", "human", "router", "transform", "code"]
    assert [e.name for e in all_node_types()] == node_type_names()
    assert get_node_type("llm").spec.required_services == ["llm_service"]
    with pytest.raises(UnknownNodeType):
        get_node_type("javascript")


@pytest.mark.parametrize("entry", all_node_types(), ids=lambda e: e.name)
def test_specs_are_valid_json_schemas_with_valid_defaults(entry: object) -> None:
    spec = entry.spec  # type: ignore[attr-defined]
    for schema in (spec.config_schema, spec.input_schema, spec.output_schema):
        jsonschema.Draft202012Validator.check_schema(schema)
    assert (
        list(jsonschema.Draft202012Validator(spec.config_schema).iter_errors(spec.default_config))
        == []
    )
    assert json.loads(spec.model_dump_json())["type_name"] == spec.type_name
    assert spec.category in ("processing", "io", "control", "integration")
    assert (entry.run is not None) == (spec.execution == "inline")  # type: ignore[attr-defined]


def test_llm_request_renders_prompts_and_trims_history() -> None:
    config = {
        "model": "gpt-x",
        "system_prompt": "You help {{ user_name }}. Turn {{ len(messages) }}.",
        "prompt": "Answer in {{ language }}.",
        "history_limit": 2,
        "temperature": 0.1,
        "max_tokens": 50,
        "tools": [
            "web_search",
            {"name": "calc", "description": "math", "parameters": {"type": "object"}},
        ],
        "tool_choice": "auto",
        "json_schema": {"type": "object"},
        "stream": False,
    }
    request = llm.build_request(
        config, {"messages": HISTORY, "user_name": "Ada", "language": "French"}
    )
    assert request["messages"] == [
        {"role": "system", "content": "You help Ada. Turn 3."},
        {"role": "assistant", "content": "4"},
        {"role": "user", "content": "And 3+3?"},
        {"role": "user", "content": "Answer in French."},
    ]
    assert request["model"] == "gpt-x" and request["stream"] is False
    assert (request["temperature"], request["max_tokens"]) == (0.1, 50)
    assert "top_p" not in request and "stop" not in request
    assert request["tool_names"] == ["web_search"]
    assert request["tools"] == [
        {
            "type": "function",
            "function": {"name": "calc", "description": "math", "parameters": {"type": "object"}},
        }
    ]
    assert request["tool_choice"] == "auto"
    assert request["response_format"]["json_schema"]["schema"] == {"type": "object"}


def test_llm_request_without_history_or_system_prompt() -> None:
    request = llm.build_request(
        {"system_prompt": "", "include_history": False, "prompt": "Hi"}, {"messages": HISTORY}
    )
    assert request["messages"] == [{"role": "user", "content": "Hi"}]
    assert "tools" not in request and "tool_choice" not in request


def test_llm_update_appends_reply_with_tool_calls() -> None:
    reply = {
        "role": "assistant",
        "content": None,
        "tool_calls": [{"id": "c1", "function": {"name": "calc", "arguments": {"x": 1}}}],
    }
    update = llm.to_update({"message_name": "agent"}, reply)
    assert update == {
        "messages": [
            {
                "role": "assistant",
                "content": "",
                "tool_calls": [
                    {
                        "id": "c1",
                        "type": "function",
                        "function": {"name": "calc", "arguments": '{"x": 1}'},
                    }
                ],
                "name": "agent",
            }
        ]
    }


def test_llm_update_accepts_completions_and_parses_json_output() -> None:
    completion = {
        "choices": [
            {"message": {"role": "assistant", "content": '```json\n{"approved": true}\n```'}}
        ]
    }
    config = {
        "json_schema": {"type": "object"},
        "output_key": "critique",
        "append_to_messages": False,
    }
    assert llm.to_update(config, completion) == {"critique": {"approved": True}}
    assert llm.to_update({"output_key": "answer"}, {"content": "plain"})["answer"] == "plain"
    with pytest.raises(NodeOutputError, match="valid JSON"):
        llm.to_update(config, {"content": "not json"})


def test_llm_state_keys() -> None:
    assert llm.state_reads({}) == ["messages"]
    assert llm.state_writes({"output_key": "x"}) == ["messages", "x"]
    assert llm.state_writes({"append_to_messages": False}) == []
    assert [p for p, _, _ in llm.config_expressions({"prompt": "x"})] == [
        "/system_prompt",
        "/prompt",
    ]


def test_tool_calls_mode_prepares_calls_and_reports_results() -> None:
    last = {
        "role": "assistant",
        "content": "",
        "tool_calls": [
            {"id": "a", "function": {"name": "search", "arguments": '{"q": "cats"}'}},
            {"id": "b", "function": {"name": "search", "arguments": "{oops"}},
            {"id": "c", "function": {"name": "rm_rf", "arguments": "{}"}},
        ],
    }
    config = {"allowed_tools": ["search"], "server": "web"}
    calls = tool.prepare(config, {"messages": [*HISTORY, last]})
    assert calls[0] == {"id": "a", "name": "search", "server": "web", "arguments": {"q": "cats"}}
    assert "not valid JSON" in calls[1]["error"]
    assert "not allowed" in calls[2]["error"]
    update = tool.to_update(config, calls, [{"content": {"hits": 2}}, None, None])
    assert update == {
        "messages": [
            {"role": "tool", "tool_call_id": "a", "name": "search", "content": '{"hits": 2}'},
            {
                "role": "tool",
                "tool_call_id": "b",
                "name": "search",
                "content": "Error: " + calls[1]["error"],
            },
            {
                "role": "tool",
                "tool_call_id": "c",
                "name": "rm_rf",
                "content": "Error: " + calls[2]["error"],
            },
        ]
    }
    assert tool.prepare(config, {"messages": HISTORY}) == []
    assert tool.to_update(config, [], []) == {}
    with pytest.raises(ValueError):
        tool.to_update(config, calls, [])


def test_tool_direct_mode_computes_arguments_from_state() -> None:
    config = {
        "mode": "direct",
        "tool": "send",
        "arguments_from": "proposal.arguments",
        "arguments": {"to": "upper(who)"},
        "output_key": "result",
    }
    calls = tool.prepare(
        config, {"proposal": {"arguments": {"to": "x", "body": "hi"}}, "who": "bob"}
    )
    assert calls == [
        {"id": "direct", "name": "send", "server": None, "arguments": {"to": "BOB", "body": "hi"}}
    ]
    assert tool.to_update(config, calls, [{"content": "sent"}]) == {"result": "sent"}
    assert tool.state_writes(config) == ["result"]
    assert tool.config_problems({"mode": "direct"}) != []
    with pytest.raises(NodeOutputError):
        tool.prepare({**config, "arguments_from": "who"}, {"who": "bob"})


def test_rag_prepares_query_and_writes_passages_context_and_citations() -> None:
    config = {"top_k": 2, "citations_key": "citations"}
    assert rag.prepare(config, {"messages": HISTORY}) == {
        "query": "And 3+3?",
        "top_k": 2,
        "knowledge_base_ids": [],
        "score_threshold": None,
        "filters": {},
        "hybrid": False,
    }
    hits = [
        {"text": "Six.", "source": "math.md", "score": 0.9},
        {"text": "Arithmetic.", "title": "Primer", "score": 0.5},
        {"text": "Cut.", "source": "x.md"},
    ]
    update = rag.to_update(config, hits)
    assert [p["text"] for p in update["passages"]] == ["Six.", "Arithmetic."]
    assert update["context"] == "[1] (math.md) Six.\n\n[2] (Primer) Arithmetic."
    assert update["citations"][1] == {"index": 2, "source": None, "title": "Primer", "score": 0.5}
    assert rag.to_update({}, [])["context"] == "(no relevant passages were found)"


def test_human_task_fields_validation_and_update() -> None:
    config = {
        "instruction": "Approve {{ proposal.summary }}?",
        "priority": 8,
        "state_keys": ["proposal"],
    }
    task = human.prepare(config, {"proposal": {"summary": "refund $5"}, "messages": HISTORY})
    assert task["instruction"] == "Approve refund $5?"
    assert task["priority"] == 8 and task["current_state"] == {"proposal": {"summary": "refund $5"}}
    assert task["required_input_schema"] == human.APPROVAL_SCHEMA
    assert human.validate_input(config, {"approved": True}) == []
    assert human.validate_input(config, {"approved": "yes", "extra": 1}) == [
        ("", "Additional properties are not allowed ('extra' was unexpected)"),
        ("/approved", "'yes' is not of type 'boolean'"),
    ]
    assert human.to_update(config, {"approved": False}) == {"human_input": {"approved": False}}


def test_human_deadline_policies() -> None:
    assert human.on_deadline({}) is None
    escalate = {
        "priority": 5,
        "deadline": {"after_seconds": 60, "policy": "escalate", "escalate_to": "lead"},
    }
    assert human.on_deadline(escalate) == {
        "action": "escalate",
        "assigned_to": "lead",
        "priority": 8,
    }
    default_input = {"approved": False, "comment": "timeout"}
    default = {
        "output_key": "approval",
        "deadline": {
            "after_seconds": 60,
            "policy": "default_branch",
            "default_input": default_input,
        },
    }
    assert human.on_deadline(default) == {
        "action": "default_branch",
        "update": {"approval": default_input},
    }
    failing = {"deadline": {"after_seconds": 60, "policy": "fail"}}
    assert human.on_deadline(failing)["action"] == "fail"
    assert human.config_problems(
        {"deadline": {"after_seconds": 1, "policy": "default_branch"}}
    ) == [("/deadline/default_input", "default_branch needs a default_input")]


def test_router_and_transform_run_inline() -> None:
    config = {
        "cases": [{"when": "n > 10", "route": "big"}, {"when": "n > 5", "route": "mid"}],
        "default": "small",
    }
    assert router.run({**config, "output_key": "route"}, {"n": 7}) == {"route": "mid"}
    assert router.run({**config, "output_key": "route"}, {"n": 1}) == {"route": "small"}
    assert router.run({"cases": [], "default": None, "output_key": "route"}, {"n": 1}) == {}
    assert router.state_writes({"cases": [], "default": None, "output_key": "route"}) == []
    state = {"items": [1, 2], "name": "ada"}
    update = transform.run(
        {
            "assign": {"items": "items", "n": "len(items)"},
            "render": {"title": "Dr {{ upper(name) }}"},
        },
        state,
    )
    assert update == {"items": [1, 2], "n": 2, "title": "Dr ADA"}
    update["items"].append(3)
    assert state["items"] == [1, 2]


def test_fake_json_is_deterministic_and_matches_schemas() -> None:
    schema = {
        "type": "object",
        "properties": {
            "ok": {"type": "boolean"},
            "kind": {"enum": ["a", "b"]},
            "n": {"type": "integer"},
        },
    }
    value = fake_json(schema, "0123456789abcdef")
    assert value == fake_json(schema, "0123456789abcdef")
    jsonschema.validate(value, schema)
    jsonschema.validate(fake_json(human.APPROVAL_SCHEMA, "ff00"), human.APPROVAL_SCHEMA)
