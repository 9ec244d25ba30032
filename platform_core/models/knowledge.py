"""Knowledge bases and their documents; the vectors themselves live in Qdrant."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from platform_core.models.base import created_at, jsonb, long_text, tenant_fk, updated_at, uuid_pk

DOCUMENT_STATUSES = ("pending", "processing", "ready", "failed", "deleting")


class KnowledgeBase(SQLModel, table=True):
    """A named collection of documents one tenant retrieves from."""

    __tablename__ = "knowledge_bases"
    __table_args__ = (UniqueConstraint("tenant_id", "name", name="uq_knowledge_bases_name"),)

    id: uuid.UUID = uuid_pk()
    tenant_id: uuid.UUID = tenant_fk()
    name: str = Field(max_length=255)
    description: str | None = long_text()
    embedding_model: str = Field(default="all-MiniLM-L6-v2", max_length=255)
    embedding_dimension: int = Field(default=384)
    chunk_size: int = Field(default=256)
    chunk_overlap: int = Field(default=32)
    document_count: int = Field(default=0)
    created_by: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = created_at()
    updated_at: datetime = updated_at()


class KnowledgeDocument(SQLModel, table=True):
    """An uploaded document; the content hash makes re-uploads of the same bytes a no-op."""

    __tablename__ = "knowledge_documents"
    __table_args__ = (
        UniqueConstraint("knowledge_base_id", "filename", name="uq_knowledge_documents_filename"),
        CheckConstraint(f"status IN {DOCUMENT_STATUSES}", name="ck_knowledge_documents_status"),
    )

    id: uuid.UUID = uuid_pk()
    tenant_id: uuid.UUID = tenant_fk()
    knowledge_base_id: uuid.UUID = Field(
        foreign_key="knowledge_bases.id", ondelete="CASCADE", index=True
    )
    filename: str = Field(max_length=500)
    content_type: str = Field(max_length=100)
    content_hash: str = Field(max_length=64, index=True)
    size_bytes: int = Field(default=0)
    doc_metadata: dict[str, Any] = jsonb(name="metadata")
    status: str = Field(default="pending", max_length=20)
    chunk_count: int = Field(default=0)
    error_message: str | None = long_text()
    ingestion_workflow_id: str | None = Field(default=None, max_length=255)
    # The uploaded bytes, which the ingestion workflow parses (migration 0005). Listings
    # never load it: select it explicitly, or defer it.
    content: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    created_at: datetime = created_at()
    updated_at: datetime = updated_at()
