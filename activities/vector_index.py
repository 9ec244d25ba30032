"""The one place that talks to Qdrant: collections per embedding model, scoped by tenant.

Layout: one collection per ``(embedding model, dimension)``, with a dense vector
(cosine) and a sparse ``keywords`` vector (IDF applied by Qdrant) per chunk. Tenants
and knowledge bases share a collection and are told apart by payload; Qdrant's
multitenancy guide recommends exactly this, with ``tenant_id`` as a tenant index.

Tenant isolation is enforced here and only here: every read, count and delete goes
through ``_scoped``, which puts ``tenant_id == caller`` first in the filter, and
caller-supplied metadata filters are confined to the ``meta`` object of the payload,
so they can narrow a search but never widen it to another tenant.

Each collection records its model and dimension in its metadata; asking for it with
another model is refused (``EmbeddingMismatch``), so vectors of two models never mix.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import Any

from prometheus_client import Counter
from qdrant_client import AsyncQdrantClient, models

from activities import keywords
from activities.chunking import Chunk
from activities.embeddings import EmbeddingMismatch

DENSE = "dense"
SPARSE = "keywords"
COLLECTION_PREFIX = "agentpaas_kb"
POINT_NAMESPACE = uuid.UUID("5b0f8a52-0d1e-4c3e-9a57-6f1c2b7d9e40")
HYBRID_CANDIDATES = 4  # each half of a hybrid search proposes top_k × this many
_FILTER_KEY = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$")

VECTORS_WRITTEN = Counter(
    "agentpaas_knowledge_vectors_written_total",
    "Chunk vectors upserted into Qdrant.",
    ["model"],
)


class VectorStoreMissing(RuntimeError):
    """This process was started without a Qdrant client."""


class InvalidSearch(ValueError):
    """A search request that cannot be run as given (bad filter)."""


def point_id(document_id: str, content_hash: str, chunk_index: int) -> str:
    """Deterministic: a retried batch overwrites its own points instead of adding more."""
    return str(uuid.uuid5(POINT_NAMESPACE, f"{document_id}:{content_hash}:{chunk_index}"))


def collection_name(model: str, dimension: int) -> str:
    """The collection holding every chunk embedded with ``model``."""
    slug = re.sub(r"[^a-z0-9]+", "-", model.lower()).strip("-")
    return f"{COLLECTION_PREFIX}_{slug}_{dimension}"


def _scoped(tenant_id: str, *conditions: models.Condition) -> models.Filter:
    """A filter that can only ever match the caller's tenant."""
    tenant = models.FieldCondition(key="tenant_id", match=models.MatchValue(value=tenant_id))
    return models.Filter(must=[tenant, *conditions])


def _match(key: str, value: str) -> models.FieldCondition:
    return models.FieldCondition(key=key, match=models.MatchValue(value=value))


def metadata_conditions(filters: dict[str, Any]) -> list[models.Condition]:
    """``{"lang": "en", "year": [2023, 2024]}`` → conditions on ``meta.lang``, ``meta.year``."""
    conditions: list[models.Condition] = []
    for key, value in filters.items():
        if not _FILTER_KEY.match(key):
            raise InvalidSearch(f"filter key {key!r} is not a metadata field name")
        field = f"meta.{key}"
        match: models.Match
        if isinstance(value, list):
            strings = all(isinstance(v, str) for v in value)
            integers = all(isinstance(v, int) and not isinstance(v, bool) for v in value)
            if not value or not (strings or integers):
                raise InvalidSearch(f"filter {key!r}: a list must hold only strings or integers")
            match = models.MatchAny(any=value)
        elif isinstance(value, str | int | bool):
            match = models.MatchValue(value=value)
        else:
            raise InvalidSearch(f"filter {key!r}: expected a string, number, boolean or list")
        conditions.append(models.FieldCondition(key=field, match=match))
    return conditions


