"""Retrieval: embed the query with the knowledge bases' model and search their chunks.

Used by the ``rag`` node and by the API's search endpoint (through the ``KnowledgeSearch``
workflow), so a developer debugging a knowledge base sees exactly what a node would get.
Knowledge bases are resolved through the caller's tenant (row-level security), and the
index scopes every search to that tenant as well.
"""

from __future__ import annotations

import uuid
from typing import Any

from qdrant_client import models
from sqlalchemy import select
from sqlmodel import col
from temporalio import activity

from activities.embeddings import EmbedderRegistry, EmbeddingMismatch, embed_checked
from activities.knowledge_errors import KnowledgeBaseNotFound, permanent_failures
from activities.vector_index import KnowledgeIndex
from platform_core.db import Database
from platform_core.models import KnowledgeBase
from temporal_workflows.contracts import (
    SEARCH_KNOWLEDGE_ACTIVITY,
    KnowledgeSearchInput,
    KnowledgeSearchResult,
)


class KnowledgeRetriever:
    """Searches a tenant's knowledge bases."""

    def __init__(self, database: Database, index: KnowledgeIndex, embedders: EmbedderRegistry):
        self._db = database
        self._index = index
        self._embedders = embedders

    async def _bases(self, tenant_id: str, ids: list[str]) -> list[KnowledgeBase]:
        wanted: list[uuid.UUID] = []
        for raw in ids:
            try:
                wanted.append(uuid.UUID(str(raw)))
            except ValueError as exc:
                raise KnowledgeBaseNotFound(f"{raw!r} is not a knowledge base id") from exc
        statement = select(KnowledgeBase).order_by(col(KnowledgeBase.created_at))
        if wanted:
            statement = statement.where(col(KnowledgeBase.id).in_(wanted))
        async with self._db.tenant_session(tenant_id) as session:
            bases = list((await session.execute(statement)).scalars())
        missing = set(wanted) - {b.id for b in bases}
        if missing:
            raise KnowledgeBaseNotFound(
                "unknown knowledge base(s): " + ", ".join(sorted(str(m) for m in missing))
            )
        return bases

    async def search(self, request: KnowledgeSearchInput) -> list[dict[str, Any]]:
        """Passages, best first; none without knowledge bases or without a query."""
        bases = await self._bases(request.tenant_id, request.knowledge_base_ids)
        if not bases or not request.query.strip():
            return []
        models_used = {(b.embedding_model, b.embedding_dimension) for b in bases}
        if len(models_used) > 1:
            names = ", ".join(sorted(f"{m} ({d})" for m, d in models_used))
            raise EmbeddingMismatch(
                f"these knowledge bases use different embedding models ({names}); "
                "their scores are not comparable: search them in separate nodes"
            )
        model, dimension = models_used.pop()
        embedder = self._embedders.get(model, dimension)
        [vector] = await embed_checked(embedder, [request.query])
        hits = await self._index.search(
            tenant_id=request.tenant_id,
            knowledge_base_ids=[str(b.id) for b in bases],
            model=model,
            dimension=dimension,
            vector=vector,
            query_text=request.query,
            top_k=request.top_k,
            score_threshold=request.score_threshold,
            filters=request.filters,
            hybrid=request.hybrid,
        )
        return [passage(hit) for hit in hits]


def passage(hit: models.ScoredPoint) -> dict[str, Any]:
    """A search hit as the ``rag`` node's passage, with what a citation needs."""
    payload = hit.payload or {}
    headings = list(payload.get("headings") or [])
    return {
        "text": payload.get("text", ""),
        "source": payload.get("filename"),
        "title": payload.get("title"),
        "score": float(hit.score),
        "metadata": {
            **{k: v for k, v in (payload.get("meta") or {}).items() if k != "filename"},
            # The citation: which document and chunk this is (never overridden by metadata).
            "document_id": payload.get("document_id"),
            "knowledge_base_id": payload.get("knowledge_base_id"),
            "chunk_index": payload.get("chunk_index"),
            "section": " > ".join(headings) or None,
            "page": payload.get("page"),
        },
    }


class KnowledgeSearchActivities:
    """The search activity behind the API's debugging endpoint."""

    def __init__(self, retriever: KnowledgeRetriever) -> None:
        self._retriever = retriever

    @activity.defn(name=SEARCH_KNOWLEDGE_ACTIVITY)
    async def search(self, request: KnowledgeSearchInput) -> KnowledgeSearchResult:
        """Run one retrieval."""
        with permanent_failures():
            return KnowledgeSearchResult(passages=await self._retriever.search(request))
