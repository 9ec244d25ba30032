"""Bridging a run's Temporal workflow stream to Server-Sent Events.

Each frame carries ``id:`` (the stream offset), ``event:`` (the type) and JSON
``data:`` that repeats the type as ``"event"``, so both styles of client in the
seeds work. A reconnect sends ``Last-Event-ID``; the stream resumes at the next
offset, so nothing is lost or repeated. Comment lines keep idle proxies open.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

from temporalio.client import Client
from temporalio.contrib.workflow_streams import WorkflowStreamClient

from temporal_workflows.contracts import EVENT_DONE, EVENTS_TOPIC

HEARTBEAT_SECONDS = 15.0
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


async def run_event_frames(
    client: Client, workflow_id: str, *, from_offset: int = 0
) -> AsyncIterator[bytes]:
    """SSE frames of one run from ``from_offset`` until its ``done`` event."""
    queue: asyncio.Queue[tuple[int, dict[str, Any]] | None] = asyncio.Queue()
    stream = WorkflowStreamClient.create(client, workflow_id)

    async def pump() -> None:
        try:
            async for item in stream.subscribe([EVENTS_TOPIC], from_offset=from_offset):
                data = item.data if isinstance(item.data, dict) else {"content": item.data}
                await queue.put((item.offset, data))
                if data.get("event") == EVENT_DONE:
                    break
        finally:
            await queue.put(None)

    task = asyncio.create_task(pump())
    try:
        while True:
            try:
                entry = await asyncio.wait_for(queue.get(), timeout=HEARTBEAT_SECONDS)
            except TimeoutError:
                yield b": keep-alive\n\n"
                continue
            if entry is None:
                break
            offset, data = entry
            event = str(data.get("event") or "message")
            body = {k: v for k, v in data.items() if k != "event"}
            yield format_frame(offset, event, body)
        if task.done() and task.exception() is not None:
            exc = task.exception()
            yield format_frame(None, "error", {"content": f"event stream failed: {exc}"})
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
