"""The Qdrant layer: tenant scope on every call, one model per collection, filters, hybrid."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

import pytest
from qdrant_client import AsyncQdrantClient, models

from activities import keywords
from activities.chunking import Chunk
from activities.embeddings import (
    EmbedderRegistry,
    EmbeddingMismatch,
    HashingEmbedder,
    MiniLmEmbedder,
    embed_checked,
)
from activities.vector_index import InvalidSearch, KnowledgeIndex, VectorStoreMissing

EMBEDDER = HashingEmbedder("hashing-64", 64)
TEXTS = {
    "d1": ["Invoices are due within thirty days.", "Late invoices incur a fee of 2%."],
    "d2": ["The warehouse opens at six.", "Forklift XR-7 needs a licence."],
}


@pytest.fixture
async def index() -> AsyncIterator[KnowledgeIndex]:
    client = AsyncQdrantClient(location=":memory:")
    yield KnowledgeIndex(client)
    await client.close()


async def _ingest(index: KnowledgeIndex, tenant: str, kb: str, lang: str = "en") -> None:
    for document_id, texts in TEXTS.items():
        chunks = [Chunk(i, t, ("H",), None, 8, t) for i, t in enumerate(texts)]
        await index.upsert_chunks(
            tenant_id=tenant,
            knowledge_base_id=kb,
            document_id=f"{tenant}-{document_id}",
            content_hash="v1",
            model=EMBEDDER.model_name,
            dimension=EMBEDDER.dimension,
            chunks=chunks,
            vectors=await EMBEDDER.embed(texts),
            document={
                "title": document_id,
                "filename": f"{document_id}.txt",
                "meta": {"lang": lang},
            },
        )


async def _search(
    index: KnowledgeIndex,
    tenant: str,
    kbs: list[str],
    query: str,
    *,
    top_k: int = 10,
    score_threshold: float | None = None,
    filters: dict[str, Any] | None = None,
    hybrid: bool = False,
) -> list[models.ScoredPoint]:
    [vector] = await EMBEDDER.embed([query])
    return await index.search(
        tenant_id=tenant,
        knowledge_base_ids=kbs,
        model=EMBEDDER.model_name,
        dimension=EMBEDDER.dimension,
        vector=vector,
        query_text=query,
        top_k=top_k,
        score_threshold=score_threshold,
        filters=filters or {},
        hybrid=hybrid,
    )


async def test_every_read_and_delete_is_scoped_to_the_tenant(index: KnowledgeIndex) -> None:
    await _ingest(index, "tenant-a", "kb-a")
    await _ingest(index, "tenant-b", "kb-b")
    hits = await _search(index, "tenant-a", ["kb-a", "kb-b"], "invoices fee")
    assert hits and {(h.payload or {})["tenant_id"] for h in hits} == {"tenant-a"}
    # A knowledge base of another tenant is simply empty, whatever the filter says.
    assert await _search(index, "tenant-a", ["kb-b"], "invoices") == []
    assert await _search(index, "tenant-a", ["kb-a"], "x", filters={"tenant_id": "tenant-b"}) == []
    # Deleting B's document "as A" deletes nothing.
    await index.delete_document(
        tenant_id="tenant-a", model="hashing-64", dimension=64, document_id="tenant-b-d1"
    )
    assert await index.count(tenant_id="tenant-b", model="hashing-64", dimension=64) == 4
    await index.delete_knowledge_base(
        tenant_id="tenant-a", model="hashing-64", dimension=64, knowledge_base_id="kb-b"
    )
    assert await index.count(tenant_id="tenant-b", model="hashing-64", dimension=64) == 4


async def test_document_versions_are_deleted_selectively(index: KnowledgeIndex) -> None:
    await _ingest(index, "t", "kb")

    async def remaining(**scope: str) -> int:
        return await index.count(tenant_id="t", model="hashing-64", dimension=64, **scope)

    async def delete(**versions: str) -> None:
        await index.delete_document(
            tenant_id="t", model="hashing-64", dimension=64, document_id="t-d1", **versions
        )

    await delete(except_hash="v1")
    assert await remaining(document_id="t-d1") == 2
    await delete(only_hash="v0")
    assert await remaining(document_id="t-d1") == 2
    await delete(only_hash="v1")
    assert await remaining(document_id="t-d1") == 0
    assert await remaining(knowledge_base_id="kb") == 2


async def test_metadata_filters_threshold_and_hybrid(index: KnowledgeIndex) -> None:
    await _ingest(index, "t", "kb-en", lang="en")
    await _ingest(index, "t2", "kb-fr", lang="fr")
    assert await _search(index, "t", ["kb-en"], "warehouse", filters={"lang": "fr"}) == []
    both = await _search(index, "t", ["kb-en"], "warehouse", filters={"lang": ["en", "de"]})
    assert len(both) == 4
    assert await _search(index, "t", ["kb-en"], "warehouse", score_threshold=0.999) == []
    [top] = await _search(index, "t", ["kb-en"], "XR-7 licence", hybrid=True, top_k=1)
    assert "XR-7" in (top.payload or {})["text"]
    for bad in ({"bad key!": 1}, {"k": {"nested": 1}}, {"k": []}, {"k": ["a", 1]}):
        with pytest.raises(InvalidSearch):
            await _search(index, "t", ["kb-en"], "x", filters=bad)


async def test_a_collection_keeps_one_embedding_model(index: KnowledgeIndex) -> None:
    await index.ensure_collection("acme/embed", 64)
    # "acme-embed" names the same collection but is another model: refused, not mixed in.
    with pytest.raises(EmbeddingMismatch):
        await KnowledgeIndex(index.client).ensure_collection("acme-embed", 64)
    registry = EmbedderRegistry([EMBEDDER])
    with pytest.raises(EmbeddingMismatch):
        registry.get("hashing-64", 128)
    with pytest.raises(EmbeddingMismatch):
        registry.get("all-MiniLM-L6-v2", 768)
    assert isinstance(registry.get("all-MiniLM-L6-v2", 384), MiniLmEmbedder)
    with pytest.raises(EmbeddingMismatch):
        await embed_checked(_Liar(), ["x"])
    with pytest.raises(VectorStoreMissing):
        await KnowledgeIndex(None).ensure_collection("m", 4)


class _Liar:
    """Claims 8 dimensions, returns 4."""

    model_name = "liar"
    dimension = 8

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        return [[0.5] * 4]


def test_keyword_terms_cover_words_and_cjk_bigrams() -> None:
    assert keywords.terms("The XR-7 forklift, the LICENCE!") == ["xr", "7", "forklift", "licence"]
    assert keywords.terms("知识库检索") == ["知识", "识库", "库检", "检索"]
    vector = keywords.document_vector("fee fee fee invoice")
    assert len(vector.indices) == 2 and max(vector.values) < 2.2  # saturated frequency
    assert keywords.query_vector("the of").indices == []
