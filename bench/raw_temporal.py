"""Hand-written Temporal workflows: a chain of N activities, the baseline for the platform.

Each runs the platform's no-op node activity (``node.llm``, the platform's payload types,
the same state as input) N times in sequence — as regular activities, and as local
activities — with the timeouts and retry policy the compiler gives an ``llm`` node.
Nothing happens at import: the workflow sandbox re-imports this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from temporal_workflows.contracts import NodeActivityInput, NodeActivityResult

NODE_ACTIVITY = "node.llm"
START_TO_CLOSE = timedelta(seconds=120)
HEARTBEAT = timedelta(seconds=30)
RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=60),
    maximum_attempts=3,
)


@dataclass
class ChainInput:
    """How many nodes, and the state each node receives."""

    nodes: int
    state: dict[str, Any] = field(default_factory=dict)


def _node_input(params: ChainInput, node: int) -> NodeActivityInput:
    return NodeActivityInput(
        tenant_id="",
        execution_id="",
        workflow_id=workflow.info().workflow_id,
        node_name=f"n{node}",
        node_type="llm",
        config={"model": "scripted/echo"},
        node_input=params.state,
        step=node - 1,
        task_id=f"n{node}:{node - 1}",
        max_attempts=RETRY.maximum_attempts,
    )


@workflow.defn(name="RawActivityChain")
class RawActivityChain:
    """``nodes`` regular activities, one after the other."""

    @workflow.run
    async def run(self, params: ChainInput) -> int:
        """Run the chain; returns how many activities ran."""
        for node in range(1, params.nodes + 1):
            await workflow.execute_activity(
                NODE_ACTIVITY,
                _node_input(params, node),
                result_type=NodeActivityResult,
                start_to_close_timeout=START_TO_CLOSE,
                heartbeat_timeout=HEARTBEAT,
                retry_policy=RETRY,
            )
        return params.nodes


@workflow.defn(name="RawLocalActivityChain")
class RawLocalActivityChain:
    """``nodes`` local activities, one after the other."""

    @workflow.run
    async def run(self, params: ChainInput) -> int:
        """Run the chain; returns how many local activities ran."""
        for node in range(1, params.nodes + 1):
            await workflow.execute_local_activity(
                NODE_ACTIVITY,
                _node_input(params, node),
                result_type=NodeActivityResult,
                start_to_close_timeout=START_TO_CLOSE,
                retry_policy=RETRY,
            )
        return params.nodes
