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
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from temporalio.client import (
    Client,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.contrib.workflow_streams import WorkflowStreamClient
from temporalio.service import RPCError

from temporal_workflows.contracts import EVENT_DONE, EVENTS_TOPIC

HEARTBEAT_SECONDS = 15.0
# Consecutive failed polls (about 25 s with backoff) before a stream reports an error.
RESUBSCRIBE_ATTEMPTS = 15
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
                    # run goes on. Resubscribe where we were; give up only if it persists.
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


async def end_when_refused(
    frames: AsyncIterator[bytes],
    problem: Callable[[], Awaitable[str | None]],
    *,
    every_seconds: float,
) -> AsyncIterator[bytes]:
    """Pass ``frames`` through, asking ``problem()`` every ``every_seconds`` (also while idle).

    When it names a problem (the caller was suspended, their key revoked, ...) the
    stream ends with an ``error`` frame: a stream must not outlive its credentials.
    """
    loop = asyncio.get_running_loop()
    iterator = frames.__aiter__()
    next_frame: asyncio.Future[bytes] = asyncio.ensure_future(anext(iterator))
    deadline = loop.time() + every_seconds
    try:
        while True:
            done, _ = await asyncio.wait({next_frame}, timeout=max(0.0, deadline - loop.time()))
            if loop.time() >= deadline:
                reason = await problem()
                if reason is not None:
                    yield format_frame(None, "error", {"content": f"stream ended: {reason}"})
                    return
                deadline = loop.time() + every_seconds
            if not done:
                continue
            try:
                frame = next_frame.result()
            except StopAsyncIteration:
                return
            yield frame
            next_frame = asyncio.ensure_future(anext(iterator))
    finally:
        next_frame.cancel()
        with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration, Exception):
            await next_frame
        aclose = getattr(iterator, "aclose", None)
        if aclose is not None:
            with contextlib.suppress(Exception):
                await aclose()
