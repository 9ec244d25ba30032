"""Knowledge bases and documents: rows here, vectors through the knowledge workflows.

The API never touches Qdrant or a model: uploads are stored with their content hash and
handed to the ``KnowledgeIngestDocument`` workflow, deletions to ``KnowledgePurge``, and
searches run as ``KnowledgeSearch`` on a worker (the same code a ``rag`` node runs).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import UTC, datetime
from typing import Any, Literal, cast

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import QueryableAttribute, defer
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.auth.caller import Caller
from platform_api.errors import Conflict, NotFound, ValidationFailed
from platform_api.knowledge.schemas import (
    DocumentPublic,
    KnowledgeBaseCreate,
    KnowledgeBasePublic,
    KnowledgeBaseUpdate,
)
from platform_api.knowledge.sniffing import text_problem
from platform_api.paging import Page, PageParams, page_of, paginate
from platform_core.models import KnowledgeBase, KnowledgeDocument
from temporal_workflows import contracts as c

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_METADATA_KEYS = 50
_METADATA_KEY = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$")
UploadAction = Literal["created", "replaced", "retried", "unchanged"]
NO_CONTENT = defer(cast("QueryableAttribute[Any]", KnowledgeDocument.content))


def content_type_for(filename: str, declared: str | None) -> str:
    """The supported type of an upload (the worker's parsers: text, Markdown, HTML, PDF)."""
    if not filename or len(filename) > 500 or "/" in filename or "\\" in filename:
        raise invalid_file("a file name (at most 500 characters, no path) is required")
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    by_suffix = {
        "txt": "text/plain",
        "text": "text/plain",
        "md": "text/markdown",
        "markdown": "text/markdown",
        "html": "text/html",
        "htm": "text/html",
        "pdf": "application/pdf",
    }
    if suffix in by_suffix:
        return by_suffix[suffix]
    base = (declared or "").split(";")[0].strip().lower()
    if base in set(by_suffix.values()):
        return base
    raise invalid_file("supported: .txt, .md, .html and .pdf (text, Markdown, HTML, PDF)")


def check_content(content_type: str, content: bytes) -> bytes:
    """The upload's bytes, if they are within the size limit, not empty, and plausible.

    Plausible: a PDF starts like one; a text type (plain, Markdown, HTML) is text, not an
    image or random bytes under a text name, and has more than whitespace in it.
    """
    if len(content) > MAX_UPLOAD_BYTES:
        raise invalid_file(f"larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MiB")
    if not content:
        raise invalid_file("the file is empty")
    if content_type == "application/pdf" and not content.startswith(b"%PDF-"):
        raise invalid_file("not a PDF file")
    problem = text_problem(content_type, content)
    if problem is not None:
        raise invalid_file(problem)
    return content


def invalid_file(message: str) -> ValidationFailed:
    """A 422 about the uploaded file."""
    return ValidationFailed(
        "the uploaded file cannot be ingested", errors=[{"path": "/body/file", "message": message}]
    )


def check_settings(data: KnowledgeBaseCreate) -> int:
    """The knowledge base's embedding dimension, once its settings are known to fit the model."""
    errors = []
    dimension = data.embedding_dimension
    if data.embedding_model == c.DEFAULT_EMBEDDING_MODEL:
        if dimension not in (None, c.DEFAULT_EMBEDDING_DIMENSION):
            errors.append(
                {
                    "path": "/body/embedding_dimension",
                    "message": f"{c.DEFAULT_EMBEDDING_MODEL} makes "
                    f"{c.DEFAULT_EMBEDDING_DIMENSION}-dimensional vectors",
                }
            )
        if data.chunk_size > c.DEFAULT_EMBEDDING_MAX_TOKENS:
            errors.append(
                {
                    "path": "/body/chunk_size",
                    "message": f"{c.DEFAULT_EMBEDDING_MODEL} reads at most "
                    f"{c.DEFAULT_EMBEDDING_MAX_TOKENS} tokens",
                }
            )
        dimension = c.DEFAULT_EMBEDDING_DIMENSION
    elif dimension is None:
        errors.append(
            {
                "path": "/body/embedding_dimension",
                "message": "required for models other than the default",
            }
        )
    if data.chunk_overlap > data.chunk_size // 2:
        errors.append(
            {"path": "/body/chunk_overlap", "message": "must be at most half of chunk_size"}
        )
    if errors or dimension is None:
        raise ValidationFailed("the knowledge base settings do not fit", errors=errors)
    return dimension


async def create(
    *, session: AsyncSession, caller: Caller, data: KnowledgeBaseCreate
) -> KnowledgeBase:
    """A new, empty knowledge base of the caller's tenant."""
    row = KnowledgeBase(
        tenant_id=caller.tenant_id,
        name=data.name,
        description=data.description,
        embedding_model=data.embedding_model,
        embedding_dimension=check_settings(data),
        chunk_size=data.chunk_size,
        chunk_overlap=data.chunk_overlap,
        created_by=caller.user_id,
    )
    session.add(row)
    await _flush_unique(session, f"a knowledge base named {data.name!r} already exists")
    return row


async def _flush_unique(session: AsyncSession, message: str) -> None:
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(message) from exc


async def get_all(*, session: AsyncSession, page: PageParams) -> Page[KnowledgeBasePublic]:
    """The tenant's knowledge bases (row-level security shows no others), by name."""
    rows, total = await paginate(
        session,
        select(KnowledgeBase).order_by(col(KnowledgeBase.name), col(KnowledgeBase.id)),
        page,
    )
    return page_of(rows, total, page, KnowledgeBasePublic.model_validate)


async def get_or_raise(*, session: AsyncSession, knowledge_base_id: uuid.UUID) -> KnowledgeBase:
    """A knowledge base of the caller's tenant; others' are simply not found."""
    row = await session.get(KnowledgeBase, knowledge_base_id)
    if row is None:
        raise NotFound("knowledge base not found")
    return row


async def update_base(
    *, session: AsyncSession, row: KnowledgeBase, data: KnowledgeBaseUpdate
) -> KnowledgeBase:
    """Rename or re-describe."""
    changes = data.model_dump(exclude_unset=True)
    if changes.get("name") is not None:
        row.name = changes["name"]
    if "description" in changes:
        row.description = changes["description"]
    row.updated_at = datetime.now(UTC)
    session.add(row)
    await _flush_unique(session, f"a knowledge base named {row.name!r} already exists")
    return row


async def delete_base(*, session: AsyncSession, row: KnowledgeBase) -> c.PurgeKnowledgeInput:
    """Delete the rows (documents cascade); returns the purge of its vectors to start."""
    purge = c.PurgeKnowledgeInput(
        tenant_id=str(row.tenant_id),
        knowledge_base_id=str(row.id),
        embedding_model=row.embedding_model,
        embedding_dimension=row.embedding_dimension,
    )
    await session.delete(row)
    await session.flush()
    return purge


def document_public(row: KnowledgeDocument) -> DocumentPublic:
    """The API view of a document (never its bytes)."""
    return DocumentPublic(
        id=row.id,
        knowledge_base_id=row.knowledge_base_id,
        filename=row.filename,
        content_type=row.content_type,
        content_hash=row.content_hash,
        size_bytes=row.size_bytes,
        metadata=row.doc_metadata or {},
        status=row.status,
        chunk_count=row.chunk_count,
        error_message=row.error_message,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


async def get_documents(
    *, session: AsyncSession, base: KnowledgeBase, status: str | None, page: PageParams
) -> Page[DocumentPublic]:
    """A knowledge base's documents with their ingestion status, by filename."""
    conditions = [col(KnowledgeDocument.knowledge_base_id) == base.id]
    if status:
        conditions.append(col(KnowledgeDocument.status) == status)
    rows, total = await paginate(
        session,
        select(KnowledgeDocument)
        .options(NO_CONTENT)
        .where(*conditions)
        .order_by(col(KnowledgeDocument.filename), col(KnowledgeDocument.id)),
        page,
    )
    return page_of(rows, total, page, document_public)


async def get_document_or_raise(
    *, session: AsyncSession, base: KnowledgeBase, document_id: uuid.UUID
) -> KnowledgeDocument:
    """A document of this knowledge base."""
    row = await session.get(KnowledgeDocument, document_id, options=[NO_CONTENT])
    if row is None or row.knowledge_base_id != base.id:
        raise NotFound("document not found")
    return row


def parse_metadata(raw: Any) -> dict[str, Any]:
    """Upload metadata: a flat object of strings, numbers, booleans or lists of them."""

    def invalid(message: str) -> ValidationFailed:
        return ValidationFailed(
            "invalid document metadata", errors=[{"path": "/body/metadata", "message": message}]
        )

    if not isinstance(raw, dict):
        raise invalid("must be a JSON object")
    if len(raw) > MAX_METADATA_KEYS:
        raise invalid(f"at most {MAX_METADATA_KEYS} fields")
    for key, value in raw.items():
        if not _METADATA_KEY.match(key):
            raise invalid(f"{key!r} is not a field name (letters, digits, _ . -)")
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str | int | float | bool) for v in values):
            raise invalid(f"{key!r}: values must be strings, numbers, booleans or lists of them")
    return dict(raw)


