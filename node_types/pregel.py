"""Pregel superstep semantics (LangGraph's), as pure functions over an ExecutionPlan.

A run is a sequence of steps. In each step a set of tasks runs "concurrently", each on
its own input (the state as it was when the step started, or a Send payload); at the end
of the step all their updates merge through the per-key reducers and the edges of the
finished tasks decide the next step's tasks:

    state = initial_state(plan, inputs)
    tasks = first_tasks(plan, state)
    while tasks:
        check_step_limit(plan, tasks[0].step)
        writes = [(t, run_node(t, node_input(plan, t, state))) for t in tasks]
        state, tasks = advance(plan, state, writes)

Faithful details (checked against LangGraph by the conformance tests):
- Writes merge in task order: triggered ("pull") tasks by node name, then Send tasks in
  the order they were sent. `apply_writes` sorts, so the caller's order never matters.
- A node triggered by several edges in one step runs once; every Send runs separately.
- Conditional edges and dynamic fan-outs evaluate on the *source task's own view*: the
  state at the start of its step with only that task's update applied (LangGraph reads
  branch inputs "fresh" the same way). That is why `next_tasks` takes the pre-step state
  and the (task, update) pairs rather than the merged state.
- Step limit: a run may use steps 0..max_steps-1 (LangGraph: recursion_limit =
  max_steps + 1). One deliberate difference: LangGraph executes the tasks of the step
  past the limit and then raises; we raise before starting them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from node_types.errors import InvalidUpdateError, RoutingError, StepLimitExceeded
from node_types.expressions import evaluate, outcome_key
from node_types.ir import END, START, ConditionalEdge, FanoutEdge, NormalEdge
from node_types.plan import ExecutionPlan
from node_types.reducers import assign_message_ids, empty_value, reduce_value
from node_types.state_types import type_problem

__all__ = [
    "StepLimitExceeded",
    "Task",
    "advance",
    "apply_writes",
    "check_step_limit",
    "final_output",
    "first_tasks",
    "initial_state",
    "next_tasks",
    "node_input",
    "run_in_memory",
    "run_inline",
]

INPUT_ID_PREFIX = "input"


@dataclass(frozen=True)
class Task:
    """One execution of one node in one step. JSON-serialisable via dataclasses.asdict.

    `index` is 0 for a triggered task and 1.. (order of sending within the step) for a
    Send task, whose `input` is the Send payload; `input` is None for triggered tasks.
    """

    node: str
    step: int
    index: int = 0
    input: dict[str, Any] | None = None

    @property
    def task_id(self) -> str:
        """Stable id, unique within a run: the idempotency key for records and activities."""
        return f"{self.step}:{self.node}:{self.index}"

    @property
    def is_send(self) -> bool:
        """True when the task was created by a dynamic fan-out (Send)."""
        return self.input is not None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Task:
        """Rebuild a task from `dataclasses.asdict` output."""
        return cls(node=data["node"], step=data["step"], index=data["index"], input=data["input"])


Writes = Sequence[tuple[Task, dict[str, Any] | None]]


def task_order(task: Task) -> tuple[int, str, int]:
    """LangGraph's write order within a step: triggered tasks by name, then Sends in order."""
    return (1, "", task.index) if task.is_send else (0, task.node, 0)


def initial_state(plan: ExecutionPlan, inputs: dict[str, Any]) -> dict[str, Any]:
    """Every state key at its default, then `inputs` applied through the reducers."""
    state = {key: copy.deepcopy(plan.state[key].default) for key in sorted(plan.state)}
    unknown = sorted(k for k in inputs if k not in plan.state)
    if unknown:
        raise InvalidUpdateError(f"inputs name undeclared state keys: {', '.join(unknown)}")
    pending: dict[str, list[Any]] = {key: [inputs[key]] for key in sorted(inputs)}
    return _merge(plan, state, pending, INPUT_ID_PREFIX)


def state_edit_problems(plan: ExecutionPlan, edits: dict[str, Any]) -> list[tuple[str, str]]:
    """Why `edits` cannot set the run's state, as (path, message) pairs; none: it can.

    An edit names declared keys only, and each value must fit its key's declared type.
    """
    problems = []
    for key in sorted(edits):
        spec = plan.state.get(key)
        if spec is None:
            problems.append((key, "not a state key of this agent version"))
            continue
        problem = type_problem(spec.type, edits[key])
        if problem is not None:
            problems.append((key, problem))
    return problems


