"""Pregel step semantics of the pure driver."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from node_types.compiler import compile_plan
from node_types.errors import InvalidUpdateError, RoutingError, StepLimitExceeded
from node_types.plan import ExecutionPlan
from node_types.pregel import (
    Task,
    advance,
    apply_writes,
    check_step_limit,
    final_output,
    first_tasks,
    initial_state,
    next_tasks,
    node_input,
    run_in_memory,
    run_inline,
)

WORK = {
    "type": "llm",
    "config": {"system_prompt": "", "include_history": False, "append_to_messages": False},
}


def _node(name: str, writes: list[str] | None = None) -> dict[str, Any]:
    return {"name": name, **WORK, "writes": writes or ["log"]}


def _plan(edges: list[dict[str, Any]], nodes: list[dict[str, Any]], **extra: Any) -> ExecutionPlan:
    state = {
        "log": {"type": "array", "reducer": "append", "default": []},
        "messages": {"type": "array", "reducer": "add_messages"},
        "flag": {"type": "boolean", "default": False},
        "items": {"type": "array", "default": ["x", "y", "z"]},
        "notes": {"type": "object", "reducer": "merge"},
        "answer": {"type": "string"},
    }
    return compile_plan({"state": state, "nodes": nodes, "edges": edges, **extra})


def _edge(source: str, target: str) -> dict[str, Any]:
    return {"source": source, "target": target}


def test_task_is_json_serialisable_and_has_a_stable_id() -> None:
    task = Task(node="worker", step=3, index=2, input={"item": 1})
    data = dataclasses.asdict(task)
    assert json.loads(json.dumps(data)) == data
    assert Task.from_dict(data) == task
    assert task.task_id == "3:worker:2"
    assert task.is_send and not Task("a", 0).is_send


def test_initial_state_applies_defaults_then_inputs_through_reducers() -> None:
    plan = _plan([_edge("__start__", "a"), _edge("a", "__end__")], [_node("a")])
    state = initial_state(plan, {"messages": [{"role": "user", "content": "hi"}], "log": ["x"]})
    assert state == {
        "answer": None,
        "flag": False,
        "items": ["x", "y", "z"],
        "log": ["x"],
        "messages": [{"role": "user", "content": "hi", "id": "input:0"}],
        "notes": {},
    }
    with pytest.raises(InvalidUpdateError, match="undeclared"):
        initial_state(plan, {"nope": 1})


def test_first_tasks_and_static_fanout_are_sorted_by_name() -> None:
    edges = [{"type": "fanout", "source": "__start__", "targets": ["c", "a", "b"]}]
    edges += [_edge(n, "__end__") for n in "abc"]
    plan = _plan(edges, [_node(n) for n in "cab"])
    assert first_tasks(plan, initial_state(plan, {})) == [Task("a", 0), Task("b", 0), Task("c", 0)]


def test_node_input_is_a_copy_of_state_or_the_send_payload() -> None:
    plan = _plan([_edge("__start__", "a"), _edge("a", "__end__")], [_node("a")])
    state = initial_state(plan, {})
    given = node_input(plan, Task("a", 0), state)
    given["log"].append("mutated")
    assert state["log"] == []
    assert node_input(plan, Task("a", 0, 1, {"item": 5}), state) == {"item": 5}


def test_apply_writes_merges_in_langgraph_order_whatever_the_caller_order() -> None:
    plan = _plan([_edge("__start__", "a"), _edge("a", "__end__")], [_node("a")])
    state = initial_state(plan, {})
    writes = [
        (Task("w", 1, 2, {"item": 2}), {"log": ["send-2"]}),
        (Task("b", 1), {"log": ["b"], "notes": {"k": "b"}}),
        (Task("w", 1, 1, {"item": 1}), {"log": ["send-1"]}),
        (Task("a", 1), {"log": ["a"], "notes": {"k": "a"}}),
    ]
    new = apply_writes(plan, state, writes)
    assert new["log"] == ["a", "b", "send-1", "send-2"]
    assert new["notes"] == {"k": "b"}
    assert apply_writes(plan, state, list(reversed(writes))) == new
    assert state["log"] == []  # a new state; the old one is untouched


def test_apply_writes_rejects_invalid_updates() -> None:
    plan = _plan([_edge("__start__", "a"), _edge("a", "__end__")], [_node("a")])
    state = initial_state(plan, {})
    with pytest.raises(InvalidUpdateError, match="Can receive only one value per step"):
        apply_writes(
            plan, state, [(Task("a", 0), {"answer": "1"}), (Task("b", 0), {"answer": "2"})]
        )
    with pytest.raises(InvalidUpdateError, match="undeclared state key"):
        apply_writes(plan, state, [(Task("a", 0), {"ghost": 1})])
    with pytest.raises(InvalidUpdateError, match="expected boolean"):
        apply_writes(plan, state, [(Task("a", 0), {"flag": "yes"})])
    with pytest.raises(InvalidUpdateError, match="must be an object"):
        apply_writes(plan, state, [(Task("a", 0), ["not", "a", "dict"])])  # type: ignore[list-item]
    with pytest.raises(InvalidUpdateError, match="At key 'notes'"):
        apply_writes(plan, state, [(Task("a", 0), {"notes": [1]})])


def test_message_ids_come_from_the_task_id() -> None:
    plan = _plan([_edge("__start__", "a"), _edge("a", "__end__")], [_node("a", ["messages"])])
    state = initial_state(plan, {})
    new = apply_writes(
        plan, state, [(Task("a", 4, 0), {"messages": [{"role": "assistant", "content": "x"}]})]
    )
    assert new["messages"] == [{"role": "assistant", "content": "x", "id": "4:a:0:0"}]


def test_a_node_triggered_twice_in_a_step_runs_once() -> None:
    edges = [
        {"type": "fanout", "source": "__start__", "targets": ["a", "b"]},
        _edge("a", "join"),
        _edge("b", "join"),
        _edge("join", "__end__"),
    ]
    plan = _plan(edges, [_node("a"), _node("b"), _node("join")])
    state = initial_state(plan, {})
    writes = [(Task("a", 0), {"log": ["a"]}), (Task("b", 0), {"log": ["b"]})]
    assert next_tasks(plan, state, writes) == [Task("join", 1)]


def test_dynamic_fanout_sends_one_task_per_item_with_payload() -> None:
    edges = [
        _edge("__start__", "plan"),
        {
            "type": "fanout",
            "source": "plan",
            "target": "work",
            "over": "items",
            "item_key": "item",
            "include": ["flag"],
        },
        _edge("work", "__end__"),
        _edge("plan", "__end__"),
    ]
    plan = _plan(edges, [_node("plan", ["items", "log"]), _node("work")])
    state = initial_state(plan, {})
    tasks = next_tasks(plan, state, [(Task("plan", 0), {"items": ["p", "q"]})])
    assert tasks == [
        Task("work", 1, 1, {"flag": False, "item": "p"}),
        Task("work", 1, 2, {"flag": False, "item": "q"}),
    ]
    # The payload is built from the source's view: `include` sees the task's own writes.
    tasks = next_tasks(plan, state, [(Task("plan", 0), {"items": ["p"], "flag": True})])
    assert tasks == [Task("work", 1, 1, {"flag": True, "item": "p"})]
    assert next_tasks(plan, state, [(Task("plan", 0), {"items": []})]) == []


def test_fanout_over_a_non_list_is_a_routing_error() -> None:
    edges = [
        _edge("__start__", "plan"),
        {"type": "fanout", "source": "plan", "target": "work", "over": "answer"},
        _edge("work", "__end__"),
        _edge("plan", "__end__"),
    ]
    plan = _plan(edges, [_node("plan", ["answer"]), _node("work")])
    state = initial_state(plan, {})
    assert next_tasks(plan, state, [(Task("plan", 0), {})]) == []  # answer is null
    with pytest.raises(RoutingError, match="must give a list"):
        next_tasks(plan, state, [(Task("plan", 0), {"answer": "text"})])


def test_conditions_see_only_their_source_tasks_own_writes() -> None:
    """LangGraph evaluates branches on the state before the step plus the node's writes."""
    edges = [
        {"type": "fanout", "source": "__start__", "targets": ["a", "b"]},
        {
            "type": "conditional",
            "source": "a",
            "condition": "flag",
            "mapping": {"true": "yes", "false": "no"},
        },
        _edge("b", "__end__"),
        _edge("yes", "__end__"),
        _edge("no", "__end__"),
    ]
    plan = _plan(edges, [_node("a"), _node("b", ["flag"]), _node("yes"), _node("no")])
    state = initial_state(plan, {})
    writes = [(Task("a", 0), {}), (Task("b", 0), {"flag": True})]
    assert apply_writes(plan, state, writes)["flag"] is True
    assert next_tasks(plan, state, writes) == [Task("no", 1)]  # `a` did not see b's write
    writes_a = [(Task("a", 0), {}), (Task("b", 0), {})]
    state_a = {**state, "flag": True}
    assert next_tasks(plan, state_a, writes_a) == [Task("yes", 1)]


