"""A document ingestion's progress, read from its Temporal workflow stream, as SSE frames.

Runs stream from the PostgreSQL event log (``platform_api.streaming.hub``); an
ingestion still keeps its few progress events inside its workflow, where an admin
watching one upload long-polls them. Offsets work the same way (``Last-Event-ID``).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from temporalio.client import (
    Client,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.contrib.workflow_streams import WorkflowStreamClient
from temporalio.service import RPCError

from platform_api.streaming.sse import HEARTBEAT_SECONDS, KEEP_ALIVE, format_frame, never_silent
from temporal_workflows.contracts import EVENT_DONE, EVENTS_TOPIC

# Consecutive failed polls (about 25 s with backoff) before a stream reports an error.
RESUBSCRIBE_ATTEMPTS = 15


def workflow_stream_frames(
    client: Client, workflow_id: str, *, from_offset: int = 0
) -> AsyncIterator[bytes]:
    """SSE frames of one workflow's stream from ``from_offset`` until its ``done`` event."""
    return never_silent(_frames(client, workflow_id, from_offset))


async def _frames(client: Client, workflow_id: str, from_offset: int) -> AsyncIterator[bytes]:
    queue: asyncio.Queue[tuple[int, dict[str, Any]] | None] = asyncio.Queue()
    stream = WorkflowStreamClient.create(client, workflow_id)

    async def pump() -> None:
        next_offset = from_offset
        failures = 0
        try:
            while True:
                try:
                    async for item in stream.subscribe([EVENTS_TOPIC], from_offset=next_offset):
                        data = item.data if isinstance(item.data, dict) else {"content": item.data}
                        await queue.put((item.offset, data))
                        next_offset, failures = item.offset + 1, 0
                        if data.get("event") == EVENT_DONE:
                            return
                    return
                except (
                    WorkflowUpdateFailedError,
                    WorkflowUpdateRPCTimeoutOrCancelledError,
                    RPCError,
                ):
                    # A poll is a workflow update: while a workflow task is failing or
                    # timing out (an overloaded worker), the server rejects it although the
                    # workflow goes on. Resubscribe where we were; give up only if it persists.
                    failures += 1
                    if failures > RESUBSCRIBE_ATTEMPTS:
                        raise
                    await asyncio.sleep(min(2.0, 0.1 * 2**failures))
        finally:
            await queue.put(None)

    task = asyncio.create_task(pump())
    try:
        while True:
            try:
                entry = await asyncio.wait_for(queue.get(), timeout=HEARTBEAT_SECONDS)
            except TimeoutError:
                yield KEEP_ALIVE
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
