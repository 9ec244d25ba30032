"""Publishing an activity's events (token deltas, tool progress) to its run's event log.

Events are batched: a batch is one append to the PostgreSQL log (one statement committed
on its own, one notification per event), taken every :data:`BATCH_INTERVAL` or at once
on ``flush_now``.
Consecutive text deltas of a batch merge into one event, so the durable log and the live
path carry the same, coarser events and a resumed client ends with exactly the text a
live one saw. A batch that cannot be written while the database is away stays queued
and goes with the next; leaving the context writes what is left or raises
``DatabaseUnavailable`` (the node then waits for the database like any other write).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from types import TracebackType
from typing import Any

from temporalio import activity

from platform_core.db import Database, DatabaseUnavailable
from platform_core.run_event_log import PendingEvent, append_and_commit
from temporal_workflows.contracts import EVENT_MESSAGE

logger = logging.getLogger(__name__)

# Short enough that tokens feel live, long enough that a reply is a few rows, not hundreds.
BATCH_INTERVAL = timedelta(milliseconds=100)
# How long leaving the context keeps trying to write the last batch while the database is
# away, before the activity fails as an outage.
FINAL_FLUSH_PATIENCE = timedelta(seconds=20)
_MERGED_FIELDS = ("event", "type", "node", "audience")


class RunEvents:
    """An async context that publishes to the calling activity's run stream."""

    def __init__(
        self,
        database: Database,
        tenant_id: str,
        *,
        stream_id: str | None = None,
        first_flush: Callable[[list[PendingEvent]], Awaitable[None]] | None = None,
    ):
        info = activity.info()
        self._db = database
        self._tenant_id = tenant_id
        self._stream_id = stream_id or info.workflow_id or ""
        # Keys make a batch whose commit went unconfirmed harmless to write again; a new
        # attempt has new keys (its events are new).
        self._key_prefix = f"{info.activity_id}:{info.attempt}"
        self._count = 0
        self._pending: list[PendingEvent] = []
        # After a `flush_now` event nothing merges into it: it goes out as it is, at once.
        self._sealed = False
        self._wake = asyncio.Event()
        self._flusher: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        # Writes the first batch with what must come before it (the node's start), in one
        # statement.
        self._first_flush = first_flush
        self._closing = False

    async def __aenter__(self) -> RunEvents:
        self._flusher = asyncio.create_task(self._flush_periodically())
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._flusher is not None:
            if exc_type is asyncio.CancelledError:
                self._flusher.cancel()
            else:
                # Let a batch already on its way commit (cancelling it would throw away a
                # transaction and hold its events back until the final write).
                self._closing = True
                self._wake.set()
            # A flusher that failed left its batch queued: the writes below try it again.
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._flusher
        if exc_type is asyncio.CancelledError:
            # A cancelled run is being torn down: one try, no waiting for the database.
            with contextlib.suppress(Exception):
                await self.flush()
            return
        give_up = asyncio.get_running_loop().time() + FINAL_FLUSH_PATIENCE.total_seconds()
        wait = 0.2
        while True:
            try:
                await self.flush()
                return
            except DatabaseUnavailable:
                if asyncio.get_running_loop().time() + wait > give_up:
                    raise
                activity.heartbeat()
                await asyncio.sleep(wait)
                wait = min(wait * 2, 5.0)

    def publish(self, event: str, *, flush_now: bool = False, **data: Any) -> None:
        """Queue one event; it goes with the next batch, or at once with ``flush_now``."""
        body = {"event": event, **data}
        last = self._pending[-1].event if self._pending else None
        if last is not None and not self._sealed and _mergeable(last, body):
            last["content"] = f"{last['content']}{body['content']}"
        else:
            self._pending.append(PendingEvent(body, key=f"{self._key_prefix}:{self._count}"))
            self._count += 1
        self._sealed = flush_now
        if flush_now:
            self._wake.set()

    async def publish_now(self, event: str, **data: Any) -> None:
        """Queue one event and write it before returning; while the database is away it
        stays queued for the next batch, as any other."""
        self.publish(event, flush_now=True, **data)
        try:
            await self.flush()
        except DatabaseUnavailable:
            logger.warning("run events queued: the database is unavailable")

    async def flush(self) -> None:
        """Write the queued events now (kept queued if the database is away)."""
        async with self._lock:
            if not self._pending:
                return
            batch, self._pending = self._pending, []
            self._sealed = False
            try:
                if self._first_flush is not None:
                    await self._first_flush(batch)
                    self._first_flush = None
                else:
                    await append_and_commit(
                        self._db, stream_id=self._stream_id, tenant_id=self._tenant_id, events=batch
                    )
            except BaseException:
                # Still owed, in order, ahead of anything queued meanwhile.
                self._pending[:0] = batch
                raise

    async def _flush_periodically(self) -> None:
        interval = BATCH_INTERVAL.total_seconds()
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=interval)
            self._wake.clear()
            try:
                await self.flush()
            except DatabaseUnavailable:
                logger.warning("run events queued: the database is unavailable")
            if self._closing:
                return  # leaving the context writes what is left


def _mergeable(last: dict[str, Any], body: dict[str, Any]) -> bool:
    """Two text deltas of the same node and audience read as one."""
    return (
        body.get("event") == EVENT_MESSAGE
        and isinstance(last.get("content"), str)
        and isinstance(body.get("content"), str)
        and all(last.get(name) == body.get(name) for name in _MERGED_FIELDS)
    )
