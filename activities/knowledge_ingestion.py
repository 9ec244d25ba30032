"""Ingestion activities: parse and chunk a document version, index it batch by batch, finish.

A document version is its content hash. Every activity first checks the row still
holds that version (not replaced by a newer upload, not being deleted); if not, it does
nothing, because the newer workflow owns the document now. A batch that finds the version
superseded *after* writing deletes what it wrote, so no stale chunk outlives a race.
"""

from __future__ import annotations

import asyncio
import math
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import QueryableAttribute, defer
from sqlmodel import col
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.chunking import Chunk, WordPieceTokenizer, chunk_document
from activities.document_parsing import parse_document
from activities.embeddings import EmbedderRegistry, embed_checked
from activities.knowledge_errors import permanent_failures
from activities.vector_index import KnowledgeIndex
from platform_core.db import Database
from platform_core.models import KnowledgeBase, KnowledgeDocument
from temporal_workflows.contracts import (
    ERROR_EMBEDDING_MISMATCH,
    FINISH_DOCUMENT_ACTIVITY,
    INDEX_BATCH_ACTIVITY,
    PREPARE_DOCUMENT_ACTIVITY,
    PURGE_KNOWLEDGE_ACTIVITY,
    DocumentPlan,
    FinishDocumentInput,
    IndexBatchInput,
    IndexBatchResult,
    IngestDocumentInput,
    PurgeKnowledgeInput,
)

CACHED_DOCUMENTS = 8
UNWRITABLE = (ERROR_EMBEDDING_MISMATCH, "VectorStoreMissing")
# Rows are read often and the uploaded bytes rarely: leave them out unless asked for.
NO_CONTENT = defer(cast("QueryableAttribute[Any]", KnowledgeDocument.content))


@dataclass(frozen=True)
class _Version:
    """The knowledge base and document row of the version being ingested."""

    base: KnowledgeBase
    document: KnowledgeDocument


@dataclass(frozen=True)
class _Chunked:
    title: str | None
    chunks: list[Chunk]


