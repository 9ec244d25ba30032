"""`rag` node type: retrieve passages from the tenant's knowledge bases (runs as an activity).

Pure halves: `prepare(config, node_input)` computes the search request (query from an
expression over state, top_k, score threshold, metadata filters, hybrid dense + keyword
scoring) and `to_update(config, passages)` writes the passages, a numbered context text
for prompts and optional citations (with the document and chunk when the passage has them).
"""

from __future__ import annotations

from typing import Any

from node_types.expression_runtime import to_text
from node_types.expressions import evaluate
from node_types.spec import STATE_KEY_NAME, STATE_SCHEMA, NodeTypeSpec

_OPTIONAL_KEY = {"anyOf": [STATE_KEY_NAME, {"type": "null"}]}
# Passage metadata a citation carries along, when the retriever provides it.
CITATION_KEYS = ("document_id", "knowledge_base_id", "chunk_index", "section", "page")

PASSAGE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["text"],
    "properties": {
        "text": {"type": "string"},
        "source": {"type": ["string", "null"]},
        "title": {"type": ["string", "null"]},
        "score": {"type": ["number", "null"]},
        "metadata": {"type": ["object", "null"]},
    },
}

CONFIG_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "query": {"type": "string", "minLength": 1, "description": "Expression over state."},
        "knowledge_base_ids": {"type": "array", "items": {"type": "string"}},
        "top_k": {"type": "integer", "minimum": 1, "maximum": 50},
        "score_threshold": {"type": ["number", "null"]},
        "filters": {
            "type": "object",
            "description": "Document metadata that must match: {field: value or [any of]}.",
            "propertyNames": {"pattern": "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$"},
            "additionalProperties": {
                "anyOf": [
                    {"type": ["string", "integer", "boolean"]},
                    {"type": "array", "items": {"type": ["string", "integer"]}, "minItems": 1},
                ]
            },
        },
        "hybrid": {
            "type": "boolean",
            "description": "Fuse dense similarity with keyword (BM25-like) matching.",
        },
        "output_key": STATE_KEY_NAME,
        "context_key": _OPTIONAL_KEY,
        "citations_key": _OPTIONAL_KEY,
    },
}

DEFAULT_CONFIG: dict[str, Any] = {
    "query": "last(messages).content",
    "knowledge_base_ids": [],
    "top_k": 4,
    "score_threshold": None,
    "filters": {},
    "hybrid": False,
    "output_key": "passages",
    "context_key": "context",
    "citations_key": None,
}

NODE_TYPE = NodeTypeSpec(
    type_name="rag",
    display_name="Knowledge retrieval",
    description="Embeds a query taken from state and searches the agent's knowledge bases; "
    "writes the passages and a numbered context block for prompts.",
    category="io",
    tags=["rag", "retrieval", "knowledge", "activity"],
    config_schema=CONFIG_SCHEMA,
    input_schema=STATE_SCHEMA,
    output_schema={
        "type": "object",
        "properties": {"passages": {"type": "array", "items": PASSAGE_SCHEMA}},
        "description": "{output_key: passages, context_key: text, citations_key: citations}.",
    },
    required_services=["vector_db", "embedding_service"],
    default_config=DEFAULT_CONFIG,
    execution="activity",
    default_timeouts={"start_to_close_seconds": 30},
    default_retry={"max_attempts": 3},
)


def _cfg(config: dict[str, Any]) -> dict[str, Any]:
    return {**DEFAULT_CONFIG, **config}


def state_reads(config: dict[str, Any]) -> list[str]:
    """Keys read outside expressions (none: the query is an expression)."""
    return []


def state_writes(config: dict[str, Any]) -> list[str]:
    """Passages, context and citations keys."""
    cfg = _cfg(config)
    return [k for k in (cfg["output_key"], cfg["context_key"], cfg["citations_key"]) if k]


def config_expressions(config: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(config pointer, "expression"|"template", text) for validation and read tracking."""
    return [("/query", "expression", _cfg(config)["query"])]


def prepare(config: dict[str, Any], node_input: dict[str, Any]) -> dict[str, Any]:
    """The search request: query, top_k, knowledge_base_ids, score_threshold, filters, hybrid."""
    cfg = _cfg(config)
    return {
        "query": to_text(evaluate(cfg["query"], node_input)),
        "top_k": cfg["top_k"],
        "knowledge_base_ids": list(cfg["knowledge_base_ids"]),
        "score_threshold": cfg["score_threshold"],
        "filters": dict(cfg["filters"]),
        "hybrid": bool(cfg["hybrid"]),
    }


def to_update(config: dict[str, Any], passages: list[dict[str, Any]]) -> dict[str, Any]:
    """State update from the search hits (best first, as the search returned them)."""
    cfg = _cfg(config)
    kept = [_passage(p) for p in passages[: cfg["top_k"]]]
    update: dict[str, Any] = {cfg["output_key"]: kept}
    if cfg["context_key"]:
        update[cfg["context_key"]] = format_context(kept)
    if cfg["citations_key"]:
        update[cfg["citations_key"]] = [_citation(i + 1, p) for i, p in enumerate(kept)]
    return update


def format_context(passages: list[dict[str, Any]]) -> str:
    """Numbered passages for a prompt: `[1] (source) text`, so answers can cite [n]."""
    if not passages:
        return "(no relevant passages were found)"
    blocks = []
    for i, passage in enumerate(passages):
        label = passage.get("title") or passage.get("source") or "unknown source"
        blocks.append(f"[{i + 1}] ({label}) {passage['text']}")
    return "\n\n".join(blocks)


def _citation(index: int, passage: dict[str, Any]) -> dict[str, Any]:
    """What `[index]` in an answer refers to: the source, and its document and chunk if known."""
    citation = {
        "index": index,
        "source": passage["source"],
        "title": passage["title"],
        "score": passage["score"],
    }
    for key in CITATION_KEYS:
        if passage["metadata"].get(key) is not None:
            citation[key] = passage["metadata"][key]
    return citation


def _passage(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        "text": str(raw.get("text", "")),
        "source": raw.get("source"),
        "title": raw.get("title"),
        "score": raw.get("score"),
        "metadata": raw.get("metadata") or {},
    }
