"""Starting the knowledge workflows (by their contract names) and reading their outcomes."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import col
from temporalio.client import Client, WorkflowFailureError
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.exceptions import ApplicationError, FailureError

from platform_api.errors import (
    Conflict,
    DomainError,
    NotFound,
    ServiceUnavailable,
    ValidationFailed,
)
from platform_api.knowledge.service import ingestion_input
from platform_core.db import Database
from platform_core.models import KnowledgeDocument
from platform_core.settings import Settings
from temporal_workflows import contracts as c

logger = logging.getLogger(__name__)
SEARCH_TIMEOUT = timedelta(seconds=90)


async def start_ingestion(
    *, client: Client, database: Database, settings: Settings, row: KnowledgeDocument
) -> None:
    """Ingest the document's current version; an older ingestion of it is terminated."""
    try:
        await client.start_workflow(
            c.INGEST_DOCUMENT_WORKFLOW,
            ingestion_input(row),
            id=c.document_workflow_id(str(row.id)),
            task_queue=settings.temporal_task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.TERMINATE_EXISTING,
            static_summary=f"ingest {row.filename}",
        )
    except Exception as exc:
        logger.warning("could not start ingestion of %s: %s", row.id, exc)
        async with database.tenant_session(row.tenant_id) as session:
            await session.execute(
                update(KnowledgeDocument)
                .where(
                    col(KnowledgeDocument.id) == row.id,
                    col(KnowledgeDocument.content_hash) == row.content_hash,
                )
                .values(status="failed", error_message="ingestion could not be started")
            )
        raise ServiceUnavailable("ingestion could not be started; upload again") from exc


async def start_purge(*, client: Client, settings: Settings, purge: c.PurgeKnowledgeInput) -> None:
    """Delete vectors (and a document's row) on a worker; a running ingestion is terminated."""
    workflow_id = (
        c.document_workflow_id(purge.document_id)
        if purge.document_id
        else c.knowledge_purge_workflow_id(purge.knowledge_base_id)
    )
    try:
        await client.start_workflow(
            c.PURGE_KNOWLEDGE_WORKFLOW,
            purge,
            id=workflow_id,
            task_queue=settings.temporal_task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.TERMINATE_EXISTING,
            static_summary="delete document vectors" if purge.document_id else "delete vectors",
        )
    except Exception as exc:
        logger.warning("could not start purge %s: %s", workflow_id, exc)
        raise ServiceUnavailable("the vectors could not be deleted yet; try again") from exc


_SEARCH_ERRORS: dict[str, type[DomainError]] = {
    c.ERROR_KNOWLEDGE_BASE_NOT_FOUND: NotFound,
    c.ERROR_EMBEDDING_MISMATCH: Conflict,
    c.ERROR_INVALID_SEARCH: ValidationFailed,
}


async def run_search(
    *, client: Client, settings: Settings, request: c.KnowledgeSearchInput
) -> c.KnowledgeSearchResult:
    """Run a search on a worker and wait for its passages."""
    try:
        result: c.KnowledgeSearchResult = await client.execute_workflow(
            c.SEARCH_KNOWLEDGE_WORKFLOW,
            request,
            id=f"kb-search-{uuid.uuid4()}",
            task_queue=settings.temporal_task_queue,
            result_type=c.KnowledgeSearchResult,
            execution_timeout=SEARCH_TIMEOUT,
        )
    except WorkflowFailureError as exc:
        cause: BaseException | None = exc.cause
        while cause is not None and not isinstance(cause, ApplicationError):
            cause = cause.cause if isinstance(cause, FailureError) else None
        error = _SEARCH_ERRORS.get(cause.type or "") if cause is not None else None
        if cause is not None and error is not None:
            raise error(cause.message) from exc
        raise ServiceUnavailable("the search failed on the worker") from exc
    return result
