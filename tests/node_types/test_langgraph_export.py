"""The LangGraph export: same tasks, same errors, same limits as the pure driver."""

from __future__ import annotations

from typing import Any

import pytest
from langgraph.errors import GraphRecursionError
from langgraph.errors import InvalidUpdateError as LangGraphInvalidUpdate

from node_types.compiler import compile_plan
from node_types.errors import InvalidUpdateError, RoutingError, StepLimitExceeded
from node_types.langgraph_export import recursion_limit, run_langgraph, to_state_graph
from node_types.pregel import Task, run_in_memory

WORK = {
    "type": "llm",
    "config": {"system_prompt": "", "include_history": False, "append_to_messages": False},
}
STATE = {
    "log": {"type": "array", "reducer": "append", "default": []},
    "winner": {"type": "string"},
    "topics": {"type": "array", "default": ["a", "b", "c"]},
    "messages": {"type": "array", "reducer": "add_messages"},
}


def _plan(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], **extra: Any) -> Any:
    return compile_plan({"state": STATE, "nodes": nodes, "edges": edges, **extra})


def _recorder(seen: list[tuple[str, Any]], update: dict[str, Any]) -> Any:
    def run(task: Task, given: dict[str, Any]) -> dict[str, Any]:
        seen.append((task.task_id, task.input))
        return {**update, "log": [task.task_id]}

    return run


def test_send_tasks_get_the_same_ids_and_payloads_in_both_engines() -> None:
    plan = _plan(
        [
            {"name": "plan", **WORK, "writes": ["log"]},
            {"name": "work", **WORK, "writes": ["log", "messages"]},
        ],
        [
            {"source": "__start__", "target": "plan"},
            {
                "type": "fanout",
                "source": "plan",
                "target": "work",
                "over": "topics",
                "item_key": "topic",
            },
            {"source": "work", "target": "__end__"},
            {"source": "plan", "target": "__end__"},
        ],
    )
    ours: list[tuple[str, Any]] = []
    theirs: list[tuple[str, Any]] = []
    update = {"messages": [{"role": "assistant", "content": "done"}]}
    our_state, our_trace = run_in_memory(plan, {}, _recorder(ours, update))
    their_state, their_trace = run_langgraph(plan, {}, _recorder(theirs, update))
    assert sorted(ours, key=str) == sorted(theirs, key=str)
    assert ("1:work:2", {"topic": "b"}) in ours
    assert our_state == their_state
    assert [m["id"] for m in our_state["messages"]] == [
        "0:plan:0:0",
        "1:work:1:0",
        "1:work:2:0",
        "1:work:3:0",
    ]
    assert our_trace == [["plan"], ["work", "work", "work"]] and their_trace == our_trace


def test_conflicting_replace_writes_fail_in_both_engines() -> None:
    nodes = [{"name": n, **WORK, "writes": ["winner"]} for n in ("a", "b")]
    edges = [{"type": "fanout", "source": "__start__", "targets": ["a", "b"]}]
    edges += [{"source": n, "target": "__end__"} for n in ("a", "b")]
    plan = _plan(nodes, edges)
    with pytest.raises(InvalidUpdateError, match="only one value per step"):
        run_in_memory(plan, {}, _recorder([], {"winner": "x"}))
    with pytest.raises(LangGraphInvalidUpdate):
        run_langgraph(plan, {}, _recorder([], {"winner": "x"}))


def test_step_limit_maps_to_recursion_limit() -> None:
    plan = _plan(
        [{"name": "again", **WORK, "writes": ["log"]}],
        [
            {"source": "__start__", "target": "again"},
            {
                "type": "conditional",
                "source": "again",
                "condition": "len(log) < 5",
                "mapping": {"true": "again"},
                "default": "__end__",
            },
        ],
        max_steps=5,
    )
    assert recursion_limit(plan) == 6
    state, trace = run_in_memory(plan, {}, _recorder([], {}))
    assert len(trace) == 5 and run_langgraph(plan, {}, _recorder([], {}))[1] == trace
    tight = plan.model_copy(update={"max_steps": 4})
    with pytest.raises(StepLimitExceeded):
        run_in_memory(tight, {}, _recorder([], {}))
    with pytest.raises(GraphRecursionError):
        run_langgraph(tight, {}, _recorder([], {}))


def test_unmapped_outcomes_raise_the_same_routing_error() -> None:
    plan = _plan(
        [{"name": "pick", **WORK, "writes": ["winner"]}, {"name": "x", **WORK, "writes": ["log"]}],
        [
            {"source": "__start__", "target": "pick"},
            {"type": "conditional", "source": "pick", "condition": "winner", "mapping": {"x": "x"}},
            {"source": "x", "target": "__end__"},
        ],
    )
    assert run_in_memory(plan, {}, _recorder([], {"winner": "x"}))[1] == [["pick"], ["x"]]
    with pytest.raises(RoutingError, match="'y'"):
        run_in_memory(plan, {}, _recorder([], {"winner": "y"}))
    with pytest.raises(RoutingError, match="'y'"):
        run_langgraph(plan, {}, _recorder([], {"winner": "y"}))


def test_exported_graph_has_the_plan_nodes_and_reducer_channels() -> None:
    plan = _plan(
        [{"name": "only", **WORK, "writes": ["log"]}],
        [{"source": "__start__", "target": "only"}, {"source": "only", "target": "__end__"}],
    )
    graph = to_state_graph(plan, _recorder([], {}))
    assert set(graph.nodes) == {"only"}
    compiled = graph.compile()
    assert {"log", "winner", "topics", "messages"} <= set(compiled.channels)
    assert type(compiled.channels["winner"]).__name__ == "LastValue"
    assert type(compiled.channels["log"]).__name__ == "BinaryOperatorAggregate"
