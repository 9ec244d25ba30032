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
import logging
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

logger = logging.getLogger(__name__)
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


async def run_event_frames(
    client: Client, workflow_id: str, *, from_offset: int = 0
) -> AsyncIterator[bytes]:
    """SSE frames of one run from ``from_offset`` until its ``done`` event."""
    async for frame in never_silent(_run_event_frames(client, workflow_id, from_offset)):
        yield frame


async def _run_event_frames(
    client: Client, workflow_id: str, from_offset: int
) -> AsyncIterator[bytes]:
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
    unknown: tuple[type[Exception], ...] = (),
    unknown_limit_seconds: float = 0.0,
    check_timeout_seconds: float = 10.0,
) -> AsyncIterator[bytes]:
    """Pass ``frames`` through, asking ``problem()`` every ``every_seconds`` (also while idle).

    When it names a problem (the caller was suspended, their key revoked, ...) the
    stream ends with an ``error`` frame: a stream must not outlive its credentials.

    When ``problem()`` raises one of ``unknown`` (the database is briefly down), standing
    is unknown, not lost (so is a check that takes longer than ``check_timeout_seconds``:
    frames wait while it runs): that check is skipped and the stream goes on, checking
    again at the next interval; only when standing has stayed unknown for
    ``unknown_limit_seconds`` does it end, with an ``error`` frame. Any other failure, of
    the check or of ``frames``, also ends it with an ``error`` frame, never silently.
    """
    loop = asyncio.get_running_loop()
    iterator = frames.__aiter__()
    next_frame: asyncio.Future[bytes] = asyncio.ensure_future(anext(iterator))
    deadline = loop.time() + every_seconds
    unknown_since: float | None = None
    outage: tuple[type[Exception], ...] = (TimeoutError, *unknown)
    try:
        while True:
            done, _ = await asyncio.wait({next_frame}, timeout=max(0.0, deadline - loop.time()))
            if loop.time() >= deadline:
                try:
                    reason = await asyncio.wait_for(problem(), timeout=check_timeout_seconds)
                except outage as failure:
                    why = str(failure) or "the check timed out"
                    now = loop.time()
                    unknown_since = now if unknown_since is None else unknown_since
                    if now - unknown_since >= unknown_limit_seconds:
                        yield error_frame(
                            f"stream ended: good standing could not be checked for "
                            f"{now - unknown_since:.1f} s ({why})"
                        )
                        return
                    logger.warning("good standing unknown, stream goes on: %s", why)
                    reason = None
                except Exception as exc:
                    logger.exception("good-standing check failed")
                    yield error_frame(
                        f"stream ended: good standing check failed ({type(exc).__name__})"
                    )
                    return
                else:
                    unknown_since = None
                if reason is not None:
                    yield error_frame(f"stream ended: {reason}")
                    return
                deadline = loop.time() + every_seconds
            if not done:
                continue
            try:
                frame = next_frame.result()
            except StopAsyncIteration:
                return
            except Exception as exc:
                logger.exception("event stream failed")
                yield error_frame(f"event stream failed: {type(exc).__name__}")
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
