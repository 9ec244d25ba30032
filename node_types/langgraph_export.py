"""Export an ExecutionPlan to an equivalent LangGraph StateGraph (the semantic oracle).

Equivalences:
- state keys → TypedDict channels: `replace` stays a plain LastValue channel (so
  LangGraph itself raises on conflicting writes), the other reducers become
  `Annotated[..., reducer]` using the same functions as `node_types.reducers`;
- normal edges and static fan-outs → `add_edge`; conditional edges and dynamic
  fan-outs → `add_conditional_edges` whose path function is `pregel.route_edge`
  (same expression evaluation; Sends become `langgraph.types.Send`);
- step limit → `recursion_limit = max_steps + 1` (LangGraph counts the input step).

Each node wraps `node_fn(Task, input)` (or `run_inline` for inline nodes) and assigns
message ids from the task id exactly like `pregel.apply_writes`, so both engines end in
identical states.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypedDict

from langchain_core.runnables import RunnableConfig
from langgraph.graph import END as LG_END
from langgraph.graph import START as LG_START
from langgraph.graph import StateGraph
from langgraph.types import Send

from node_types.ir import END, START, ConditionalEdge, FanoutEdge, NormalEdge, edge_targets
from node_types.plan import ExecutionPlan
from node_types.pregel import NodeFn, Task, initial_state, route_edge, run_inline
from node_types.reducers import add_messages, append, assign_message_ids, merge

STEP_OFFSET = 1  # LangGraph numbers the first node step 1; we number it 0
_SEND_PATH = "__pregel_push"


def recursion_limit(plan: ExecutionPlan) -> int:
    """The LangGraph recursion_limit allowing exactly plan.max_steps node steps."""
    return plan.max_steps + 1


def to_state_graph(plan: ExecutionPlan, node_fn: NodeFn) -> StateGraph:
    """Build (not compile) a StateGraph equivalent to `plan`."""
    graph = StateGraph(_state_schema(plan))
    for node in plan.nodes:
        graph.add_node(node.name, _node_runner(plan, node.name, node_fn))
    for source in _sources_in_order(plan):
        lg_source = LG_START if source == START else source
        for i, edge in enumerate(plan.edges_from(source)):
            if isinstance(edge, NormalEdge):
                graph.add_edge(lg_source, _lg(edge.target))
            elif isinstance(edge, FanoutEdge) and edge.targets is not None:
                for target in edge.targets:
                    graph.add_edge(lg_source, _lg(target))
            else:
                path_map = [_lg(t) for t in edge_targets(edge)]
                if isinstance(edge, ConditionalEdge) and LG_END not in path_map:
                    path_map.append(LG_END)
                graph.add_conditional_edges(lg_source, _path_function(edge, i), path_map)
    return graph


def invoke(plan: ExecutionPlan, state: dict[str, Any], node_fn: NodeFn) -> dict[str, Any]:
    """Compile and run the exported graph from an initial state (see pregel.initial_state)."""
    app = to_state_graph(plan, node_fn).compile()
    return app.invoke(state, {"recursion_limit": recursion_limit(plan)})


def run_langgraph(
    plan: ExecutionPlan, inputs: dict[str, Any], node_fn: NodeFn
) -> tuple[dict[str, Any], list[list[str]]]:
    """LangGraph counterpart of `pregel.run_in_memory`: (final state, node names per step).

    Names within a step are in LangGraph's execution order (Sends first), which differs
    from ours; compare steps as sorted lists. LangGraph's own errors propagate
    (GraphRecursionError for the step limit, InvalidUpdateError for conflicting writes).
    """
    app = to_state_graph(plan, node_fn).compile()
    config: RunnableConfig = {"recursion_limit": recursion_limit(plan)}
    final: dict[str, Any] = {}
    steps: dict[int, list[str]] = {}
    for mode, chunk in app.stream(
        initial_state(plan, inputs), config, stream_mode=["debug", "values"]
    ):
        if mode == "values":
            final = chunk
        elif chunk.get("type") == "task":
            steps.setdefault(chunk["step"] - STEP_OFFSET, []).append(chunk["payload"]["name"])
    return final, [steps[step] for step in sorted(steps)]


def _state_schema(plan: ExecutionPlan) -> type:
    fields: dict[str, Any] = {}
    for key in sorted(plan.state):
        reducer = plan.state[key].reducer
        if reducer == "replace":
            fields[key] = Any
        elif reducer == "append":
            fields[key] = Annotated[list, append]
        elif reducer == "merge":
            fields[key] = Annotated[dict, merge]
        else:
            fields[key] = Annotated[list, add_messages]
    return TypedDict("PlanState", fields)  # type: ignore[operator]


def _node_runner(plan: ExecutionPlan, name: str, node_fn: NodeFn) -> Callable[..., Any]:
    inline = plan.node(name).execution == "inline"

    def run(node_input: dict[str, Any], config: RunnableConfig) -> dict[str, Any]:
        metadata = config.get("metadata") or {}
        path = metadata.get("langgraph_path") or ()
        is_send = bool(path) and path[0] == _SEND_PATH
        task = Task(
            node=name,
            step=metadata["langgraph_step"] - STEP_OFFSET,
            index=path[1] + 1 if is_send else 0,
            input=dict(node_input) if is_send else None,
        )
        given = dict(node_input)
        update = run_inline(plan, task, given) if inline else node_fn(task, given)
        return _with_message_ids(plan, task, update or {})

    run.__name__ = f"node_{name}"
    return run


def _with_message_ids(plan: ExecutionPlan, task: Task, update: dict[str, Any]) -> dict[str, Any]:
    result = dict(update)
    for key, value in update.items():
        spec = plan.state.get(key)
        if spec is not None and spec.reducer == "add_messages":
            result[key] = assign_message_ids(value, task.task_id)
    return result


def _path_function(edge: ConditionalEdge | FanoutEdge, index: int) -> Callable[[Any], Any]:
    def route(view: dict[str, Any]) -> list[Any]:
        pulls, sends = route_edge(edge, dict(view))
        if isinstance(edge, ConditionalEdge) and not pulls:
            return [LG_END]
        return [*pulls, *(Send(target, payload) for target, payload in sends)]

    # LangGraph names branches after the function; names must be unique per source.
    route.__name__ = f"edge_{edge.source}_{index}"
    return route


def _sources_in_order(plan: ExecutionPlan) -> list[str]:
    # Edge order per source decides Send order; sources themselves in a stable order.
    return sorted(plan.outgoing)


def _lg(name: str) -> str:
    return LG_END if name == END else name
