"""Conformance: the pure Pregel driver and LangGraph agree on node order and final state.

Random valid graphs (chains, branches, conditional routing, static and dynamic fan-out,
loops bounded by max_steps) and every catalogue template run on both engines with the
same scripted node outputs. Outputs depend on the node's input, and the `log` key
appends in merge order, so any difference in order, routing or merging shows up in the
final state.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from langgraph.errors import GraphRecursionError
from langgraph.errors import InvalidUpdateError as LangGraphInvalidUpdate

from node_types.compiler import compile_plan
from node_types.errors import InvalidUpdateError, RoutingError, StepLimitExceeded
from node_types.langgraph_export import run_langgraph
from node_types.plan import ExecutionPlan
from node_types.pregel import Task, run_in_memory
from node_types.scripted import scripted_node_fn, seed_of
from node_types.validation import validate_definition
from templates_catalog import instantiate, load_catalog

CONDITIONS: list[tuple[str, list[str]]] = [
    ("len(log) % 2 == 0", ["true", "false"]),
    ("len(log) % 3", ["0", "1", "2"]),
    ("route", ["a", "x", "y"]),
    ("counter >= 2", ["true", "false"]),
    ("len(bag) > 2", ["true", "false"]),
    ("last(log)", []),
]
OVERS = ["items", "log[-2:]", "[1, 2]", "items[:len(log) % 3]"]


def _state(items: list[int]) -> dict[str, Any]:
    return {
        "log": {"type": "array", "reducer": "append", "default": []},
        "messages": {"type": "array", "reducer": "add_messages"},
        "bag": {"type": "object", "reducer": "merge", "default": {}},
        "counter": {"type": "integer", "default": 0},
        "item": {"type": "any", "default": None},
        "items": {"type": "array", "default": items},
        "route": {"type": "string", "default": "a"},
    }


@st.composite
def graphs(draw: st.DrawFn) -> dict[str, Any]:
    """A valid definition: every node reachable and able to reach __end__."""
    n = draw(st.integers(1, 7))
    names = [f"n{i}" for i in range(n)]
    kinds = [draw(st.sampled_from(["work", "work", "work", "transform", "router"])) for _ in names]
    # One owner each for the `replace` keys keeps most runs free of (legitimate) write
    # conflicts; conflict parity has its own test in test_langgraph_export.py.
    routers = [name for name, kind in zip(names, kinds, strict=True) if kind == "router"]
    for extra in routers[1:]:
        kinds[names.index(extra)] = "work"
    counter_owner = draw(st.sampled_from([None, *names]))
    route_owner = routers[0] if routers else draw(st.sampled_from([None, *names]))
    writes: dict[str, list[str]] = {}
    for name, kind in zip(names, kinds, strict=True):
        extra = ["messages"] if draw(st.booleans()) else []
        extra += [
            key
            for key, owner in (("counter", counter_owner), ("route", route_owner))
            if owner == name
        ]
        writes[name] = ["log", "bag", *extra] if kind == "work" else []
    counter_transform = {name: name == counter_owner for name in names}
    sendable = {
        name
        for name, kind in zip(names, kinds, strict=True)
        if kind in ("work", "transform") and name not in (counter_owner, route_owner)
    }

    required: dict[str, list[str]] = {"__start__": ["n0"]}
    for j in range(1, n):
        parent = draw(st.integers(-1, j - 1))
        required.setdefault("__start__" if parent < 0 else names[parent], []).append(names[j])

    edges: list[dict[str, Any]] = []
    for i, source in enumerate(["__start__", *names]):
        forward = names[i:] if source == "__start__" else names[i:]
        forward_or_end = [*forward, "__end__"] if source != "__start__" else forward
        targets = required.get(source, [])
        if not targets:
            targets = [draw(st.sampled_from(forward_or_end))]
        edges += _edges_for(draw, source, targets, forward_or_end, sendable)
        if source != "__start__" and draw(st.integers(0, 4)) == 0:
            back = draw(st.sampled_from(names[:i]))  # loop back to itself or an earlier node
            edges.append(
                {
                    "type": "conditional",
                    "source": source,
                    "condition": f"counter < {draw(st.integers(1, 3))} and len(log) < 12",
                    "mapping": {"true": back},
                    "default": draw(st.sampled_from(forward_or_end)),
                }
            )
    nodes = [
        _node(name, kind, writes[name], counter_transform[name])
        for name, kind in zip(names, kinds, strict=True)
    ]
    items = draw(st.lists(st.integers(0, 9), max_size=3))
    return {
        "state": _state(items),
        "nodes": nodes,
        "edges": _dedupe(edges),
        "max_steps": draw(st.integers(3, 20)),
    }


def _edges_for(
    draw: st.DrawFn, source: str, targets: list[str], options: list[str], sendable: set[str]
) -> list[dict[str, Any]]:
    style = draw(st.sampled_from(["normal", "normal", "fanout", "conditional", "send"]))
    send_targets = [t for t in targets if t in sendable]
    if style == "send" and send_targets:
        target = send_targets[0]
        rest = [t for t in targets if t != target]
        send = {
            "type": "fanout",
            "source": source,
            "target": target,
            "over": draw(st.sampled_from(OVERS)),
            "item_key": "item",
            "include": ["log", "counter"],
        }
        # A Send may give no items; keep a plain edge to the target so it stays reachable
        # from the runtime's point of view too, and to the remaining required targets.
        return [send] + [{"type": "normal", "source": source, "target": t} for t in rest]
    if style == "fanout" and "__end__" not in targets:
        nodes = [o for o in options if o != "__end__"] or targets
        extra = draw(st.lists(st.sampled_from(nodes), max_size=2))
        return [
            {"type": "fanout", "source": source, "targets": list(dict.fromkeys(targets + extra))}
        ]
    if style == "conditional":
        condition, outcomes = draw(st.sampled_from(CONDITIONS))
        mapping: dict[str, str] = {}
        pool = list(targets)
        for outcome in outcomes:
            if pool:
                mapping[outcome] = pool.pop(0)
            elif draw(st.booleans()):
                mapping[outcome] = draw(st.sampled_from(options))
        covered = set(outcomes) and set(outcomes) <= set(mapping)
        default = None if covered and draw(st.booleans()) else draw(st.sampled_from(options))
        edge = {"type": "conditional", "source": source, "condition": condition, "mapping": mapping}
        if default is not None:
            edge["default"] = default
        leftovers = [{"type": "normal", "source": source, "target": t} for t in pool]
        return [edge, *leftovers]
    return [{"type": "normal", "source": source, "target": t} for t in targets]


def _node(name: str, kind: str, writes: list[str], counts: bool) -> dict[str, Any]:
    """A scripted `llm` (work), a transform or a router node."""
    if kind == "work":
        config = {"system_prompt": "", "include_history": False, "append_to_messages": False}
        return {"name": name, "type": "llm", "config": config, "writes": writes}
    if kind == "transform":
        assign = {"log": f"['{name}:' + str(len(log)) + ':' + str(item)]"}
        if counts:
            assign["counter"] = "counter + 1"
        return {"name": name, "type": "transform", "config": {"assign": assign}}
    cases = [{"when": "len(log) % 2 == 1", "route": "x"}]
    return {
        "name": name,
        "type": "router",
        "config": {"cases": cases, "default": "y", "output_key": "route"},
    }


def _dedupe(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[tuple[Any, ...]] = set()
    pairs: set[tuple[str, str]] = set()
    result = []
    for edge in edges:
        if edge["type"] == "normal":
            key = ("pair", edge["source"], edge["target"])
            if key[1:] in pairs:
                continue
            pairs.add(key[1:])
        elif edge["type"] == "fanout" and "targets" in edge:
            fresh = [t for t in edge["targets"] if (edge["source"], t) not in pairs]
            if not fresh:
                continue
            edge = {**edge, "targets": fresh}
            pairs.update((edge["source"], t) for t in fresh)
            key = ("static", edge["source"], tuple(fresh))
        else:
            key = (
                edge["type"],
                edge["source"],
                edge.get("condition"),
                edge.get("target"),
                edge.get("over"),
            )
        if key in seen:
            continue
        seen.add(key)
        result.append(edge)
    return result


def _work_fn(plan: ExecutionPlan, calls: list[str]) -> Any:
    def run(task: Task, node_input: dict[str, Any]) -> dict[str, Any]:
        calls.append(task.task_id)
        node = plan.node(task.node)
        digest = seed_of(task.node, node_input)[:6]
        update: dict[str, Any] = {"log": [f"{task.node}:{digest}"], "bag": {task.node: digest}}
        if "messages" in node.writes:
            update["messages"] = [{"role": "assistant", "content": f"{task.node}:{digest}"}]
        if "counter" in node.writes:
            update["counter"] = (node_input.get("counter") or 0) + 1
        if "route" in node.writes:
            update["route"] = "xy"[int(digest, 16) % 2]
        return update

    return run


def _outcome(run: Any) -> tuple[str, Any]:
    try:
        state, trace = run()
    except (StepLimitExceeded, GraphRecursionError):
        return ("step_limit", None)
    except (InvalidUpdateError, LangGraphInvalidUpdate):
        return ("invalid_update", None)
    except RoutingError:
        return ("routing_error", None)
    return ("ok", (state, [sorted(step) for step in trace]))


def _assert_same(plan: ExecutionPlan, inputs: dict[str, Any], make_fn: Any) -> str:
    ours_calls: list[str] = []
    theirs_calls: list[str] = []
    ours = _outcome(lambda: run_in_memory(plan, inputs, make_fn(plan, ours_calls)))
    theirs = _outcome(lambda: run_langgraph(plan, inputs, make_fn(plan, theirs_calls)))
    assert ours[0] == theirs[0] or _extra_step_explains(plan, inputs, make_fn, ours, theirs)
    if ours[0] == "ok":
        our_state, our_trace = ours[1]
        their_state, their_trace = theirs[1]
        assert our_trace == their_trace
        assert our_state == their_state
    if ours[0] == "step_limit":
        # LangGraph runs the tasks of the step past the limit before raising; we raise
        # before starting them (no paid LLM calls for a run that is failing anyway).
        theirs_calls = [c for c in theirs_calls if int(c.split(":")[0]) < plan.max_steps]
    assert sorted(ours_calls) == sorted(theirs_calls)
    return ours[0]


def _extra_step_explains(
    plan: ExecutionPlan, inputs: dict[str, Any], make_fn: Any, ours: Any, theirs: Any
) -> bool:
    """LangGraph runs the step past the limit before raising; an error in that step wins.

    Re-run our engine allowing that one extra step: its error must be LangGraph's.
    """
    assert ours[0] == "step_limit", (ours, theirs)
    longer = plan.model_copy(update={"max_steps": plan.max_steps + 1})
    extra = _outcome(lambda: run_in_memory(longer, inputs, make_fn(longer, [])))
    assert extra[0] not in ("ok", "step_limit") and extra[0] == theirs[0], (extra, theirs)
    return True


@settings(
    max_examples=240,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(graphs())
def test_random_graphs_match_langgraph(definition: dict[str, Any]) -> None:
    assert validate_definition(definition) == []
    plan = compile_plan(definition)
    outcome = _assert_same(plan, {"messages": [{"role": "user", "content": "hi"}]}, _work_fn)
    event(outcome)


def _scripted(plan: ExecutionPlan, calls: list[str]) -> Any:
    inner = scripted_node_fn(plan)

    def run(task: Task, node_input: dict[str, Any]) -> dict[str, Any]:
        calls.append(task.task_id)
        return inner(task, node_input)

    return run


CUSTOM_PARAMETERS: dict[str, dict[str, Any]] = {
    "approval_gated_action": {"action_tool": "send_email", "timeout_policy": "fail"},
    "tool_agent": {"tools": ["search"], "max_tool_rounds": 2},
    "draft_critique_revise": {"max_revisions": 3},
    "code_review": {"language": "go"},
    "rag_qa": {"top_k": 1},
    "research": {"max_results": 3},
    "support_triage": {"company_name": "ACME"},
    "plain_chat": {"history_limit": 2},
}


@pytest.mark.parametrize("template", load_catalog(), ids=lambda t: t.name)
@pytest.mark.parametrize("custom", [False, True], ids=["defaults", "custom"])
def test_templates_match_langgraph(template: Any, custom: bool) -> None:
    params = dict(CUSTOM_PARAMETERS[template.name]) if custom else {}
    if template.name == "approval_gated_action":
        params.setdefault("action_tool", "send_email")
    plan = compile_plan(instantiate(template, params))
    for text in ("Please help me with my invoice", "Why does my build fail?"):
        inputs = {"messages": [{"role": "user", "content": text}]}
        assert _assert_same(plan, inputs, _scripted) == "ok"


def test_generator_covers_every_edge_kind() -> None:
    """The conformance generator must actually produce the features it claims to test."""
    found: set[str] = set()

    @settings(max_examples=240, deadline=None, derandomize=True, database=None)
    @given(graphs())
    def collect(definition: dict[str, Any]) -> None:
        for edge in definition["edges"]:
            kind = edge["type"]
            if kind == "fanout":
                kind = "send" if "over" in edge else "static"
            if kind == "conditional" and "counter <" in edge["condition"]:
                kind = "loop"
            found.add(kind)

    collect()
    assert {"normal", "static", "send", "conditional", "loop"} <= found