def test_conditional_default_end_and_unmapped_outcomes() -> None:
    edges = [
        _edge("__start__", "a"),
        {
            "type": "conditional",
            "source": "a",
            "condition": "len(log)",
            "mapping": {"1": "__end__"},
            "default": "b",
        },
        _edge("b", "__end__"),
    ]
    plan = _plan(edges, [_node("a"), _node("b")])
    state = initial_state(plan, {})
    assert next_tasks(plan, state, [(Task("a", 0), {"log": ["one"]})]) == []
    assert next_tasks(plan, state, [(Task("a", 0), {"log": ["one", "two"]})]) == [Task("b", 1)]
    no_default = _plan(
        [
            _edge("__start__", "a"),
            {
                "type": "conditional",
                "source": "a",
                "condition": "len(log)",
                "mapping": {"1": "__end__"},
            },
        ],
        [_node("a")],
    )
    with pytest.raises(RoutingError, match="not mapped"):
        next_tasks(no_default, initial_state(no_default, {}), [(Task("a", 0), {"log": []})])


def test_next_tasks_insists_on_task_update_pairs() -> None:
    plan = _plan([_edge("__start__", "a"), _edge("a", "__end__")], [_node("a")])
    with pytest.raises(TypeError, match=r"\(task, update\) pairs"):
        next_tasks(plan, {}, [Task("a", 0)])  # type: ignore[list-item]
    assert next_tasks(plan, {}, []) == []


