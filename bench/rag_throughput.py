"""RAG ingestion throughput and query latency, against direct use of the same parts (issue 7).

    .venv/bin/python bench/rag_throughput.py [--docs 60] [--words 900] [--queries 60]
        [--top-k 5] [--json out.json]

Ingestion: ``--docs`` synthetic Markdown documents are stored as the API stores uploads and
ingested by the real ``KnowledgeIngestDocument`` workflows on a worker built by the real
``build_worker`` (embedded PostgreSQL, Temporal dev server, Qdrant local mode, MiniLM on
the CPU). The figure is chunks indexed per second, first start to last ``ready``. The
floor beside it does the same work with nothing around it: parse and chunk, one
``SentenceTransformer.encode`` per 64 chunks, one ``upsert`` per batch, in a loop.

Queries, interleaved round-robin, each ``--queries`` times:
  platform retrieval   KnowledgeRetriever.search: the knowledge bases read under RLS, the
                       query embedded, a tenant-scoped search, passages built (rag node path)
  direct               the same embedder + AsyncQdrantClient.query_points, no filter
  index only           KnowledgeIndex.search with a precomputed vector
  direct index only    query_points with the same precomputed vector, no filter
  direct, same filter  query_points with that vector and the tenant + knowledge base filter
  API search workflow  the debugging endpoint's path: KnowledgeSearch workflow + activity
The ratios compare medians. A benchmark, not a test: it asserts nothing about timings.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from environment import start_platform_database, start_temporal, work_directory
from qdrant_client import AsyncQdrantClient, models
from sqlmodel import select

from activities.chunking import WordPieceTokenizer, chunk_document
from activities.document_parsing import parse_document
from activities.embeddings import EmbedderRegistry, MiniLmEmbedder
from activities.knowledge_search import KnowledgeRetriever
from activities.vector_index import DENSE, KnowledgeIndex, collection_name
from agentpaas.runtime.vectors import open_qdrant
from agentpaas.worker import build_worker
from platform_api.api.deps import Principal
from platform_api.knowledge import jobs, service
from platform_api.knowledge.schemas import KnowledgeBaseCreate
from platform_core.models import User
from platform_core.settings import Settings
from temporal_workflows import contracts as c

MODEL, DIMENSION = c.DEFAULT_EMBEDDING_MODEL, c.DEFAULT_EMBEDDING_DIMENSION
TOPICS = (
    "harbour", "glacier", "orchard", "railway", "library", "volcano", "bakery", "observatory",
    "vineyard", "lighthouse", "monastery", "foundry", "apiary", "brewery", "tannery", "mill",
)  # fmt: skip
WORDS = (
    "the of and to in is was for on that with as by at from this are be it an which or "
    "season river stone market winter engine harvest ledger copper timber canal bridge "
    "keeper record repair water north south light signal trade wheat bread iron clay "
    "survey measure village council archive summer storm tide cargo wagon furnace grain "
    "pressure valve chimney lantern meadow quarry barrel rope sail anchor chapel tower"
).split()


def synthetic_document(index: int, words: int, rng: random.Random) -> tuple[str, bytes]:
    """A Markdown document of about ``words`` words in sections of six sentences."""
    topic = TOPICS[index % len(TOPICS)]
    lines = [f"# The {topic} of district {index}", ""]
    written = 0
    section = 0
    while written < words:
        section += 1
        lines += [f"## Part {section}", ""]
        for _ in range(6):
            sentence = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
            sentence.insert(rng.randrange(len(sentence)), topic)
            lines.append(" ".join(sentence).capitalize() + ".")
            written += len(sentence)
        lines.append("")
    return f"{topic}-{index}.md", "\n".join(lines).encode()


def summary(values: list[float]) -> dict[str, float]:
    """Median, p90, min, max in milliseconds."""
    ordered = sorted(values)
    return {
        "median": statistics.median(ordered),
        "p90": ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))],
        "min": ordered[0],
        "max": ordered[-1],
    }


async def ingest_platform(
    files: list[tuple[str, bytes]], settings: Settings, db: Any, client: Any
) -> tuple[str, int, float]:
    """Upload as the API does, ingest with the real workflows; returns (kb id, chunks, seconds)."""
    async with db.app.tenant_session(db.tenant_id) as session:
        admin = (await session.exec(select(User).where(User.role == "admin"))).one()
        principal = Principal(admin.id, db.tenant_id, "admin", admin.email)
        base = await service.create(
            session=session,
            principal=principal,
            data=KnowledgeBaseCreate(name=f"bench-{uuid.uuid4().hex[:6]}"),
        )
        rows = []
        for filename, content in files:
            row, _ = await service.store_upload(
                session=session,
                principal=principal,
                base=base,
                filename=filename,
                content_type="text/markdown",
                content=content,
                metadata={},
            )
            rows.append(row)
    started = time.perf_counter()
    for row in rows:
        await jobs.start_ingestion(client=client, database=db.app, settings=settings, row=row)
    results = await asyncio.gather(
        *(
            client.get_workflow_handle(
                c.document_workflow_id(str(row.id)), result_type=c.IngestDocumentResult
            ).result()
            for row in rows
        )
    )
    elapsed = time.perf_counter() - started
    if any(r.status != "ready" for r in results):
        raise RuntimeError(f"ingestion failed: {[r for r in results if r.status != 'ready'][:3]}")
    return str(base.id), sum(r.chunk_count for r in results), elapsed


async def ingest_direct(
    files: list[tuple[str, bytes]], embedder: MiniLmEmbedder, qdrant: AsyncQdrantClient
) -> tuple[int, float]:
    """The floor: the same parse, chunk, encode and upsert, with nothing around them."""
    index = KnowledgeIndex(qdrant)
    tokenizer = WordPieceTokenizer()
    await index.ensure_collection("direct-" + MODEL, DIMENSION)
    started = time.perf_counter()
    total = 0
    for n, (_, content) in enumerate(files):
        chunks = chunk_document(
            parse_document(content, "text/markdown"), tokenizer, chunk_size=256, overlap=32
        )
        for start in range(0, len(chunks), c.INGEST_BATCH_SIZE):
            batch = chunks[start : start + c.INGEST_BATCH_SIZE]
            vectors = await embedder.embed([ch.embed_text for ch in batch])
            total += await index.upsert_chunks(
                tenant_id="direct",
                knowledge_base_id="direct",
                document_id=str(n),
                content_hash="h",
                model="direct-" + MODEL,
                dimension=DIMENSION,
                chunks=batch,
                vectors=vectors,
                document={},
            )
    return total, time.perf_counter() - started


async def measure_queries(
    variants: dict[str, Callable[[str], Awaitable[Any]]], queries: list[str]
) -> dict[str, list[float]]:
    """Each variant once per query, the order rotated each round; milliseconds."""
    timings: dict[str, list[float]] = {name: [] for name in variants}
    names = list(variants)
    for _ in range(2):  # warm-up round, unmeasured
        for name in names:
            await variants[name](queries[0])
    for i, query in enumerate(queries):
        order = names[i % len(names) :] + names[: i % len(names)]
        for name in order:
            started = time.perf_counter()
            await variants[name](query)
            timings[name].append((time.perf_counter() - started) * 1000)
    return timings


async def main(args: argparse.Namespace) -> dict[str, Any]:
    """Set everything up, measure, return the numbers."""
    workdir = work_directory()
    db = await start_platform_database(workdir)
    env = await start_temporal()
    qdrant = open_qdrant(url=None, data_dir=workdir)
    task_queue = f"bench-rag-{uuid.uuid4().hex[:6]}"
    settings = Settings(data_dir=workdir, temporal_task_queue=task_queue, app_db_password="x" * 8)
    embedder = MiniLmEmbedder()
    embedders = EmbedderRegistry([embedder])
    rng = random.Random(7)
    files = [synthetic_document(i, args.words, rng) for i in range(args.docs)]
    await embedder.embed(["warm up: load the model before anything is timed"])
    worker = build_worker(env.client, db.app, task_queue, qdrant=qdrant, embedders=embedders)
    try:
        async with worker:
            kb_id, chunks, seconds = await ingest_platform(files, settings, db, env.client)
            direct_chunks, direct_seconds = await ingest_direct(files, embedder, qdrant)
            index = KnowledgeIndex(qdrant)
            retriever = KnowledgeRetriever(db.app, index, embedders)
            name = collection_name(MODEL, DIMENSION)
            tenant = str(db.tenant_id)
            vector = (await embedder.embed(["harbour winter cargo"]))[0]

            def request(query: str) -> c.KnowledgeSearchInput:
                return c.KnowledgeSearchInput(
                    tenant_id=tenant, query=query, knowledge_base_ids=[kb_id], top_k=args.top_k
                )

            async def direct(query: str) -> Any:
                [v] = await embedder.embed([query])
                return await qdrant.query_points(name, query=v, using=DENSE, limit=args.top_k)

            async def index_only(query: str) -> Any:
                return await index.search(
                    tenant_id=tenant,
                    knowledge_base_ids=[kb_id],
                    model=MODEL,
                    dimension=DIMENSION,
                    vector=vector,
                    query_text=query,
                    top_k=args.top_k,
                    score_threshold=None,
                    filters={},
                    hybrid=False,
                )

            async def direct_index_only(query: str) -> Any:
                return await qdrant.query_points(name, query=vector, using=DENSE, limit=args.top_k)

            scope = models.Filter(
                must=[
                    models.FieldCondition(key="tenant_id", match=models.MatchValue(value=tenant)),
                    models.FieldCondition(
                        key="knowledge_base_id", match=models.MatchAny(any=[kb_id])
                    ),
                ]
            )

            async def direct_filtered(query: str) -> Any:
                return await qdrant.query_points(
                    name, query=vector, using=DENSE, query_filter=scope, limit=args.top_k
                )

            async def api_workflow(query: str) -> Any:
                return await jobs.run_search(
                    client=env.client, settings=settings, request=request(query)
                )

            queries = [
                f"What happened to the {rng.choice(TOPICS)} in {rng.choice(WORDS[20:])}?"
                for _ in range(args.queries)
            ]
            timings = await measure_queries(
                {
                    "platform retrieval": lambda q: retriever.search(request(q)),
                    "direct": direct,
                    "index only": index_only,
                    "direct index only": direct_index_only,
                    "direct index, same filter": direct_filtered,
                    "API search workflow": api_workflow,
                },
                queries,
            )
    finally:
        await qdrant.close()
        await db.app.dispose()
        await env.shutdown()
    stats = {name: summary(values) for name, values in timings.items()}
    return {
        "command": " ".join(sys.argv),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "corpus": {"documents": args.docs, "words_per_document": args.words, "chunks": chunks},
        "ingestion": {
            "platform_chunks_per_s": chunks / seconds,
            "platform_seconds": seconds,
            "direct_chunks_per_s": direct_chunks / direct_seconds,
            "direct_seconds": direct_seconds,
            "ratio_direct_over_platform": (direct_chunks / direct_seconds) / (chunks / seconds),
        },
        "queries": {"count": args.queries, "top_k": args.top_k, "ms": stats},
        "ratios": {
            "platform retrieval / direct": stats["platform retrieval"]["median"]
            / stats["direct"]["median"],
            "index only / direct index only": stats["index only"]["median"]
            / stats["direct index only"]["median"],
            "index only / direct, same filter": stats["index only"]["median"]
            / stats["direct index, same filter"]["median"],
            "API search workflow / direct": stats["API search workflow"]["median"]
            / stats["direct"]["median"],
        },
        "samples": timings,
    }


def print_report(result: dict[str, Any]) -> None:
    """The numbers as tables."""
    ingestion, corpus = result["ingestion"], result["corpus"]
    print(f"\nCorpus: {corpus['documents']} documents, {corpus['chunks']} chunks\n")
    print("Ingestion                       chunks/s   seconds")
    print(
        f"  platform (workflows)        {ingestion['platform_chunks_per_s']:9.1f}  "
        f"{ingestion['platform_seconds']:8.2f}"
    )
    print(
        f"  direct (encode + upsert)    {ingestion['direct_chunks_per_s']:9.1f}  "
        f"{ingestion['direct_seconds']:8.2f}"
    )
    print(f"  direct / platform           {ingestion['ratio_direct_over_platform']:9.2f}x\n")
    head = f"Queries (top_k={result['queries']['top_k']}, ms)"
    print(f"{head:<29}   median      p90      min      max")
    for name, row in result["queries"]["ms"].items():
        print(
            f"  {name:<24}{row['median']:9.2f}{row['p90']:9.2f}{row['min']:9.2f}{row['max']:9.2f}"
        )
    print("\nRatios of medians")
    for name, value in result["ratios"].items():
        print(f"  {name:<36}{value:7.2f}x")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=60, help="documents to ingest")
    parser.add_argument("--words", type=int, default=900, help="words per document")
    parser.add_argument("--queries", type=int, default=60, help="measured queries per variant")
    parser.add_argument("--top-k", type=int, default=5, help="passages per query")
    parser.add_argument("--json", type=Path, help="also write the numbers to this file")
    return parser.parse_args(argv)


if __name__ == "__main__":
    arguments = parse_args()
    outcome = asyncio.run(main(arguments))
    print_report(outcome)
    if arguments.json:
        arguments.json.write_text(json.dumps(outcome, indent=2))