async def store_upload(
    *,
    session: AsyncSession,
    caller: Caller,
    base: KnowledgeBase,
    filename: str,
    content_type: str,
    content: bytes,
    metadata: dict[str, Any],
) -> tuple[KnowledgeDocument, UploadAction]:
    """Store an upload; returns the document and what to do (``unchanged`` = nothing)."""
    digest = hashlib.sha256(content).hexdigest()
    same_name = (
        await session.execute(
            select(KnowledgeDocument)
            .options(NO_CONTENT)
            .where(
                col(KnowledgeDocument.knowledge_base_id) == base.id,
                col(KnowledgeDocument.filename) == filename,
            )
        )
    ).scalar_one_or_none()
    if same_name is not None and same_name.status == "deleting":
        raise Conflict(f"{filename!r} is being deleted; upload it again once it is gone")
    same_bytes = same_name if same_name is not None and same_name.content_hash == digest else None
    if same_bytes is None and same_name is None:
        same_bytes = await _document_with_hash(session, base, digest)
    if same_bytes is not None:
        if same_bytes.status != "failed":
            return same_bytes, "unchanged"
        same_bytes.status, same_bytes.error_message = "pending", None
        same_bytes.updated_at = datetime.now(UTC)
        session.add(same_bytes)
        await session.flush()
        return same_bytes, "retried"
    if same_name is not None:
        same_name.content, same_name.content_hash = content, digest
        same_name.content_type, same_name.size_bytes = content_type, len(content)
        same_name.doc_metadata = metadata
        same_name.status, same_name.error_message = "pending", None
        same_name.updated_at = datetime.now(UTC)
        session.add(same_name)
        await session.flush()
        return same_name, "replaced"
    document_id = uuid.uuid4()
    row = KnowledgeDocument(
        id=document_id,
        tenant_id=caller.tenant_id,
        knowledge_base_id=base.id,
        filename=filename,
        content_type=content_type,
        content_hash=digest,
        size_bytes=len(content),
        doc_metadata=metadata,
        content=content,
        status="pending",
        ingestion_workflow_id=c.document_workflow_id(str(document_id)),
    )
    session.add(row)
    await _flush_unique(session, f"{filename!r} was uploaded at the same moment; try again")
    await _recount(session, base)
    return row, "created"


