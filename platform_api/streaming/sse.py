"""Server-Sent Events: frames, resume offsets, heartbeats, and a run's frames from its log.

Each frame carries ``id:`` (the stream offset), ``event:`` (the type) and JSON
``data:`` that repeats the type as ``"event"``, so both styles of client in the
seeds work. A reconnect sends ``Last-Event-ID``; the stream resumes at the next
offset, so nothing is lost or repeated. Comment lines keep idle proxies open.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

from platform_api.streaming.hub import RunEventHub

logger = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 15.0
KEEP_ALIVE = b": keep-alive\n\n"
SSE_HEADERS = {
    "Cache-Control": "no-cache",
    "X-Accel-Buffering": "no",  # nginx: do not buffer the stream
    "Connection": "keep-alive",
}


def format_frame(offset: int | None, event: str, data: dict[str, Any]) -> bytes:
    """One SSE frame; frames not on the run's stream carry no id (nothing to resume from)."""
    payload = json.dumps({"event": event, **data}, ensure_ascii=False, default=str)
    head = f"id: {offset}\n" if offset is not None else ""
    return f"{head}event: {event}\ndata: {payload}\n\n".encode()


def parse_last_event_id(value: str | None) -> int:
    """The offset to resume from: one past the last event the client saw."""
    if value is None or not value.strip():
        return 0
    try:
        return max(0, int(value.strip()) + 1)
    except ValueError:
        return 0


def error_frame(content: str) -> bytes:
    """The ``error`` frame a stream ends with when it cannot go on."""
    return format_frame(None, "error", {"content": content})


async def never_silent(frames: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    """``frames``, ended with an ``error`` frame if they raise: a stream is never just cut.

    Without this an exception inside a stream reaches the server after the response has
    started, and all it can do is drop the connection; the client cannot tell a failure
    from a network blip.
    """
    iterator = frames.__aiter__()
    try:
        async for frame in iterator:
            yield frame
    except Exception as exc:
        logger.exception("event stream failed")
        yield error_frame(f"event stream failed: {type(exc).__name__}")
    finally:
        # Closed now, not when collected: its own cleanup (a pump task) must not linger.
        aclose = getattr(iterator, "aclose", None)
        if aclose is not None:
            with contextlib.suppress(Exception):
                await aclose()


def run_event_frames(
    hub: RunEventHub, *, tenant_id: str, stream_id: str, from_offset: int = 0
) -> AsyncIterator[bytes]:
    """SSE frames of one run from ``from_offset`` until its ``done`` event (with heartbeats)."""
    return never_silent(_run_event_frames(hub, tenant_id, stream_id, from_offset))


async def _run_event_frames(
    hub: RunEventHub, tenant_id: str, stream_id: str, from_offset: int
) -> AsyncIterator[bytes]:
    entries = hub.events(
        tenant_id=tenant_id,
        stream_id=stream_id,
        from_offset=from_offset,
        idle_seconds=HEARTBEAT_SECONDS,
    )
    async for entry in entries:
        if entry is None:
            yield KEEP_ALIVE
            continue
        offset, data = entry
        event = str(data.get("event") or "message")
        body = {k: v for k, v in data.items() if k != "event"}
        yield format_frame(offset, event, body)
