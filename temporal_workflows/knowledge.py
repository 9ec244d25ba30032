"""Knowledge workflows: ingest a document version, purge vectors, run a search.

``KnowledgeIngestDocument`` (id ``kb-doc-<document_id>``) parses and chunks the
document, embeds and upserts it batch by batch, then finishes (status ``ready`` and the
previous versions' chunks dropped, or ``failed`` and all its chunks dropped). Each step
is an activity with its own retries, so a worker crash resumes at the batch it was on.
Progress goes to the workflow's event stream (the same one runs use, so the API's SSE
bridge serves it) and to the ``ingestion_progress`` query.

A newer upload or a deletion of the same document starts under the same id and
terminates this one; the activities check the version before and after writing, so
the last writer always leaves the index consistent.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.contrib.workflow_streams import WorkflowStream
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from temporal_workflows import contracts as c

PARSE_TIMEOUT = timedelta(minutes=10)
BATCH_TIMEOUT = timedelta(minutes=10)  # the first batch on a worker also loads the model
RECORD_TIMEOUT = timedelta(minutes=1)
STEP_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    maximum_interval=timedelta(seconds=30),
    maximum_attempts=5,
)
# Finishing and purging must land eventually: keep retrying while a service is away.
RECORD_RETRY = RetryPolicy(maximum_interval=timedelta(seconds=30))
SEARCH_TIMEOUT = timedelta(seconds=60)
SEARCH_RETRY = RetryPolicy(initial_interval=timedelta(milliseconds=200), maximum_attempts=3)


def _failure_message(exc: BaseException) -> str:
    cause = exc.cause if isinstance(exc, ActivityError) and exc.cause else exc
    if isinstance(cause, ApplicationError):
        return cause.message
    return str(cause)


@workflow.defn(name=c.INGEST_DOCUMENT_WORKFLOW)
class IngestDocumentWorkflow:
    """One document version: parse → chunk → embed in batches → upsert → finish."""

    @workflow.init
    def __init__(self, params: c.IngestDocumentInput) -> None:
        self._stream = WorkflowStream()
        self._events = self._stream.topic(c.EVENTS_TOPIC)
        self._progress: dict[str, Any] = {
            "status": "processing",
            "chunks": None,
            "batches_done": 0,
            "batches_total": None,
        }

    @workflow.query(name=c.INGESTION_PROGRESS_QUERY)
    def progress(self) -> dict[str, Any]:
        """Status, chunk count and batches indexed so far."""
        return dict(self._progress)

    def _publish(self, event: str, **data: Any) -> None:
        self._events.publish({"event": event, **data})

    @workflow.run
    async def run(self, params: c.IngestDocumentInput) -> c.IngestDocumentResult:
        """Ingest, record the outcome, close the stream."""
        self._publish(c.EVENT_INGESTION_STARTED, document_id=params.document_id)
        try:
            result = await self._ingest(params)
        except ActivityError as exc:
            message = _failure_message(exc)
            await self._finish(params, "failed", error=message)
            self._publish(c.EVENT_ERROR, content=message, document_id=params.document_id)
            result = c.IngestDocumentResult(status="failed", chunk_count=0, error=message)
        self._progress["status"] = result.status
        self._publish(
            c.EVENT_DONE,
            status=result.status,
            document_id=params.document_id,
            chunk_count=result.chunk_count,
            error=result.error,
        )
        self._stream.detach_pollers()
        await workflow.wait_condition(workflow.all_handlers_finished)
        return result

    async def _ingest(self, params: c.IngestDocumentInput) -> c.IngestDocumentResult:
        plan: c.DocumentPlan = await workflow.execute_activity(
            c.PREPARE_DOCUMENT_ACTIVITY,
            params,
            result_type=c.DocumentPlan,
            start_to_close_timeout=PARSE_TIMEOUT,
            retry_policy=STEP_RETRY,
            summary="parse and chunk",
        )
        if plan.superseded:
            return c.IngestDocumentResult(status="superseded", chunk_count=0)
        self._progress.update(chunks=plan.chunk_count, batches_total=plan.batch_count)
        self._publish(c.EVENT_DOCUMENT_PARSED, chunks=plan.chunk_count, batches=plan.batch_count)
        for batch in range(plan.batch_count):
            written: c.IndexBatchResult = await workflow.execute_activity(
                c.INDEX_BATCH_ACTIVITY,
                c.IndexBatchInput(document=params, batch_index=batch),
                result_type=c.IndexBatchResult,
                start_to_close_timeout=BATCH_TIMEOUT,
                retry_policy=STEP_RETRY,
                summary=f"embed and index batch {batch + 1}/{plan.batch_count}",
            )
            if written.superseded:
                return c.IngestDocumentResult(status="superseded", chunk_count=0)
            self._progress["batches_done"] = batch + 1
            self._publish(
                c.EVENT_BATCH_INDEXED,
                batch=batch + 1,
                batches=plan.batch_count,
                points=written.points_written,
            )
        await self._finish(params, "ready", chunk_count=plan.chunk_count, title=plan.title)
        return c.IngestDocumentResult(status="ready", chunk_count=plan.chunk_count)

    async def _finish(
        self,
        params: c.IngestDocumentInput,
        status: str,
        *,
        chunk_count: int = 0,
        title: str | None = None,
        error: str | None = None,
    ) -> None:
        await workflow.execute_activity(
            c.FINISH_DOCUMENT_ACTIVITY,
            c.FinishDocumentInput(
                document=params, status=status, chunk_count=chunk_count, title=title, error=error
            ),
            start_to_close_timeout=RECORD_TIMEOUT,
            retry_policy=RECORD_RETRY,
            summary=f"finish: {status}",
        )


@workflow.defn(name=c.PURGE_KNOWLEDGE_WORKFLOW)
class PurgeKnowledgeWorkflow:
    """Delete a document's vectors and row, or a deleted knowledge base's vectors."""

    @workflow.run
    async def run(self, params: c.PurgeKnowledgeInput) -> None:
        """One activity, retried until the vector store has done it."""
        await workflow.execute_activity(
            c.PURGE_KNOWLEDGE_ACTIVITY,
            params,
            start_to_close_timeout=RECORD_TIMEOUT,
            retry_policy=RECORD_RETRY,
            summary="delete vectors",
        )


@workflow.defn(name=c.SEARCH_KNOWLEDGE_WORKFLOW)
class SearchKnowledgeWorkflow:
    """A retrieval for the API's debugging endpoint, run by the same code as ``rag`` nodes."""

    @workflow.run
    async def run(self, params: c.KnowledgeSearchInput) -> c.KnowledgeSearchResult:
        """One search activity."""
        result: c.KnowledgeSearchResult = await workflow.execute_activity(
            c.SEARCH_KNOWLEDGE_ACTIVITY,
            params,
            result_type=c.KnowledgeSearchResult,
            start_to_close_timeout=SEARCH_TIMEOUT,
            retry_policy=SEARCH_RETRY,
            summary="search",
        )
        return result
