"""Reading a platform SSE stream as a client does, with the time each frame arrived.

Frames are ``id:``/``event:``/``data:`` lines ended by a blank line; lines starting with
``:`` are heartbeat comments and are not events. Only what the HTTP client delivers is
timed, never the server's own clocks.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass(frozen=True)
class Frame:
    """One SSE event and when (``time.perf_counter``) its last line was read."""

    event: str
    data: dict[str, Any]
    at: float


async def read_frames(response: httpx.Response) -> AsyncIterator[Frame]:
    """The response's SSE frames as they arrive (heartbeat comments skipped)."""
    event = ""
    data = ""
    async for line in response.aiter_lines():
        if not line:
            if event or data:
                yield Frame(
                    event or "message", json.loads(data) if data else {}, time.perf_counter()
                )
            event, data = "", ""
        elif line.startswith(":"):
            continue
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data += line[5:].strip()
    if event or data:
        yield Frame(event or "message", json.loads(data) if data else {}, time.perf_counter())


def has_text(frame: Frame) -> bool:
    """A ``message`` event carrying text for the user (a token or more)."""
    return frame.event == "message" and bool(frame.data.get("content"))


@dataclass
class StreamTiming:
    """One streamed turn, seconds from sending the request (None: never happened)."""

    sent: float = 0.0  # time.perf_counter() when the request was sent
    first_event: float | None = None
    first_token: float | None = None
    done: float | None = None
    # Arrival times of the text-carrying message frames, from sending the request.
    token_frames: list[float] = field(default_factory=list)
    error: str | None = None

    @property
    def gaps(self) -> list[float]:
        """Seconds between consecutive text-carrying frames."""
        return [b - a for a, b in zip(self.token_frames, self.token_frames[1:], strict=False)]


async def time_stream(response: httpx.Response, sent: float) -> StreamTiming:
    """Read a run's stream to its end (``done`` or ``error``), timing it from ``sent``."""
    timing = StreamTiming(sent=sent)
    if response.status_code != 200:
        timing.error = f"HTTP {response.status_code}: {(await response.aread())[:200]!r}"
        return timing
    async for frame in read_frames(response):
        elapsed = frame.at - sent
        if timing.first_event is None:
            timing.first_event = elapsed
        if has_text(frame):
            timing.token_frames.append(elapsed)
            if timing.first_token is None:
                timing.first_token = elapsed
        if frame.event == "done":
            timing.done = elapsed
            break
        if frame.event == "error":
            timing.error = str(frame.data.get("content"))
            break
    else:
        timing.error = timing.error or "the stream ended without done"
    return timing
