"""The ``rag`` node activity: retrieve passages for a query taken from the run's state."""

from __future__ import annotations

import time

from temporalio import activity

from activities.infrastructure import infrastructure_is_not_the_node
from activities.knowledge_errors import permanent_failures
from activities.knowledge_search import KnowledgeRetriever
from activities.records import NodeRecorder
from node_types import rag as rag_node
from temporal_workflows.contracts import (
    KnowledgeSearchInput,
    NodeActivityInput,
    NodeActivityResult,
    node_activity_name,
)


class RagNodeActivities:
    """Runs ``rag`` nodes; built once by the worker with its recorder and retriever."""

    def __init__(self, recorder: NodeRecorder, retriever: KnowledgeRetriever) -> None:
        self._recorder = recorder
        self._retriever = retriever

    @activity.defn(name=node_activity_name("rag"))
    @infrastructure_is_not_the_node
    async def run_rag_node(self, data: NodeActivityInput) -> NodeActivityResult:
        """Search the tenant's knowledge bases and return passages, context and citations."""
        started = time.monotonic()
        attempt = activity.info().attempt
        if (recorded := await self._recorder.recorded_outcome(data, attempt)) is not None:
            return recorded
        await self._recorder.started(data, attempt)
        try:
            request = rag_node.prepare(data.config, data.node_input)
            with permanent_failures():
                passages = await self._retriever.search(
                    KnowledgeSearchInput(tenant_id=data.tenant_id, **request)
                )
        except Exception as exc:
            await self._recorder.finished(data, status="failed", output=None, error=str(exc))
            raise
        update = rag_node.to_update(data.config, passages)
        await self._recorder.finished(
            data,
            status="completed",
            output=update,
            service_calls=[
                {
                    "service": "vector_db",
                    "knowledge_base_ids": request["knowledge_base_ids"],
                    "top_k": request["top_k"],
                    "hybrid": request["hybrid"],
                    "hits": len(passages),
                }
            ],
        )
        return NodeActivityResult(
            update=update, duration_ms=int((time.monotonic() - started) * 1000)
        )
