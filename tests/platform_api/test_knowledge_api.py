"""Knowledge API: bases, uploads through the ingestion workflow, status, deletion, search."""

from __future__ import annotations

import uuid
from typing import Any

from qdrant_client import AsyncQdrantClient
from temporalio.testing import ActivityEnvironment

from activities.embeddings import EmbedderRegistry
from activities.knowledge_ingestion import KnowledgeIngestionActivities
from activities.vector_index import KnowledgeIndex
from temporal_workflows.contracts import FinishDocumentInput, IndexBatchInput, IngestDocumentInput
from tests.conftest import HASHING_MODEL
from tests.helpers import Platform, login, parse_sse
from tests.knowledge_corpus import simple_pdf
from tests.knowledge_helpers import (
    auth,
    create_kb,
    documents,
    new_tenant,
    search,
    upload,
    wait_settled,
)

GUIDE = b"""# Lighthouse keeping

## Lamps

The keeper trimmed the wick every night and polished the Fresnel lens at dawn.

## Fog signals

When fog rolled in, a steam siren sounded two blasts every minute.
"""


async def _chunk_count(qdrant: AsyncQdrantClient, tenant: uuid.UUID, **scope: str) -> int:
    return await KnowledgeIndex(qdrant).count(
        tenant_id=str(tenant), model="all-MiniLM-L6-v2", dimension=384, **scope
    )


async def test_knowledge_base_crud_and_settings_validation(
    platform: Platform, admin_token: str
) -> None:
    client, headers = platform.client, auth(admin_token)
    kb = await create_kb(client, admin_token, description="manuals")
    assert (kb["embedding_model"], kb["embedding_dimension"]) == ("all-MiniLM-L6-v2", 384)
    assert (kb["chunk_size"], kb["chunk_overlap"], kb["document_count"]) == (256, 32, 0)

    again = await client.post("/api/v1/knowledge-bases", json={"name": kb["name"]}, headers=headers)
    assert again.status_code == 409, again.text
    too_long = await client.post(
        "/api/v1/knowledge-bases", json={"name": "x", "chunk_size": 512}, headers=headers
    )
    assert too_long.status_code == 422
    assert [e["path"] for e in too_long.json()["errors"]] == ["/body/chunk_size"]
    no_dimension = await client.post(
        "/api/v1/knowledge-bases",
        json={"name": "y", "embedding_model": "openai/text-embedding-3-small"},
        headers=headers,
    )
    assert no_dimension.status_code == 422
    assert no_dimension.json()["errors"][0]["path"] == "/body/embedding_dimension"

    viewer = await login(client, "user@demo.agentpaas.dev")
    forbidden = await client.post(
        "/api/v1/knowledge-bases", json={"name": "z"}, headers=auth(viewer)
    )
    assert forbidden.status_code == 403
    listed = await client.get("/api/v1/knowledge-bases", headers=auth(viewer))
    assert kb["id"] in {item["id"] for item in listed.json()["items"]}

    renamed = await client.patch(
        f"/api/v1/knowledge-bases/{kb['id']}", json={"name": kb["name"] + "-2"}, headers=headers
    )
    assert renamed.status_code == 200 and renamed.json()["name"] == kb["name"] + "-2"
    deleted = await client.delete(f"/api/v1/knowledge-bases/{kb['id']}", headers=headers)
    assert deleted.status_code == 204
    gone = await client.get(f"/api/v1/knowledge-bases/{kb['id']}", headers=headers)
    assert gone.status_code == 404
    assert gone.headers["content-type"] == "application/problem+json"


async def test_upload_is_ingested_with_progress_and_searchable_with_citations(
    platform: Platform, database_urls: Any, qdrant: AsyncQdrantClient
) -> None:
    client = platform.client
    tenant, token = await new_tenant(database_urls.admin_url, client)
    kb = await create_kb(client, token, chunk_size=64, chunk_overlap=8)
    response = await upload(client, token, kb["id"], "lighthouse.md", GUIDE, {"lang": "en"})
    assert response.status_code == 202, response.text
    assert response.json()["action"] == "created"
    document = response.json()["document"]
    assert document["status"] == "pending" and document["metadata"] == {"lang": "en"}

    [ready] = await wait_settled(client, token, kb["id"])
    assert ready["status"] == "ready", ready
    assert ready["chunk_count"] == 2  # one per section
    assert ready["metadata"] == {"lang": "en", "title": "Lighthouse keeping"}
    assert await _chunk_count(qdrant, tenant, document_id=ready["id"]) == 2

    events = await client.get(
        f"/api/v1/knowledge-bases/{kb['id']}/documents/{ready['id']}/events",
        headers=auth(token),
    )
    kinds = [frame["event"] for frame in parse_sse(events.text)]
    assert kinds == ["ingestion_started", "document_parsed", "batch_indexed", "done"]

    [best, *_] = await search(client, token, kb["id"], "What warned ships when it was misty?")
    assert "steam siren" in best["text"]
    assert best["source"] == "lighthouse.md" and best["title"] == "Lighthouse keeping"
    meta = best["metadata"]
    assert meta["document_id"] == ready["id"] and meta["chunk_index"] == 1
    assert meta["section"] == "Lighthouse keeping > Fog signals" and meta["lang"] == "en"

    assert await search(client, token, kb["id"], "fog", filters={"lang": "fr"}) == []
    assert len(await search(client, token, kb["id"], "fog", filters={"lang": ["en", "fr"]})) == 2
    hybrid = await search(client, token, kb["id"], "steam siren", hybrid=True, top_k=1)
    assert "steam siren" in hybrid[0]["text"]
    assert await search(client, token, kb["id"], "fog", score_threshold=0.99) == []


