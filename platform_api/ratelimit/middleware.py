"""The rate-limit middleware: count each API request, add the headers, refuse past the limit.

Pure ASGI (like the observability middleware) so SSE responses stream through
untouched; a stream counts once, when it is opened. Headers follow the IETF
RateLimit header fields draft (``RateLimit-Limit``/``-Remaining``/``-Reset`` in
seconds, ``RateLimit-Policy``) plus the common ``X-RateLimit-*`` spellings. When
the counters cannot be reached the request goes through (fail open, logged): the
limiter protects the API and must not become the reason it is down.
"""

from __future__ import annotations

import itertools
import logging

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from platform_api.api.state import AppServices
from platform_api.errors import problem
from platform_api.ratelimit import counters
from platform_api.ratelimit.buckets import buckets_for, is_limited

logger = logging.getLogger(__name__)
# Expired counters are swept by whichever replica happens to serve every Nth request.
SWEEP_EVERY = 1000


def rate_limit_headers(count: counters.Count, window_seconds: int) -> dict[str, str]:
    """The standard headers describing one bucket's state."""
    values = {
        "Limit": str(count.limit),
        "Remaining": str(count.remaining),
        "Reset": str(count.reset_seconds),
    }
    headers = {f"RateLimit-{k}": v for k, v in values.items()}
    headers.update({f"X-RateLimit-{k}": v for k, v in values.items()})
    headers["RateLimit-Policy"] = f"{count.limit};w={window_seconds}"
    return headers


class RateLimiter:
    """Counts API requests per credential and per client IP against the settings' limits."""

    def __init__(self, app: ASGIApp, services: AppServices) -> None:
        self.app = app
        self.services = services
        self._requests = itertools.count(1)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_limited(scope):
            await self.app(scope, receive, send)
            return
        settings = self.services.settings
        buckets = buckets_for(scope, settings)
        if not buckets:
            await self.app(scope, receive, send)
            return
        window = settings.rate_limit_window_seconds
        database = self.services.database
        try:
            counts = await counters.hit(database, buckets, window)
            if next(self._requests) % SWEEP_EVERY == 0:
                await counters.sweep(database, window)
        except Exception:  # the database is down or slow: serve rather than refuse
            logger.warning("rate-limit counters unavailable; request not limited", exc_info=True)
            await self.app(scope, receive, send)
            return
        exceeded = [c for c in counts if c.exceeded]
        # Report the bucket closest to its limit: that is the one the client must respect.
        shown = (
            max(exceeded, key=lambda c: c.reset_seconds)
            if exceeded
            else min(counts, key=lambda c: (c.remaining, -c.reset_seconds))
        )
        headers = rate_limit_headers(shown, window)
        if exceeded:
            headers["Retry-After"] = str(shown.reset_seconds)
            response = problem(
                429,
                "Too many requests",
                f"rate limit of {shown.limit} requests per {window} s exceeded; "
                f"retry in {shown.reset_seconds} s",
                slug="rate-limited",
                headers=headers,
                instance=str(scope.get("path", "")),
            )
            await response(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                for name, value in headers.items():
                    response_headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
