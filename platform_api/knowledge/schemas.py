"""Bodies of the knowledge routes: knowledge bases, documents, search."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from platform_api.api.field_types import JSON_LIMIT_NOTE, JsonObject
from temporal_workflows.contracts import DEFAULT_EMBEDDING_MODEL


class KnowledgeBaseCreate(BaseModel):
    """A new knowledge base. The embedding model cannot change once documents are in it."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=255)
    description: str | None = Field(default=None, max_length=10_000)
    embedding_model: str = Field(
        default=DEFAULT_EMBEDDING_MODEL,
        min_length=1,
        max_length=255,
        description="all-MiniLM-L6-v2 (offline, the default) or any litellm embedding model.",
    )
    embedding_dimension: int | None = Field(
        default=None,
        ge=1,
        le=8192,
        description="Vector length; required for models other than the default (384).",
    )
    chunk_size: int = Field(default=256, ge=32, le=2048, description="Tokens per chunk.")
    chunk_overlap: int = Field(default=32, ge=0, le=512, description="Tokens shared by neighbours.")


class KnowledgeBaseUpdate(BaseModel):
    """Renaming or describing a knowledge base (chunking and model are fixed)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=255)
    description: str | None = Field(default=None, max_length=10_000)


class KnowledgeBasePublic(BaseModel):
    """A knowledge base."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    description: str | None
    embedding_model: str
    embedding_dimension: int
    chunk_size: int
    chunk_overlap: int
    document_count: int
    created_at: datetime
    updated_at: datetime


class DocumentPublic(BaseModel):
    """A document and its ingestion status (pending, processing, ready, failed, deleting)."""

    id: uuid.UUID
    knowledge_base_id: uuid.UUID
    filename: str
    content_type: str
    content_hash: str
    size_bytes: int
    metadata: dict[str, Any]
    status: str
    chunk_count: int
    error_message: str | None
    created_at: datetime
    updated_at: datetime


class UploadResult(BaseModel):
    """What an upload did: ``unchanged`` means the same bytes were already there (no work)."""

    action: Literal["created", "replaced", "retried", "unchanged"]
    document: DocumentPublic


class SearchRequest(BaseModel):
    """A retrieval, exactly as a ``rag`` node would run it."""

    model_config = ConfigDict(extra="forbid")

    query: str = Field(min_length=1, max_length=4000)
    top_k: int = Field(default=5, ge=1, le=50)
    score_threshold: float | None = Field(default=None, ge=-1.0, le=1.0)
    filters: JsonObject = Field(
        default_factory=dict,
        description=f"Document metadata to match: {{field: value or [any]}}. {JSON_LIMIT_NOTE}",
    )
    hybrid: bool = Field(default=False, description="Fuse dense and keyword scoring (RRF).")


class PassagePublic(BaseModel):
    """A retrieved chunk: its text, where it comes from, and its score."""

    text: str
    source: str | None
    title: str | None
    score: float | None
    metadata: dict[str, Any]


class SearchResponse(BaseModel):
    """Passages best first."""

    passages: list[PassagePublic]