def test_advance_is_apply_then_route() -> None:
    plan = _plan(
        [_edge("__start__", "a"), _edge("a", "b"), _edge("b", "__end__")], [_node("a"), _node("b")]
    )
    state = initial_state(plan, {})
    writes = [(Task("a", 0), {"log": ["a"]})]
    assert advance(plan, state, writes) == (apply_writes(plan, state, writes), [Task("b", 1)])


def test_step_limit() -> None:
    edges = [
        _edge("__start__", "a"),
        {
            "type": "conditional",
            "source": "a",
            "condition": "len(log) < 100",
            "mapping": {"true": "a"},
            "default": "__end__",
        },
    ]
    plan = _plan(edges, [_node("a")], max_steps=4)
    check_step_limit(plan, 3)
    with pytest.raises(StepLimitExceeded) as caught:
        check_step_limit(plan, 4)
    assert (caught.value.step, caught.value.max_steps) == (4, 4)
    calls: list[int] = []

    def work(task: Task, given: dict[str, Any]) -> dict[str, Any]:
        calls.append(task.step)
        return {"log": [task.step]}

    with pytest.raises(StepLimitExceeded):
        run_in_memory(plan, {}, work)
    assert calls == [0, 1, 2, 3]  # the step past the limit never starts


def test_run_in_memory_runs_inline_nodes_itself_and_traces_steps() -> None:
    nodes = [
        _node("ask", ["answer", "log"]),
        {"name": "shout", "type": "transform", "config": {"assign": {"answer": "upper(answer)"}}},
    ]
    edges = [_edge("__start__", "ask"), _edge("ask", "shout"), _edge("shout", "__end__")]
    plan = _plan(edges, nodes, output="answer")
    seen: list[str] = []

    def work(task: Task, given: dict[str, Any]) -> dict[str, Any]:
        seen.append(task.node)
        return {"answer": "quiet", "log": ["asked"]}

    state, trace = run_in_memory(plan, {}, work)
    assert seen == ["ask"]
    assert trace == [["ask"], ["shout"]]
    assert final_output(plan, state) == "QUIET"
    with pytest.raises(ValueError, match="does not run inline"):
        run_inline(plan, Task("ask", 0), state)


def test_final_output_defaults_to_the_last_assistant_message() -> None:
    plan = _plan([_edge("__start__", "a"), _edge("a", "__end__")], [_node("a")])
    messages = [
        {"role": "user", "content": "q", "id": "1"},
        {"role": "assistant", "content": "first", "id": "2"},
        {"role": "assistant", "content": "last", "id": "3"},
        {"role": "user", "content": "again", "id": "4"},
    ]
    assert final_output(plan, {"messages": messages}) == "last"
    assert final_output(plan, {"messages": []}) is None