def edited_state(
    plan: ExecutionPlan, state: dict[str, Any], edits: dict[str, Any]
) -> dict[str, Any]:
    """A NEW state with each edited key set to its value as given (not through reducers:
    an edit says what the state is, as a person corrects it before a step runs)."""
    problems = state_edit_problems(plan, edits)
    if problems:
        raise InvalidUpdateError(
            "the state edit does not fit: " + "; ".join(f"{k}: {m}" for k, m in problems)
        )
    return {**state, **{key: copy.deepcopy(edits[key]) for key in sorted(edits)}}


def first_tasks(plan: ExecutionPlan, state: dict[str, Any]) -> list[Task]:
    """Step 0: the targets of the `__start__` edges, evaluated on the initial state."""
    pulls, sends = _route(plan, START, state)
    return _make_tasks(0, pulls, sends)


def node_input(plan: ExecutionPlan, task: Task, state: dict[str, Any]) -> dict[str, Any]:
    """What the node receives: its Send payload, else (a copy of) the whole state."""
    return copy.deepcopy(task.input if task.is_send else state)


def apply_writes(plan: ExecutionPlan, state: dict[str, Any], writes: Writes) -> dict[str, Any]:
    """Merge one step's updates into a NEW state, in task order, through the reducers.

    Raises InvalidUpdateError for a write to an undeclared key, two writes to one
    `replace` key in the step (LangGraph's LastValue rule), a value the key's reducer
    cannot take, or a result that does not match the key's declared type.
    """
    pending: dict[str, list[Any]] = {}
    for task, update in sorted(writes, key=lambda w: task_order(w[0])):
        for key, value in _checked_update(plan, task, update).items():
            if plan.state[key].reducer == "add_messages":
                value = assign_message_ids(value, task.task_id)
            pending.setdefault(key, []).append(value)
    return _merge(plan, state, pending, None)


def next_tasks(plan: ExecutionPlan, state: dict[str, Any], finished: Writes) -> list[Task]:
    """The next step's tasks, from the edges of the tasks that just finished.

    `state` is the state at the START of the finished step (what `apply_writes` was given)
    and `finished` the same (task, update) pairs, because conditions evaluate on each
    source task's own view of the state (see the module docstring).
    """
    for item in finished:
        if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], Task)):
            raise TypeError(
                "next_tasks(plan, state_before_step, finished) takes the (task, update) "
                "pairs that were passed to apply_writes"
            )
    if not finished:
        return []
    step = max(task.step for task, _ in finished) + 1
    pulls: list[str] = []
    sends: list[tuple[str, dict[str, Any]]] = []
    for task, update in sorted(finished, key=lambda w: task_order(w[0])):
        view = state
        if _needs_view(plan, task.node):
            view = apply_writes(plan, state, [(task, update)])
        task_pulls, task_sends = _route(plan, task.node, view)
        pulls += task_pulls
        sends += task_sends
    return _make_tasks(step, pulls, sends)


def advance(
    plan: ExecutionPlan, state: dict[str, Any], writes: Writes
) -> tuple[dict[str, Any], list[Task]]:
    """End a step: (new state, next tasks). The one call a driver needs per step."""
    return apply_writes(plan, state, writes), next_tasks(plan, state, writes)


def check_step_limit(plan: ExecutionPlan, step: int) -> None:
    """Raise StepLimitExceeded before running step `step` if it is >= plan.max_steps."""
    if step >= plan.max_steps:
        raise StepLimitExceeded(step, plan.max_steps)


def run_inline(plan: ExecutionPlan, task: Task, node_input: dict[str, Any]) -> dict[str, Any]:
    """Compute the update of an inline node (router, transform) — no I/O, deterministic."""
    from node_types.registry import get_node_type  # late: the registry imports node types

    node = plan.node(task.node)
    entry = get_node_type(node.type)
    if entry.run is None:
        raise ValueError(f"node {node.name!r} of type {node.type!r} does not run inline")
    return entry.run(node.config, node_input)


def final_output(plan: ExecutionPlan, state: dict[str, Any]) -> Any:
    """The run's answer: `state[plan.output]`, else the last assistant message's content."""
    if plan.output is not None:
        return state.get(plan.output)
    for message in reversed(state.get("messages") or []):
        if isinstance(message, dict) and message.get("role") == "assistant":
            return message.get("content")
    return None


NodeFn = Callable[[Task, dict[str, Any]], dict[str, Any] | None]


def run_in_memory(
    plan: ExecutionPlan, inputs: dict[str, Any], node_fn: NodeFn
) -> tuple[dict[str, Any], list[list[str]]]:
    """Run a plan to completion in memory: inline nodes via `run_inline`, others via node_fn.

    Returns (final state, trace) where trace[i] lists the node names of step i in task
    order. Raises StepLimitExceeded, InvalidUpdateError, RoutingError like a real run.
    """
    state = initial_state(plan, inputs)
    tasks = first_tasks(plan, state)
    trace: list[list[str]] = []
    while tasks:
        check_step_limit(plan, tasks[0].step)
        writes = []
        for task in tasks:
            given = node_input(plan, task, state)
            if plan.node(task.node).execution == "inline":
                writes.append((task, run_inline(plan, task, given)))
            else:
                writes.append((task, node_fn(task, given)))
        trace.append([task.node for task in tasks])
        state, tasks = advance(plan, state, writes)
    return state, trace