async def test_bad_uploads_are_refused_or_marked_failed(
    platform: Platform, database_urls: Any
) -> None:
    client = platform.client
    _, token = await new_tenant(database_urls.admin_url, client)
    kb = await create_kb(client, token)
    for filename, content, path in (
        ("notes.docx", b"PK...", "/body/file"),
        ("empty.txt", b"", "/body/file"),
        ("fake.pdf", b"hello", "/body/file"),
    ):
        response = await upload(client, token, kb["id"], filename, content)
        assert response.status_code == 422, (filename, response.text)
        assert response.json()["errors"][0]["path"] == path
    bad_metadata = await upload(client, token, kb["id"], "a.txt", b"x", {"k": {"nested": 1}})
    assert bad_metadata.status_code == 422
    assert bad_metadata.json()["errors"][0]["path"] == "/body/metadata"

    broken = b"%PDF-1.4\nthis is not really a pdf"
    first = await upload(client, token, kb["id"], "broken.pdf", broken)
    assert first.status_code == 202, first.text
    [failed] = await wait_settled(client, token, kb["id"])
    assert failed["status"] == "failed" and failed["error_message"]
    retried = await upload(client, token, kb["id"], "broken.pdf", broken)
    assert retried.status_code == 202 and retried.json()["action"] == "retried"
    [failed_again] = await wait_settled(client, token, kb["id"])
    assert failed_again["status"] == "failed"


async def test_pdf_and_html_uploads_are_parsed(platform: Platform, database_urls: Any) -> None:
    client = platform.client
    _, token = await new_tenant(database_urls.admin_url, client)
    kb = await create_kb(client, token)
    pdf = simple_pdf(["Glacier report", "The Aletsch glacier lost forty metres in 2022."])
    html = b"<html><body><h1>Bakery</h1><p>Croissants need cold butter.</p></body></html>"
    for name, content in (("glacier.pdf", pdf), ("bakery.html", html)):
        assert (await upload(client, token, kb["id"], name, content)).status_code == 202
    docs = await wait_settled(client, token, kb["id"])
    assert {d["filename"]: d["status"] for d in docs} == {
        "glacier.pdf": "ready",
        "bakery.html": "ready",
    }
    [hit, *_] = await search(client, token, kb["id"], "How much ice melted in the Alps?")
    assert hit["source"] == "glacier.pdf" and hit["metadata"]["page"] == 1
    [hit, *_] = await search(client, token, kb["id"], "pastry dough with fat")
    assert hit["source"] == "bakery.html" and hit["metadata"]["section"] == "Bakery"


async def test_deleting_a_document_deletes_its_vectors(
    platform: Platform, database_urls: Any, qdrant: AsyncQdrantClient
) -> None:
    client = platform.client
    tenant, token = await new_tenant(database_urls.admin_url, client)
    kb = await create_kb(client, token, chunk_size=64, chunk_overlap=8)
    await upload(client, token, kb["id"], "guide.md", GUIDE)
    await upload(client, token, kb["id"], "other.txt", b"Owls hunt at night with silent wings.")
    docs = {d["filename"]: d for d in await wait_settled(client, token, kb["id"])}
    assert await _chunk_count(qdrant, tenant, knowledge_base_id=kb["id"]) == 3

    response = await client.delete(
        f"/api/v1/knowledge-bases/{kb['id']}/documents/{docs['guide.md']['id']}",
        headers=auth(token),
    )
    assert response.status_code == 202 and response.json()["status"] == "deleting"
    remaining = await wait_settled(client, token, kb["id"])
    assert [d["filename"] for d in remaining] == ["other.txt"]
    assert await _chunk_count(qdrant, tenant, document_id=docs["guide.md"]["id"]) == 0
    assert await _chunk_count(qdrant, tenant, knowledge_base_id=kb["id"]) == 1
    base = await client.get(f"/api/v1/knowledge-bases/{kb['id']}", headers=auth(token))
    assert base.json()["document_count"] == 1
    hits = await search(client, token, kb["id"], "lighthouse lamp")
    assert {h["source"] for h in hits} == {"other.txt"}


