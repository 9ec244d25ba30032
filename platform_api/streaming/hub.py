"""One listening connection per API process, fanning run events out to every open stream.

Workers append run events to the PostgreSQL log, which notifies them on commit
(``platform_core.run_event_log``). This hub LISTENs once for the whole process and hands
each notification to the streams following that run, so an open stream costs a queue,
not a poll: a thousand idle streams cost nothing until something happens. Every API
replica runs its own hub; PostgreSQL delivers each notification to all of them.

A stream replays the durable log from its offset, then follows the live path: it
subscribes before it reads, so nothing committed in between is missed, and it drops
what it already sent, so nothing is repeated. Whenever the live path cannot vouch for
continuity (an offset skipped, an event too big for a notification, the listening
connection lost and re-established) the stream reads the log again from where it was.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import asyncpg

from platform_core.db import Database, DatabaseUnavailable, to_plain_url
from platform_core.run_event_log import (
    CHANNEL,
    READ_PAGE,
    Notification,
    parse_notification,
    read_committed,
)

logger = logging.getLogger(__name__)

# Tells a stream the live path may have lost something: read the log again.
_RESYNC = object()
# How long the listener waits between attempts to get its connection back.
RECONNECT_MAX_SECONDS = 5.0
# A connection can die without a word (a dropped route): ask it this often.
LISTENER_PING_SECONDS = 30.0


@dataclass(eq=False)
class _Subscription:
    stream_id: str
    queue: asyncio.Queue[Any] = field(default_factory=asyncio.Queue)


class RunEventHub:
    """The process's one LISTEN connection and the streams it serves."""

    def __init__(self, database: Database) -> None:
        self._db = database
        self._streams: dict[str, set[_Subscription]] = {}
        self._listener: asyncio.Task[None] | None = None
        self._connected = asyncio.Event()

    @property
    def open_streams(self) -> int:
        """How many streams follow the live path now."""
        return sum(len(subs) for subs in self._streams.values())

    async def close(self) -> None:
        """Stop listening (the process is shutting down)."""
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._listener
            self._listener = None

    def events(
        self, *, tenant_id: str, stream_id: str, from_offset: int = 0, idle_seconds: float = 15.0
    ) -> AsyncIterator[tuple[int, dict[str, Any]] | None]:
        """The stream's events from ``from_offset``, durable then live, each exactly once.

        Yields ``None`` after ``idle_seconds`` without an event (time for a heartbeat).
        Ends after the run's ``done`` event. While the database is away it waits; it never
        skips an offset.
        """
        return self._events(tenant_id, stream_id, from_offset, idle_seconds)

    async def _events(
        self, tenant_id: str, stream_id: str, from_offset: int, idle_seconds: float
    ) -> AsyncIterator[tuple[int, dict[str, Any]] | None]:
        self._ensure_listening()
        next_seq = from_offset
        with self._subscribed(stream_id) as sub:
            while True:
                # The durable part: everything committed from next_seq on, read from the
                # event before it, which says whether the stream has already ended.
                start = max(next_seq - 1, 0)
                async for entry in self._replay(tenant_id, stream_id, start, idle_seconds):
                    if entry is not None and entry[0] < next_seq:
                        if _is_last(entry[1]):
                            return  # resumed after `done`: nothing more will come
                        continue
                    yield entry
                    if entry is None:
                        continue
                    seq, event = entry
                    next_seq = seq + 1
                    if _is_last(event):
                        return
                # The live part, until it cannot vouch for what comes next.
                while True:
                    try:
                        item = await asyncio.wait_for(sub.queue.get(), timeout=idle_seconds)
                    except TimeoutError:
                        yield None
                        continue
                    if item is _RESYNC:
                        break
                    assert isinstance(item, Notification)
                    if item.tenant_id != tenant_id or item.seq < next_seq:
                        continue  # not this tenant's, or already sent by the replay
                    if item.seq > next_seq or item.event is None:
                        break  # a gap, or an event only the log holds in full
                    yield item.seq, item.event
                    next_seq = item.seq + 1
                    if _is_last(item.event):
                        return

    async def _replay(
        self, tenant_id: str, stream_id: str, from_seq: int, idle_seconds: float
    ) -> AsyncIterator[tuple[int, dict[str, Any]] | None]:
        wait = 0.2
        loop = asyncio.get_running_loop()
        quiet_since = loop.time()
        while True:
            try:
                rows = await read_committed(
                    self._db, tenant_id=tenant_id, stream_id=stream_id, from_seq=from_seq
                )
            except DatabaseUnavailable:
                # Runs wait for the database; so do their streams, with heartbeats.
                if loop.time() - quiet_since >= idle_seconds:
                    yield None
                    quiet_since = loop.time()
                await asyncio.sleep(wait)
                wait = min(wait * 2, 2.0)
                continue
            for seq, event in rows:
                yield seq, event
                from_seq = seq + 1
            if len(rows) < READ_PAGE:
                return

    @contextlib.contextmanager
    def _subscribed(self, stream_id: str) -> Iterator[_Subscription]:
        sub = _Subscription(stream_id)
        self._streams.setdefault(stream_id, set()).add(sub)
        try:
            yield sub
        finally:
            subs = self._streams.get(stream_id)
            if subs is not None:
                subs.discard(sub)
                if not subs:
                    del self._streams[stream_id]

    def _ensure_listening(self) -> None:
        if self._listener is None or self._listener.done():
            self._listener = asyncio.create_task(self._listen(), name="run-event-listener")

    def _deliver(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        note = parse_notification(payload)
        if note is None:
            return
        for sub in self._streams.get(note.stream_id, ()):
            sub.queue.put_nowait(note)

    def _resync_all(self) -> None:
        for subs in self._streams.values():
            for sub in subs:
                sub.queue.put_nowait(_RESYNC)

    async def _listen(self) -> None:
        """Hold the LISTEN connection, getting it back whenever it is lost."""
        wait = 0.2
        while True:
            lost = asyncio.Event()
            try:
                conn = await asyncpg.connect(to_plain_url(self._db.url))
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                logger.warning("run events: cannot listen (%s); retrying", exc)
                await asyncio.sleep(wait)
                wait = min(wait * 2, RECONNECT_MAX_SECONDS)
                continue
            try:
                conn.add_termination_listener(lambda _conn, lost=lost: lost.set())
                await conn.add_listener(CHANNEL, self._deliver)
                wait = 0.2
                # Whatever was committed while nobody listened is in the log.
                self._resync_all()
                self._connected.set()
                while not lost.is_set():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(lost.wait(), timeout=LISTENER_PING_SECONDS)
                    if not lost.is_set():
                        await conn.execute("SELECT 1", timeout=5)
                logger.warning("run events: the listening connection was lost; reconnecting")
            except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                logger.warning("run events: listening failed (%s); reconnecting", exc)
            finally:
                self._connected.clear()
                with contextlib.suppress(Exception):
                    await conn.close(timeout=1)
            await asyncio.sleep(wait)


def _is_last(event: dict[str, Any]) -> bool:
    return event.get("event") == "done"
