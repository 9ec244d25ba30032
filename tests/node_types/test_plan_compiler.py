"""compile_plan: normalisation, resolved policies, hashing and JSON round trips."""

from __future__ import annotations

import json
from typing import Any

import pytest

from node_types.compiler import canonical_json, compile_plan, plan_hash
from node_types.errors import DefinitionInvalid
from node_types.plan import ExecutionPlan
from node_types.pregel import run_in_memory
from node_types.scripted import scripted_node_fn

DEFINITION: dict[str, Any] = {
    "state": {
        "messages": {"type": "array", "reducer": "add_messages"},
        "answer": {"type": "string"},
        "notes": {"type": "array", "reducer": "append"},
    },
    "nodes": [
        {
            "name": "chat",
            "type": "llm",
            "config": {"system_prompt": "Hi {{ len(messages) }}", "output_key": "answer"},
            "retry": {"max_attempts": 7},
            "timeouts": {"heartbeat_seconds": 5},
            "position": {"x": 1, "y": 2},
        },
        {"name": "shout", "type": "transform", "config": {"assign": {"notes": "[upper(answer)]"}}},
    ],
    "edges": [
        {"source": "__start__", "target": "chat"},
        {"source": "chat", "target": "shout"},
        {"type": "normal", "source": "shout", "target": "__end__"},
    ],
}


def _reordered(value: Any) -> Any:
    """The same JSON with every object's keys in a different order (JSONB does this)."""
    if isinstance(value, dict):
        return {k: _reordered(value[k]) for k in sorted(value, key=lambda k: (-len(k), k))}
    if isinstance(value, list):
        return [_reordered(v) for v in value]
    return value


def test_compile_resolves_nodes_edges_and_defaults() -> None:
    plan = compile_plan(DEFINITION)
    chat = plan.node("chat")
    assert chat.execution == "activity" and plan.node("shout").execution == "inline"
    assert chat.config["temperature"] == 0.7  # the llm type's default
    assert chat.config["output_key"] == "answer"
    assert chat.retry.max_attempts == 7
    assert chat.retry.non_retryable_error_types == ["NodeOutputError"]
    assert chat.retry.initial_interval_seconds == 1.0
    assert chat.timeouts.start_to_close_seconds == 120
    assert chat.timeouts.heartbeat_seconds == 5
    assert chat.reads == ["messages"]
    assert chat.writes == ["messages", "answer"]
    assert chat.required_services == ["llm_service"]
    assert plan.node("shout").reads == ["answer"]
    assert [e.target for e in plan.edges_from("__start__")] == ["chat"]
    assert plan.edges_from("__end__") == []
    assert plan.inputs == ["messages"]
    assert plan.state["notes"].default == [] and plan.state["answer"].default is None
    assert plan.max_steps == 25
    with pytest.raises(KeyError):
        plan.node("nope")


def test_plan_hash_is_stable_across_key_order_and_sensitive_to_content() -> None:
    plan = compile_plan(DEFINITION)
    assert len(plan.plan_hash) == 64
    assert compile_plan(_reordered(DEFINITION)).plan_hash == plan.plan_hash
    changed = json.loads(json.dumps(DEFINITION))
    changed["nodes"][0]["config"]["system_prompt"] = "Hello"
    assert compile_plan(changed).plan_hash != plan.plan_hash
    assert plan_hash(plan) == plan.plan_hash


def test_plan_survives_a_jsonb_round_trip() -> None:
    plan = compile_plan(DEFINITION)
    stored = _reordered(json.loads(plan.model_dump_json()))
    loaded = ExecutionPlan.model_validate(stored)
    assert loaded == plan
    assert plan_hash(loaded) == plan.plan_hash
    inputs = {"messages": [{"role": "user", "content": "hi"}]}
    assert run_in_memory(loaded, inputs, scripted_node_fn(loaded)) == run_in_memory(
        plan, inputs, scripted_node_fn(plan)
    )


def test_invalid_definitions_raise_with_every_problem() -> None:
    broken = json.loads(json.dumps(DEFINITION))
    broken["nodes"][0]["type"] = "nope"
    broken["edges"][1]["target"] = "missing"
    with pytest.raises(DefinitionInvalid) as caught:
        compile_plan(broken)
    paths = [p.path for p in caught.value.problems]
    assert "/nodes/0/type" in paths and "/edges/1/target" in paths
    assert "invalid workflow definition" in str(caught.value)


def test_canonical_json_is_order_independent() -> None:
    assert canonical_json({"b": 1, "a": [1, {"d": 2, "c": 3}]}) == '{"a":[1,{"c":3,"d":2}],"b":1}'
    with pytest.raises(ValueError):
        canonical_json(float("nan"))


def test_equal_plans_stay_equal_after_lookups() -> None:
    plan, again = compile_plan(DEFINITION), compile_plan(DEFINITION)
    plan.node("shout")
    assert plan == again