async def test_a_tenant_never_retrieves_another_tenants_chunks(
    platform: Platform, database_urls: Any, qdrant: AsyncQdrantClient
) -> None:
    client = platform.client
    tenant_a, token_a = await new_tenant(database_urls.admin_url, client)
    tenant_b, token_b = await new_tenant(database_urls.admin_url, client)
    kb_a = await create_kb(client, token_a, name="shared-name")
    kb_b = await create_kb(client, token_b, name="shared-name")
    await upload(client, token_a, kb_a["id"], "a.txt", b"Tenant A keeps its secret recipe.")
    await upload(client, token_b, kb_b["id"], "b.txt", b"Tenant B keeps its secret recipe.")
    await wait_settled(client, token_a, kb_a["id"])
    await wait_settled(client, token_b, kb_b["id"])

    hits = await search(client, token_a, kb_a["id"], "secret recipe", top_k=50)
    assert [h["source"] for h in hits] == ["a.txt"]
    # B's knowledge base does not exist for A: neither through the API...
    foreign = await client.post(
        f"/api/v1/knowledge-bases/{kb_b['id']}/search",
        json={"query": "secret recipe"},
        headers=auth(token_a),
    )
    assert foreign.status_code == 404
    # ...nor in the index, even when asked for B's knowledge base by id.
    index = KnowledgeIndex(qdrant)
    vector = [0.1] * 384
    leaked = await index.search(
        tenant_id=str(tenant_a),
        knowledge_base_ids=[kb_a["id"], kb_b["id"]],
        model="all-MiniLM-L6-v2",
        dimension=384,
        vector=vector,
        query_text="secret recipe",
        top_k=50,
        score_threshold=None,
        filters={"tenant_id": str(tenant_b)},  # confined to metadata: cannot widen the scope
        hybrid=True,
    )
    assert leaked == []
    everything = await index.search(
        tenant_id=str(tenant_b),
        knowledge_base_ids=[kb_a["id"], kb_b["id"]],
        model="all-MiniLM-L6-v2",
        dimension=384,
        vector=vector,
        query_text="secret recipe",
        top_k=50,
        score_threshold=None,
        filters={},
        hybrid=False,
    )
    assert {(p.payload or {})["tenant_id"] for p in everything} == {str(tenant_b)}


async def test_embedding_models_are_never_mixed(platform: Platform, database_urls: Any) -> None:
    client = platform.client
    _, token = await new_tenant(database_urls.admin_url, client)
    # The worker's hashing model makes 512-dimensional vectors, not 256: refused at ingestion.
    wrong = await create_kb(
        client, token, embedding_model=HASHING_MODEL, embedding_dimension=256, chunk_size=128
    )
    await upload(client, token, wrong["id"], "a.txt", b"Some text about rivers.")
    [failed] = await wait_settled(client, token, wrong["id"])
    assert failed["status"] == "failed" and "512" in failed["error_message"]

    hashing = await create_kb(
        client, token, embedding_model=HASHING_MODEL, embedding_dimension=512, chunk_size=128
    )
    minilm = await create_kb(client, token)
    for kb in (hashing, minilm):
        await upload(client, token, kb["id"], "r.txt", b"Rivers carve valleys over time.")
        [ready] = await wait_settled(client, token, kb["id"])
        assert ready["status"] == "ready", ready
        assert (await search(client, token, kb["id"], "rivers valleys"))[0]["source"] == "r.txt"


async def test_a_superseded_version_is_never_left_in_the_index(
    platform: Platform, database_urls: Any, qdrant: AsyncQdrantClient
) -> None:
    client = platform.client
    tenant, token = await new_tenant(database_urls.admin_url, client)
    kb = await create_kb(client, token, chunk_size=64, chunk_overlap=8)
    first = (await upload(client, token, kb["id"], "g.md", GUIDE)).json()["document"]
    await wait_settled(client, token, kb["id"])
    second = await upload(client, token, kb["id"], "g.md", GUIDE + b"\nMore keeping.\n")
    assert second.json()["action"] == "replaced"
    await wait_settled(client, token, kb["id"])

    index = KnowledgeIndex(qdrant)
    activities = KnowledgeIngestionActivities(platform.db, index, EmbedderRegistry())
    env = ActivityEnvironment()

    def version(content_hash: str) -> IngestDocumentInput:
        return IngestDocumentInput(str(tenant), kb["id"], first["id"], content_hash)

    old, new = version(first["content_hash"]), version(second.json()["document"]["content_hash"])
    # A late activity of the replaced version's workflow neither plans, writes nor finishes.
    assert (await env.run(activities.prepare_document, old)).superseded
    assert (await env.run(activities.index_batch, IndexBatchInput(old, 0))).superseded
    await env.run(activities.finish_document, FinishDocumentInput(old, "ready", 1))
    [doc] = await documents(client, token, kb["id"])
    assert doc["status"] == "ready" and doc["content_hash"] == new.content_hash
    indexed = await _chunk_count(qdrant, tenant, document_id=first["id"])
    assert indexed == doc["chunk_count"] > 0

    # A batch that finds its version replaced only after writing takes its points back.
    real_current = activities._current
    calls = 0

    async def replaced_meanwhile(ref: IngestDocumentInput) -> Any:
        nonlocal calls
        calls += 1
        return await real_current(ref) if calls == 1 else None

    activities._current = replaced_meanwhile  # type: ignore[method-assign]
    result = await env.run(activities.index_batch, IndexBatchInput(new, 0))
    assert result.superseded and calls == 2
    assert await _chunk_count(qdrant, tenant, document_id=first["id"]) == 0