def route_edge(
    edge: NormalEdge | ConditionalEdge | FanoutEdge, view: dict[str, Any]
) -> tuple[list[str], list[tuple[str, dict[str, Any]]]]:
    """Where one edge leads from a source whose view of the state is `view`.

    Returns (triggered node names, Sends as (target, payload)); `__end__` is dropped.
    Shared with the LangGraph export so both engines route identically.
    """
    if isinstance(edge, NormalEdge):
        targets = [edge.target]
    elif isinstance(edge, ConditionalEdge):
        targets = [_conditional_target(edge, view)]
    elif edge.targets is not None:
        targets = list(edge.targets)
    else:
        return [], _sends(edge, view)
    return [t for t in targets if t != END], []


def _conditional_target(edge: ConditionalEdge, view: dict[str, Any]) -> str:
    key = outcome_key(evaluate(edge.condition, view))
    target = edge.mapping.get(key, edge.default)
    if target is None:
        known = ", ".join(sorted(edge.mapping)) or "none"
        raise RoutingError(
            f"condition {edge.condition!r} of an edge from {edge.source!r} gave {key!r}, "
            f"which is not mapped (known outcomes: {known}) and the edge has no default"
        )
    return target


def _sends(edge: FanoutEdge, view: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    assert edge.target is not None and edge.over is not None
    items = evaluate(edge.over, view)
    if items is None:
        return []
    if not isinstance(items, list):
        raise RoutingError(
            f"fan-out from {edge.source!r}: `over` ({edge.over!r}) must give a list, "
            f"got {type(items).__name__}"
        )
    shared = {key: view.get(key) for key in edge.include}
    return [(edge.target, copy.deepcopy({**shared, edge.item_key: item})) for item in items]


def _route(
    plan: ExecutionPlan, source: str, view: dict[str, Any]
) -> tuple[list[str], list[tuple[str, dict[str, Any]]]]:
    pulls: list[str] = []
    sends: list[tuple[str, dict[str, Any]]] = []
    for edge in plan.edges_from(source):
        edge_pulls, edge_sends = route_edge(edge, view)
        pulls += edge_pulls
        sends += edge_sends
    return pulls, sends


def _needs_view(plan: ExecutionPlan, source: str) -> bool:
    return any(not isinstance(e, NormalEdge) for e in plan.edges_from(source))


def _make_tasks(step: int, pulls: list[str], sends: list[tuple[str, dict[str, Any]]]) -> list[Task]:
    triggered = [Task(node=name, step=step) for name in sorted(set(pulls))]
    sent = [
        Task(node=target, step=step, index=i + 1, input=payload)
        for i, (target, payload) in enumerate(sends)
    ]
    return triggered + sent


def _checked_update(plan: ExecutionPlan, task: Task, update: Any) -> dict[str, Any]:
    if update is None:
        return {}
    if not isinstance(update, dict):
        raise InvalidUpdateError(
            f"node {task.node!r} returned {type(update).__name__}; an update must be an object"
        )
    unknown = sorted(k for k in update if k not in plan.state)
    if unknown:
        raise InvalidUpdateError(
            f"node {task.node!r} wrote undeclared state key(s): {', '.join(unknown)}"
        )
    return {key: copy.deepcopy(update[key]) for key in sorted(update)}


def _merge(
    plan: ExecutionPlan, state: dict[str, Any], pending: dict[str, list[Any]], id_prefix: str | None
) -> dict[str, Any]:
    new_state = dict(state)
    for key in sorted(pending):
        spec = plan.state[key]
        values = pending[key]
        if spec.reducer == "replace" and len(values) > 1:
            raise InvalidUpdateError(
                f"At key '{key}': Can receive only one value per step. "
                "Use a reducer (append, merge, add_messages) to handle multiple values."
            )
        value = new_state.get(key, empty_value(spec.reducer))
        for write in values:
            if id_prefix is not None and spec.reducer == "add_messages":
                write = assign_message_ids(write, id_prefix)
            try:
                value = reduce_value(spec.reducer, value, write)
            except InvalidUpdateError as exc:
                raise InvalidUpdateError(f"At key '{key}': {exc}") from None
        problem = type_problem(spec.type, value)
        if problem is not None:
            raise InvalidUpdateError(f"At key '{key}': {problem}")
        new_state[key] = value
    return new_state
