"""The no-op node body every Temporal variant runs, registered under the real name ``node.llm``.

Two flavours: the bare no-op, and the no-op that also writes its node record through
``activities.records.NodeRecorder`` (started, then finished) exactly like the real
``llm`` activity does around its model call, so the cost of records shows separately.
"""

from __future__ import annotations

from temporalio import activity

from activities.records import NodeRecorder
from temporal_workflows.contracts import NodeActivityInput, NodeActivityResult, node_activity_name

NODE_ACTIVITY = node_activity_name("llm")


@activity.defn(name=NODE_ACTIVITY)
async def noop_node(data: NodeActivityInput) -> NodeActivityResult:
    """Do nothing: an empty state update."""
    return NodeActivityResult(update={})


class RecordedNoopNode:
    """The no-op plus the node record the real llm activity writes."""

    def __init__(self, recorder: NodeRecorder) -> None:
        self._recorder = recorder

    @activity.defn(name=NODE_ACTIVITY)
    async def run(self, data: NodeActivityInput) -> NodeActivityResult:
        """Record the node as running, then as completed with an empty update."""
        await self._recorder.started(data, activity.info().attempt)
        await self._recorder.finished(data, status="completed", output={})
        return NodeActivityResult(update={})
