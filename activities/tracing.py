"""Client spans around the calls activities make to other services (models, Qdrant).

The activity's own span comes from Temporal's tracing interceptor; these are its
children. Attributes name the model or collection, never prompts, texts or keys.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind
from qdrant_client import AsyncQdrantClient

_tracer = trace.get_tracer("agentpaas.activities")


@contextmanager
def client_span(name: str, **attributes: str | int | None) -> Iterator[Span]:
    """A client span around one outbound call; exceptions mark it failed."""
    present = {key: value for key, value in attributes.items() if value is not None}
    with _tracer.start_as_current_span(name, kind=SpanKind.CLIENT, attributes=present) as span:
        yield span


@contextmanager
def model_call_span(model: str) -> Iterator[Span]:
    """The span of one chat completion through litellm."""
    with client_span(
        "litellm.acompletion",
        **{"gen_ai.operation.name": "chat", "gen_ai.request.model": model},
    ) as span:
        yield span


class _TracedQdrant:
    """Forwards to an AsyncQdrantClient, with a span around every awaited call."""

    def __init__(self, client: AsyncQdrantClient) -> None:
        self._client = client

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._client, name)
        if not inspect.iscoroutinefunction(attribute):
            return attribute

        @functools.wraps(attribute)
        async def traced(*args: Any, **kwargs: Any) -> Any:
            collection = kwargs.get("collection_name", args[0] if args else None)
            with client_span(
                f"qdrant.{name}",
                **{
                    "db.system.name": "qdrant",
                    "db.operation.name": name,
                    "db.collection.name": collection if isinstance(collection, str) else None,
                },
            ):
                return await attribute(*args, **kwargs)

        return traced


def traced_qdrant(client: AsyncQdrantClient) -> AsyncQdrantClient:
    """``client`` with a span around every call (what callers see is the same API)."""
    return cast(AsyncQdrantClient, _TracedQdrant(client))
