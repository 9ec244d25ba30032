"""Opening Qdrant: local mode under the data directory, or a server by URL."""

from __future__ import annotations

from pathlib import Path

from qdrant_client import AsyncQdrantClient

# Local mode's storage, relative to the data directory.
LOCAL_STORAGE_DIR = "qdrant"


def open_qdrant(*, url: str | None, data_dir: Path) -> AsyncQdrantClient:
    """A Qdrant client: ``url`` when set, else local mode stored in ``data_dir/qdrant``.

    Local mode holds a file lock, so only one process may open it: ``agentpaas dev``
    runs the API and the worker in one process for that reason.
    """
    if url:
        return AsyncQdrantClient(url=url)
    path = data_dir / LOCAL_STORAGE_DIR
    path.mkdir(parents=True, exist_ok=True)
    return AsyncQdrantClient(path=str(path))
