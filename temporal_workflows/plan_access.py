"""How the workflow reads a compiled plan: where a node runs, its retries and timeouts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from temporalio.common import RetryPolicy

from node_types.plan import ExecutionPlan
from node_types.pregel import final_output


@dataclass(frozen=True)
class NodeRuntime:
    """The execution settings of one node, in Temporal's terms."""

    type: str
    execution: str
    config: dict[str, Any]
    retry_policy: RetryPolicy
    start_to_close: timedelta | None
    schedule_to_close: timedelta | None
    heartbeat: timedelta | None


def _seconds(value: float | None) -> timedelta | None:
    return timedelta(seconds=value) if value else None


def node_runtime(plan: ExecutionPlan, name: str) -> NodeRuntime:
    """Translate the plan's node settings into Temporal activity options."""
    node = plan.node(name)
    retry = node.retry
    timeouts = node.timeouts
    start_to_close = _seconds(timeouts.start_to_close_seconds)
    schedule_to_close = _seconds(timeouts.schedule_to_close_seconds)
    if start_to_close is None and schedule_to_close is None:
        start_to_close = timedelta(minutes=5)
    return NodeRuntime(
        type=node.type,
        execution=node.execution,
        config=dict(node.config),
        retry_policy=RetryPolicy(
            initial_interval=timedelta(seconds=retry.initial_interval_seconds),
            backoff_coefficient=retry.backoff_coefficient,
            maximum_interval=_seconds(retry.maximum_interval_seconds),
            maximum_attempts=retry.max_attempts,
            non_retryable_error_types=list(retry.non_retryable_error_types),
        ),
        start_to_close=start_to_close,
        schedule_to_close=schedule_to_close,
        heartbeat=_seconds(timeouts.heartbeat_seconds),
    )


def answer_of(plan: ExecutionPlan, state: dict[str, Any]) -> str | None:
    """The run's answer as text: the plan's output key, else the last assistant message."""
    value = final_output(plan, state)
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)