async def _document_with_hash(
    session: AsyncSession, base: KnowledgeBase, digest: str
) -> KnowledgeDocument | None:
    return (
        (
            await session.execute(
                select(KnowledgeDocument)
                .options(NO_CONTENT)
                .where(
                    col(KnowledgeDocument.knowledge_base_id) == base.id,
                    col(KnowledgeDocument.content_hash) == digest,
                    col(KnowledgeDocument.status) != "deleting",
                )
                .limit(1)
            )
        )
        .scalars()
        .first()
    )


async def _recount(session: AsyncSession, base: KnowledgeBase) -> None:
    await session.execute(
        update(KnowledgeBase)
        .where(col(KnowledgeBase.id) == base.id)
        .values(
            document_count=select(func.count())
            .select_from(KnowledgeDocument)
            .where(col(KnowledgeDocument.knowledge_base_id) == base.id)
            .scalar_subquery()
        )
    )


async def mark_deleting(
    *, session: AsyncSession, base: KnowledgeBase, row: KnowledgeDocument
) -> c.PurgeKnowledgeInput:
    """Hide the document from new ingestion work; returns the purge to start."""
    row.status = "deleting"
    row.updated_at = datetime.now(UTC)
    session.add(row)
    await session.flush()
    return c.PurgeKnowledgeInput(
        tenant_id=str(base.tenant_id),
        knowledge_base_id=str(base.id),
        embedding_model=base.embedding_model,
        embedding_dimension=base.embedding_dimension,
        document_id=str(row.id),
    )


def ingestion_input(row: KnowledgeDocument) -> c.IngestDocumentInput:
    """The workflow input for the document's current version."""
    return c.IngestDocumentInput(
        tenant_id=str(row.tenant_id),
        knowledge_base_id=str(row.knowledge_base_id),
        document_id=str(row.id),
        content_hash=row.content_hash,
    )
