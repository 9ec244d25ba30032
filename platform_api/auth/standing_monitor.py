"""One good-standing check per interval for all the open streams of an API process.

A stream outlives the request that authenticated it, so its caller's standing is asked
again while it runs. Asking once per stream cost one transaction per stream per interval;
the monitor keeps a registry of the open streams' callers and asks for all of them in one
call, then ends only the streams whose caller was refused. With no stream open it does
nothing at all (its task stops, and starts again with the next stream).

A check that cannot reach the database, or takes longer than its timeout, leaves
standing unknown, not lost: streams go on, and end only when standing has stayed unknown
for ``outage_seconds``. Any other failure of the check ends every stream it was asked
for: a bug must not leave streams unchecked.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass

from platform_api.auth.caller import Caller
from platform_core.db import DatabaseUnavailable

logger = logging.getLogger(__name__)

# Asks for many callers at once; answers each one's problem (None: in good standing).
StandingCheck = Callable[[Sequence[Caller]], Awaitable[Sequence[str | None]]]


@dataclass(eq=False)
class _Watch:
    """One open stream: its caller and the future its refusal is told through."""

    caller: Caller
    opened_at: float
    refused: asyncio.Future[str]

    def end(self, reason: str) -> None:
        if not self.refused.done():
            self.refused.set_result(reason)


class StandingMonitor:
    """Checks the standing of every open stream's caller, all at once, every interval."""

    def __init__(
        self,
        check: StandingCheck,
        *,
        every_seconds: float,
        outage_seconds: float,
        check_timeout_seconds: float = 10.0,
        unknown: tuple[type[Exception], ...] = (DatabaseUnavailable,),
    ) -> None:
        self._check = check
        self._every = every_seconds
        self._outage_limit = outage_seconds
        self._check_timeout = check_timeout_seconds
        self._unknown: tuple[type[Exception], ...] = (TimeoutError, *unknown)
        self._watches: dict[Caller, set[_Watch]] = {}
        self._task: asyncio.Task[None] | None = None
        self._checking = False
        self._unknown_since: float | None = None
        self._closed = False

    @property
    def open_streams(self) -> int:
        """How many streams are watched now."""
        return sum(len(watches) for watches in self._watches.values())

    @contextlib.asynccontextmanager
    async def watch(self, caller: Caller) -> AsyncIterator[asyncio.Future[str]]:
        """Watch one stream of ``caller``: the future resolves with the reason it must end."""
        loop = asyncio.get_running_loop()
        watch = _Watch(caller, loop.time(), loop.create_future())
        self._watches.setdefault(caller, set()).add(watch)
        if self._task is None and not self._closed:
            self._task = loop.create_task(self._run(), name="standing-monitor")
        try:
            yield watch.refused
        finally:
            self._forget(watch)

    async def close(self) -> None:
        """Stop checking (the app shuts down); streams still open are no longer checked."""
        self._closed = True
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _forget(self, watch: _Watch) -> None:
        watches = self._watches.get(watch.caller)
        if watches is not None:
            watches.discard(watch)
            if not watches:
                del self._watches[watch.caller]
        # The last stream closed: stop now rather than wake once more for nothing (a
        # check under way finishes first; the loop then sees no stream and ends).
        if not self._watches and self._task is not None and not self._checking:
            self._task.cancel()
            self._task, self._unknown_since = None, None

    async def _run(self) -> None:
        me = asyncio.current_task()
        try:
            while self._watches:
                await asyncio.sleep(self._every)
                self._checking = True
                try:
                    await self._check_all()
                finally:
                    self._checking = False
        finally:
            if self._task is me:
                self._task, self._unknown_since = None, None

    async def _check_all(self) -> None:
        callers = list(self._watches)
        try:
            async with asyncio.timeout(self._check_timeout):
                problems = list(await self._check(callers))
            if len(problems) != len(callers):
                raise ValueError(f"{len(problems)} answers for {len(callers)} callers")
        except self._unknown as failure:
            self._standing_unknown(str(failure) or "the check timed out")
            return
        except Exception as exc:
            logger.exception("good-standing check failed")
            for caller in callers:
                self._end(caller, f"good standing check failed ({type(exc).__name__})")
            return
        self._unknown_since = None
        for caller, problem in zip(callers, problems, strict=True):
            if problem is not None:
                self._end(caller, problem)

    def _standing_unknown(self, why: str) -> None:
        now = asyncio.get_running_loop().time()
        if self._unknown_since is None:
            self._unknown_since = now
        logger.warning("good standing unknown, %d streams go on: %s", self.open_streams, why)
        for watches in list(self._watches.values()):
            for watch in list(watches):
                # A stream opened during the outage was in good standing when it opened.
                unknown_for = now - max(self._unknown_since, watch.opened_at)
                if unknown_for >= self._outage_limit:
                    watch.end(f"good standing could not be checked for {unknown_for:.1f} s ({why})")

    def _end(self, caller: Caller, reason: str) -> None:
        for watch in list(self._watches.get(caller, ())):
            watch.end(reason)
