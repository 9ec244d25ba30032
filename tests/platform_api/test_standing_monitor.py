"""One good-standing check per interval for all the open streams of a process (issue 22).

A fake check stands in for the database: it records each call and answers per caller.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any

from platform_api.auth.caller import Caller
from platform_api.auth.standing import while_in_good_standing
from platform_api.auth.standing_monitor import StandingMonitor
from platform_api.streaming.sse import format_frame
from platform_core.db import DatabaseUnavailable
from tests.helpers import parse_sse


def _caller(name: str) -> Caller:
    return Caller(user_id=uuid.uuid4(), tenant_id=uuid.uuid4(), role="user", email=f"{name}@x.test")


class _Check:
    """Records every call; refuses the callers in ``refused``; raises ``failure`` if set."""

    def __init__(self) -> None:
        self.calls: list[list[Caller]] = []
        self.refused: dict[Caller, str] = {}
        self.failure: Exception | None = None

    async def __call__(self, callers: Sequence[Caller]) -> list[str | None]:
        self.calls.append(list(callers))
        if self.failure is not None:
            raise self.failure
        return [self.refused.get(caller) for caller in callers]


async def _idle() -> AsyncIterator[bytes]:
    await asyncio.Event().wait()
    yield b""  # never reached


async def _ticking(every: float = 0.01) -> AsyncIterator[bytes]:
    offset = 0
    while True:
        await asyncio.sleep(every)
        yield format_frame(offset, "message", {"content": str(offset)})
        offset += 1


class _Stream:
    """One open stream of ``caller``, drained in the background."""

    def __init__(self, monitor: StandingMonitor, caller: Caller, frames: AsyncIterator[bytes]):
        self.body = b""
        self.task = asyncio.create_task(self._drain(monitor, caller, frames))

    async def _drain(
        self, monitor: StandingMonitor, caller: Caller, frames: AsyncIterator[bytes]
    ) -> None:
        async for frame in while_in_good_standing(frames, monitor=monitor, caller=caller):
            self.body += frame

    def frames(self) -> list[dict[str, Any]]:
        return parse_sse(self.body.decode())

    async def stop(self) -> None:
        self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)


async def _until(condition: Any, timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


async def test_one_check_per_interval_for_all_streams_and_their_distinct_callers() -> None:
    check = _Check()
    monitor = StandingMonitor(check, every_seconds=0.1, outage_seconds=5)
    callers = [_caller(f"u{i}") for i in range(3)]
    streams = [_Stream(monitor, callers[i % 3], _idle()) for i in range(60)]
    streams += [_Stream(monitor, callers[0], _ticking()) for _ in range(5)]
    try:
        await asyncio.sleep(0.55)
        assert monitor.open_streams == 65
        # Five intervals: about five calls (fewer on a busy machine), never one per stream.
        assert 2 <= len(check.calls) <= 6, len(check.calls)
        for asked in check.calls:
            assert sorted(asked, key=str) == sorted(callers, key=str)  # each caller once
        assert not any(s.task.done() for s in streams)
    finally:
        for stream in streams:
            await stream.stop()
        await monitor.close()
    assert monitor.open_streams == 0


async def test_a_refusal_ends_only_the_refused_callers_streams() -> None:
    check = _Check()
    monitor = StandingMonitor(check, every_seconds=0.05, outage_seconds=5)
    alice, bob = _caller("alice"), _caller("bob")
    alices = [_Stream(monitor, alice, _idle()), _Stream(monitor, alice, _ticking())]
    bobs = [_Stream(monitor, bob, _idle()), _Stream(monitor, bob, _ticking())]
    try:
        await asyncio.sleep(0.12)
        check.refused[alice] = "the account is no longer active"
        await _until(lambda: all(s.task.done() for s in alices))
        for stream in alices:
            last = stream.frames()[-1]
            assert last["event"] == "error"
            assert last["data"]["content"] == "stream ended: the account is no longer active"
        await asyncio.sleep(0.2)  # more checks: Bob is still fine
        assert not any(s.task.done() for s in bobs)
        assert "error" not in {f["event"] for s in bobs for f in s.frames()}
        assert monitor.open_streams == 2
        assert alice not in check.calls[-1]  # ended streams are no longer asked about
    finally:
        for stream in alices + bobs:
            await stream.stop()
        await monitor.close()


async def test_no_open_stream_means_no_check_and_no_task() -> None:
    check = _Check()
    monitor = StandingMonitor(check, every_seconds=0.02, outage_seconds=5)
    await asyncio.sleep(0.1)
    assert check.calls == []

    stream = _Stream(monitor, _caller("carol"), _idle())
    await _until(lambda: len(check.calls) >= 2)
    await stream.stop()
    await asyncio.sleep(0)
    assert monitor._task is None  # the last stream closed: the monitor sleeps no more
    asked = len(check.calls)
    await asyncio.sleep(0.1)
    assert len(check.calls) == asked

    again = _Stream(monitor, _caller("dave"), _idle())  # and wakes up for the next stream
    await _until(lambda: len(check.calls) > asked)
    await again.stop()
    await monitor.close()


async def test_an_outage_ends_every_stream_only_after_the_limit() -> None:
    check = _Check()
    monitor = StandingMonitor(check, every_seconds=0.05, outage_seconds=0.6)
    first = _Stream(monitor, _caller("erin"), _idle())
    streams = [first]
    try:
        await asyncio.sleep(0.08)
        check.failure = DatabaseUnavailable("the database is unreachable")
        started = asyncio.get_running_loop().time()
        await asyncio.sleep(0.45)
        # Opened during the outage: it was in good standing when it opened.
        late = _Stream(monitor, _caller("frank"), _idle())
        streams.append(late)
        await _until(first.task.done)
        assert asyncio.get_running_loop().time() - started >= 0.6
        [error] = first.frames()
        assert error["data"]["content"].startswith(
            "stream ended: good standing could not be checked for "
        )
        assert error["data"]["content"].endswith(" s (the database is unreachable)")
        assert not late.task.done()

        check.failure = None  # the database is back: standing known again
        await asyncio.sleep(0.5)
        assert not late.task.done()

        # A second short outage counts from its own start, not from the first one's.
        check.failure = DatabaseUnavailable("the database is unreachable again")
        await asyncio.sleep(0.3)
        assert not late.task.done()
    finally:
        for stream in streams:
            await stream.stop()
        await monitor.close()


async def test_a_failing_check_ends_all_streams_it_was_asked_for() -> None:
    check = _Check()
    monitor = StandingMonitor(check, every_seconds=0.05, outage_seconds=5)
    streams = [_Stream(monitor, _caller(name), _idle()) for name in ("gus", "hal")]
    check.failure = KeyError("internals")
    try:
        await _until(lambda: all(s.task.done() for s in streams))
        for stream in streams:
            [error] = stream.frames()
            assert error["data"]["content"] == "stream ended: good standing check failed (KeyError)"
    finally:
        await monitor.close()


async def test_frames_pass_through_unchanged_and_the_source_is_closed() -> None:
    closed = asyncio.Event()

    async def source() -> AsyncIterator[bytes]:
        try:
            for offset in range(1000):
                yield format_frame(offset, "message", {"content": str(offset)})
                if offset % 100 == 0:
                    await asyncio.sleep(0)
            await asyncio.Event().wait()
            yield b""  # never reached
        finally:
            closed.set()

    check = _Check()
    monitor = StandingMonitor(check, every_seconds=0.05, outage_seconds=5)
    caller = _caller("ivy")
    stream = _Stream(monitor, caller, source())
    try:
        await asyncio.sleep(0.08)
        check.refused[caller] = "the API key was revoked"
        await asyncio.wait_for(stream.task, timeout=5)
    finally:
        await monitor.close()
    frames = stream.frames()
    assert [f["data"]["content"] for f in frames[:-1]] == [str(i) for i in range(1000)]
    assert frames[-1]["data"]["content"] == "stream ended: the API key was revoked"
    assert closed.is_set(), "the source was left open"
