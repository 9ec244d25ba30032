"""compile_plan: raw definition → ExecutionPlan (validated, normalised, hashed)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from node_types.errors import DefinitionInvalid, ExpressionError
from node_types.expressions import parse
from node_types.ir import NodeSpec, RetryPolicySpec, StateKey, TimeoutSpec, WorkflowDefinition
from node_types.plan import ExecutionPlan, PlanNode, ResolvedRetryPolicy, ResolvedTimeouts
from node_types.reducers import assign_message_ids, empty_value
from node_types.registry import NodeTypeEntry, get_node_type
from node_types.templating import template_keys
from node_types.validation import validate_definition

# Used where neither the node nor its type says otherwise (Temporal's own defaults,
# but with a bounded number of attempts: an agent run should fail, not retry forever).
BASE_RETRY = ResolvedRetryPolicy(
    max_attempts=3,
    initial_interval_seconds=1.0,
    backoff_coefficient=2.0,
    maximum_interval_seconds=60.0,
    non_retryable_error_types=[],
)
BASE_TIMEOUTS = ResolvedTimeouts(
    start_to_close_seconds=60.0, schedule_to_close_seconds=None, heartbeat_seconds=None
)


def compile_plan(raw_definition: dict[str, Any]) -> ExecutionPlan:
    """Validate and compile a definition; raises DefinitionInvalid listing every problem."""
    problems = validate_definition(raw_definition)
    if problems:
        raise DefinitionInvalid(problems)
    definition = WorkflowDefinition.model_validate(raw_definition)
    state = {key: _normalised_key(definition.state[key]) for key in sorted(definition.state)}
    normalised = definition.model_copy(
        update={"state": state, "inputs": definition.resolved_inputs()}, deep=True
    )
    outgoing: dict[str, list[Any]] = {}
    for edge in normalised.edges:
        outgoing.setdefault(edge.source, []).append(edge)
    plan = ExecutionPlan(
        definition=normalised,
        nodes=[_plan_node(node) for node in normalised.nodes],
        state=state,
        outgoing=outgoing,
        max_steps=normalised.max_steps,
        inputs=list(normalised.inputs or []),
        output=normalised.output,
    )
    return plan.model_copy(update={"plan_hash": plan_hash(plan)})


def plan_hash(plan: ExecutionPlan) -> str:
    """sha256 of the plan's canonical JSON (without the hash itself)."""
    body = plan.model_dump(mode="json", exclude={"plan_hash"})
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def canonical_json(value: Any) -> str:
    """Key-sorted, whitespace-free JSON: equal for equal data whatever the dict order."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def _normalised_key(spec: StateKey) -> StateKey:
    # Make every default concrete so runs never depend on which fields were "set".
    default = spec.default if spec.default is not None else empty_value(spec.reducer)
    if spec.reducer == "add_messages":
        default = assign_message_ids(default, "default")
    return spec.model_copy(update={"default": default})


def _plan_node(node: NodeSpec) -> PlanNode:
    entry = get_node_type(node.type)
    config = {**entry.spec.default_config, **node.config}
    return PlanNode(
        name=node.name,
        type=node.type,
        execution=entry.spec.execution,
        config=config,
        retry=_retry(entry.spec.default_retry, node.retry),
        timeouts=_timeouts(entry.spec.default_timeouts, node.timeouts),
        reads=_reads(entry, node, config),
        writes=list(dict.fromkeys(entry.state_writes(config) + list(node.writes or []))),
        required_services=list(entry.spec.required_services),
        position=node.position,
    )


def type_defaults(type_name: str) -> tuple[ResolvedRetryPolicy, ResolvedTimeouts]:
    """The retry policy and timeouts a node of ``type_name`` runs with when it sets none.

    The editor shows these as the fields' defaults; raises UnknownNodeType.
    """
    spec = get_node_type(type_name).spec
    return _retry(spec.default_retry, None), _timeouts(spec.default_timeouts, None)


def _retry(type_default: RetryPolicySpec, node: RetryPolicySpec | None) -> ResolvedRetryPolicy:
    merged = BASE_RETRY.model_dump()
    for layer in (type_default, node):
        if layer is not None:
            merged.update(layer.model_dump(exclude_none=True))
    return ResolvedRetryPolicy.model_validate(merged)


def _timeouts(type_default: TimeoutSpec, node: TimeoutSpec | None) -> ResolvedTimeouts:
    merged = BASE_TIMEOUTS.model_dump()
    for layer in (type_default, node):
        if layer is not None:
            merged.update(layer.model_dump(exclude_none=True))
    return ResolvedTimeouts.model_validate(merged)


def _reads(entry: NodeTypeEntry, node: NodeSpec, config: dict[str, Any]) -> list[str]:
    keys = list(entry.state_reads(config))
    for _, kind, text in entry.config_expressions(config):
        try:
            keys += template_keys(text) if kind == "template" else list(parse(text).keys)
        except ExpressionError:  # pragma: no cover - validate_definition rejected it already
            continue
    return list(dict.fromkeys(keys + list(node.reads or [])))
