"""Knowledge failures a retry cannot fix become non-retryable ApplicationErrors, by type."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from temporalio.exceptions import ApplicationError

from activities.document_parsing import DocumentParseError
from activities.embeddings import EmbeddingMismatch
from activities.vector_index import InvalidSearch, VectorStoreMissing
from temporal_workflows.contracts import (
    ERROR_EMBEDDING_MISMATCH,
    ERROR_INVALID_SEARCH,
    ERROR_KNOWLEDGE_BASE_NOT_FOUND,
)


class KnowledgeBaseNotFound(LookupError):
    """A knowledge base id the caller's tenant does not have."""


_TYPES: dict[type[Exception], str] = {
    KnowledgeBaseNotFound: ERROR_KNOWLEDGE_BASE_NOT_FOUND,
    EmbeddingMismatch: ERROR_EMBEDDING_MISMATCH,
    InvalidSearch: ERROR_INVALID_SEARCH,
    DocumentParseError: "DocumentParseError",
    VectorStoreMissing: "VectorStoreMissing",
}


@contextmanager
def permanent_failures() -> Iterator[None]:
    """Re-raise the knowledge errors above as non-retryable, typed ApplicationErrors."""
    try:
        yield
    except tuple(_TYPES) as exc:
        kind = next(name for cls, name in _TYPES.items() if isinstance(exc, cls))
        raise ApplicationError(str(exc), type=kind, non_retryable=True) from exc