class KnowledgeIngestionActivities:
    """Built once by the worker with the database, the index and the embedders."""

    def __init__(
        self,
        database: Database,
        index: KnowledgeIndex,
        embedders: EmbedderRegistry,
        tokenizer: WordPieceTokenizer | None = None,
    ) -> None:
        self._db = database
        self._index = index
        self._embedders = embedders
        self._tokenizer = tokenizer or WordPieceTokenizer()
        # Batches of one document usually run on the same worker: parse once per version.
        self._chunked: OrderedDict[tuple[str, str], _Chunked] = OrderedDict()

    async def _current(self, ref: IngestDocumentInput) -> _Version | None:
        """The rows, if the document still holds this version and is not being deleted."""
        async with self._db.tenant_session(ref.tenant_id) as session:
            document = await session.get(
                KnowledgeDocument,
                uuid.UUID(ref.document_id),
                options=[NO_CONTENT],
            )
            if (
                document is None
                or document.content_hash != ref.content_hash
                or document.status == "deleting"
            ):
                return None
            base = await session.get(KnowledgeBase, document.knowledge_base_id)
        return _Version(base, document) if base is not None else None

    async def _chunks(self, ref: IngestDocumentInput, version: _Version) -> _Chunked | None:
        """The version's chunks (cached), or None if the row no longer holds that version."""
        key = (ref.document_id, ref.content_hash)
        if key in self._chunked:
            self._chunked.move_to_end(key)
            return self._chunked[key]
        async with self._db.tenant_session(ref.tenant_id) as session:
            content = (
                await session.execute(
                    select(col(KnowledgeDocument.content)).where(
                        col(KnowledgeDocument.id) == uuid.UUID(ref.document_id),
                        col(KnowledgeDocument.content_hash) == ref.content_hash,
                    )
                )
            ).scalar_one_or_none()
        if content is None:
            return None
        base, document = version.base, version.document

        def work() -> _Chunked:
            parsed = parse_document(content, document.content_type)
            chunks = chunk_document(
                parsed, self._tokenizer, chunk_size=base.chunk_size, overlap=base.chunk_overlap
            )
            return _Chunked(parsed.title, chunks)

        chunked = await asyncio.to_thread(work)  # PDFs can take a while: keep the loop free
        self._chunked[key] = chunked
        while len(self._chunked) > CACHED_DOCUMENTS:
            self._chunked.popitem(last=False)
        return chunked

    @activity.defn(name=PREPARE_DOCUMENT_ACTIVITY)
    async def prepare_document(self, ref: IngestDocumentInput) -> DocumentPlan:
        """Mark the document processing, parse and chunk it, make sure its collection fits."""
        version = await self._current(ref)
        if version is None:
            return DocumentPlan(chunk_count=0, batch_count=0, superseded=True)
        await self._set_status(ref, status="processing", error=None)
        with permanent_failures():
            chunked = await self._chunks(ref, version)
            if chunked is None:
                return DocumentPlan(chunk_count=0, batch_count=0, superseded=True)
            self._embedders.get(version.base.embedding_model, version.base.embedding_dimension)
            await self._index.ensure_collection(
                version.base.embedding_model, version.base.embedding_dimension
            )
        count = len(chunked.chunks)
        if count == 0:
            scanned = version.document.content_type == "application/pdf"
            raise ApplicationError(
                "no text found in the PDF (a scanned PDF needs OCR first)"
                if scanned
                else "the document has no text",
                type="DocumentParseError",
                non_retryable=True,
            )
        return DocumentPlan(
            chunk_count=count,
            batch_count=math.ceil(count / ref.batch_size),
            title=chunked.title,
        )

    @activity.defn(name=INDEX_BATCH_ACTIVITY)
    async def index_batch(self, data: IndexBatchInput) -> IndexBatchResult:
        """Embed one batch of chunks and upsert it (idempotent: point ids are deterministic)."""
        ref = data.document
        version = await self._current(ref)
        if version is None:
            return IndexBatchResult(points_written=0, superseded=True)
        base = version.base
        with permanent_failures():
            chunked = await self._chunks(ref, version)
            if chunked is None:
                return IndexBatchResult(points_written=0, superseded=True)
            start = data.batch_index * ref.batch_size
            batch = chunked.chunks[start : start + ref.batch_size]
            embedder = self._embedders.get(base.embedding_model, base.embedding_dimension)
            vectors = await embed_checked(embedder, [c.embed_text for c in batch])
            document = version.document
            written = await self._index.upsert_chunks(
                tenant_id=ref.tenant_id,
                knowledge_base_id=ref.knowledge_base_id,
                document_id=ref.document_id,
                content_hash=ref.content_hash,
                model=base.embedding_model,
                dimension=base.embedding_dimension,
                chunks=batch,
                vectors=vectors,
                document={
                    "title": chunked.title or document.filename,
                    "filename": document.filename,
                    "meta": {
                        **(document.doc_metadata or {}),
                        "filename": document.filename,
                        "content_type": document.content_type,
                    },
                },
            )
        if await self._current(ref) is None:
            # Replaced or deleted while this batch ran: take back what it wrote.
            await self._index.delete_document(
                tenant_id=ref.tenant_id,
                model=base.embedding_model,
                dimension=base.embedding_dimension,
                document_id=ref.document_id,
                only_hash=ref.content_hash,
            )
            return IndexBatchResult(points_written=0, superseded=True)
        return IndexBatchResult(points_written=written)

    @activity.defn(name=FINISH_DOCUMENT_ACTIVITY)
    async def finish_document(self, data: FinishDocumentInput) -> None:
        """Ready: drop the previous versions' chunks. Failed: drop all of them. Then the row."""
        ref = data.document
        self._chunked.pop((ref.document_id, ref.content_hash), None)
        version = await self._current(ref)
        if version is None:
            return
        base = version.base
        try:
            with permanent_failures():
                await self._index.delete_document(
                    tenant_id=ref.tenant_id,
                    model=base.embedding_model,
                    dimension=base.embedding_dimension,
                    document_id=ref.document_id,
                    except_hash=ref.content_hash if data.status == "ready" else None,
                )
        except ApplicationError as exc:
            # A failure caused by the collection itself (wrong model, no vector store)
            # wrote nothing there: record it rather than fail again.
            if data.status == "ready" or exc.type not in UNWRITABLE:
                raise
        metadata = dict(version.document.doc_metadata or {})
        if data.title and "title" not in metadata:
            metadata["title"] = data.title
        await self._set_status(
            ref,
            status=data.status,
            error=data.error,
            chunk_count=data.chunk_count if data.status == "ready" else 0,
            metadata=metadata,
        )

    async def _set_status(
        self,
        ref: IngestDocumentInput,
        *,
        status: str,
        error: str | None,
        chunk_count: int | None = None,
        metadata: dict[str, object] | None = None,
    ) -> None:
        values: dict[str, object] = {"status": status, "error_message": error}
        if chunk_count is not None:
            values["chunk_count"] = chunk_count
        if metadata is not None:
            values["doc_metadata"] = metadata
        async with self._db.tenant_session(ref.tenant_id) as session:
            await session.execute(
                update(KnowledgeDocument)
                .where(
                    col(KnowledgeDocument.id) == uuid.UUID(ref.document_id),
                    col(KnowledgeDocument.content_hash) == ref.content_hash,
                    col(KnowledgeDocument.status) != "deleting",
                )
                .values(**values)
            )

    @activity.defn(name=PURGE_KNOWLEDGE_ACTIVITY)
    async def purge(self, data: PurgeKnowledgeInput) -> None:
        """Delete a document's vectors then its row, or all vectors of a deleted knowledge base."""
        with permanent_failures():
            if data.document_id is None:
                await self._index.delete_knowledge_base(
                    tenant_id=data.tenant_id,
                    model=data.embedding_model,
                    dimension=data.embedding_dimension,
                    knowledge_base_id=data.knowledge_base_id,
                )
                return
            await self._index.delete_document(
                tenant_id=data.tenant_id,
                model=data.embedding_model,
                dimension=data.embedding_dimension,
                document_id=data.document_id,
            )
        async with self._db.tenant_session(data.tenant_id) as session:
            await session.execute(
                delete(KnowledgeDocument).where(
                    col(KnowledgeDocument.id) == uuid.UUID(data.document_id),
                    col(KnowledgeDocument.status) == "deleting",
                )
            )
            await session.execute(
                update(KnowledgeBase)
                .where(col(KnowledgeBase.id) == uuid.UUID(data.knowledge_base_id))
                .values(
                    document_count=select(func.count())
                    .select_from(KnowledgeDocument)
                    .where(
                        col(KnowledgeDocument.knowledge_base_id)
                        == uuid.UUID(data.knowledge_base_id)
                    )
                    .scalar_subquery()
                )
            )