class KnowledgeIndex:
    """Chunks of every knowledge base, in Qdrant."""

    def __init__(self, client: AsyncQdrantClient | None) -> None:
        self._client = client
        self._ready: set[str] = set()

    @property
    def client(self) -> AsyncQdrantClient:
        """The Qdrant client (a worker without one cannot run knowledge activities)."""
        if self._client is None:
            raise VectorStoreMissing("this worker has no vector store (Qdrant) configured")
        return self._client

    async def ensure_collection(self, model: str, dimension: int) -> str:
        """The model's collection, created on first use; a different recorded model is refused."""
        name = collection_name(model, dimension)
        if name in self._ready:
            return name
        client = self.client
        if not await client.collection_exists(name):
            try:
                await client.create_collection(
                    name,
                    vectors_config={
                        DENSE: models.VectorParams(size=dimension, distance=models.Distance.COSINE)
                    },
                    sparse_vectors_config={
                        SPARSE: models.SparseVectorParams(modifier=models.Modifier.IDF)
                    },
                    metadata={"embedding_model": model, "dimension": dimension},
                )
                await self._index_payload(name)
            except Exception:
                if not await client.collection_exists(name):
                    raise  # not a lost race with another worker: a real failure
        await self._check_model(name, model, dimension)
        self._ready.add(name)
        return name

    async def _check_model(self, name: str, model: str, dimension: int) -> None:
        info = await self.client.get_collection(name)
        recorded = info.config.metadata or {}
        vectors = info.config.params.vectors
        size = vectors[DENSE].size if isinstance(vectors, dict) and DENSE in vectors else None
        if recorded.get("embedding_model") != model or size != dimension:
            raise EmbeddingMismatch(
                f"collection {name} holds {recorded.get('embedding_model')!r} vectors of "
                f"dimension {size}; refusing to mix in {model!r} ({dimension})"
            )

    async def _index_payload(self, name: str) -> None:
        if self.client.init_options.get("path") or self.client.init_options.get("location"):
            return  # local mode has no payload indexes (it scans)
        schema = models.KeywordIndexParams(type=models.KeywordIndexType.KEYWORD, is_tenant=True)
        await self.client.create_payload_index(name, "tenant_id", field_schema=schema)
        for key in ("knowledge_base_id", "document_id"):
            await self.client.create_payload_index(
                name, key, field_schema=models.PayloadSchemaType.KEYWORD
            )

    async def upsert_chunks(
        self,
        *,
        tenant_id: str,
        knowledge_base_id: str,
        document_id: str,
        content_hash: str,
        model: str,
        dimension: int,
        chunks: Sequence[Chunk],
        vectors: Sequence[Sequence[float]],
        document: dict[str, Any],
    ) -> int:
        """Write one batch of a document version's chunks; returns the number written."""
        name = await self.ensure_collection(model, dimension)
        points = [
            models.PointStruct(
                id=point_id(document_id, content_hash, chunk.index),
                vector={DENSE: list(vector), SPARSE: keywords.document_vector(chunk.embed_text)},
                payload={
                    "tenant_id": tenant_id,
                    "knowledge_base_id": knowledge_base_id,
                    "document_id": document_id,
                    "content_hash": content_hash,
                    "chunk_index": chunk.index,
                    "text": chunk.text,
                    "headings": list(chunk.headings),
                    "page": chunk.page,
                    "title": document.get("title"),
                    "filename": document.get("filename"),
                    "meta": document.get("meta") or {},
                },
            )
            for chunk, vector in zip(chunks, vectors, strict=True)
        ]
        if points:
            await self.client.upsert(name, points=points, wait=True)
            VECTORS_WRITTEN.labels(model=model).inc(len(points))
        return len(points)

    async def search(
        self,
        *,
        tenant_id: str,
        knowledge_base_ids: Sequence[str],
        model: str,
        dimension: int,
        vector: Sequence[float],
        query_text: str,
        top_k: int,
        score_threshold: float | None,
        filters: dict[str, Any],
        hybrid: bool,
    ) -> list[models.ScoredPoint]:
        """The best chunks of the given knowledge bases of the caller's tenant."""
        name = await self.ensure_collection(model, dimension)
        scope = _scoped(
            tenant_id,
            models.FieldCondition(
                key="knowledge_base_id", match=models.MatchAny(any=list(knowledge_base_ids))
            ),
            *metadata_conditions(filters),
        )
        if not hybrid:
            response = await self.client.query_points(
                name,
                query=list(vector),
                using=DENSE,
                query_filter=scope,
                limit=top_k,
                score_threshold=score_threshold,
                with_payload=True,
            )
            return list(response.points)
        sparse = keywords.query_vector(query_text)
        candidates = top_k * HYBRID_CANDIDATES
        prefetch = [
            models.Prefetch(
                query=list(vector),
                using=DENSE,
                filter=scope,
                limit=candidates,
                score_threshold=score_threshold,
            )
        ]
        if sparse.indices:
            prefetch.append(
                models.Prefetch(query=sparse, using=SPARSE, filter=scope, limit=candidates)
            )
        response = await self.client.query_points(
            name,
            prefetch=prefetch,
            query=models.FusionQuery(fusion=models.Fusion.RRF),
            query_filter=scope,
            limit=top_k,
            with_payload=True,
        )
        return list(response.points)

    async def delete_document(
        self,
        *,
        tenant_id: str,
        model: str,
        dimension: int,
        document_id: str,
        only_hash: str | None = None,
        except_hash: str | None = None,
    ) -> None:
        """Delete a document's chunks: all, one version's, or all but one version's."""
        name = await self.ensure_collection(model, dimension)
        conditions: list[models.Condition] = [_match("document_id", document_id)]
        if only_hash is not None:
            conditions.append(_match("content_hash", only_hash))
        scope = _scoped(tenant_id, *conditions)
        if except_hash is not None:
            scope.must_not = [_match("content_hash", except_hash)]
        await self.client.delete(name, points_selector=models.FilterSelector(filter=scope))

    async def delete_knowledge_base(
        self, *, tenant_id: str, model: str, dimension: int, knowledge_base_id: str
    ) -> None:
        """Delete every chunk of a knowledge base."""
        name = await self.ensure_collection(model, dimension)
        scope = _scoped(tenant_id, _match("knowledge_base_id", knowledge_base_id))
        await self.client.delete(name, points_selector=models.FilterSelector(filter=scope))

    async def count(
        self,
        *,
        tenant_id: str,
        model: str,
        dimension: int,
        knowledge_base_id: str | None = None,
        document_id: str | None = None,
    ) -> int:
        """Chunks of the tenant (in one knowledge base or document)."""
        name = await self.ensure_collection(model, dimension)
        wanted = {"knowledge_base_id": knowledge_base_id, "document_id": document_id}
        conditions = [_match(key, value) for key, value in wanted.items() if value is not None]
        result = await self.client.count(name, count_filter=_scoped(tenant_id, *conditions))
        return int(result.count)
