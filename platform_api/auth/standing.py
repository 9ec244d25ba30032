"""Is a caller still in good standing? Asked again while a long response runs.

A request is authenticated once, at its start; a Server-Sent Events stream can outlive
that moment by minutes. Each open stream is watched by the process's
:class:`~platform_api.auth.standing_monitor.StandingMonitor`, which asks
:func:`standing_problems` for all their callers at once every few seconds, so suspending a
user or a tenant, revoking a key or logging out everywhere also ends the streams already
open. :func:`standing_problem_of` holds the rules; everything that decides standing uses it.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import text

from platform_api.auth.caller import Caller
from platform_api.auth.standing_monitor import StandingMonitor
from platform_api.streaming.sse import error_frame, never_silent
from platform_core.db import Database

# A security-definer function (migration 0012): one query for callers of many tenants.
_STANDING_QUERY = text(
    "SELECT ord, tenant_status, user_status, token_version, key_id, key_revoked_at, "
    "key_expires_at FROM agentpaas_stream_standing(:user_ids, :tenant_ids, :key_ids)"
)


@dataclass(frozen=True)
class StandingFacts:
    """What standing is decided on, as stored now; None where the row is missing."""

    tenant_status: str | None
    user_status: str | None
    token_version: int | None
    key_found: bool = False
    key_revoked_at: datetime | None = None
    key_expires_at: datetime | None = None


def standing_problem_of(caller: Caller, facts: StandingFacts, *, now: datetime) -> str | None:
    """Why ``caller`` may no longer be served given ``facts``, or None in good standing."""
    if facts.tenant_status != "active":
        return "the tenant is no longer active"
    if facts.user_status != "active":
        return "the account is no longer active"
    if caller.token_version is not None and facts.token_version != caller.token_version:
        return "the session was revoked"
    if caller.api_key_id is not None:
        if not facts.key_found or facts.key_revoked_at is not None:
            return "the API key was revoked"
        if facts.key_expires_at is not None and facts.key_expires_at <= now:
            return "the API key expired"
    return None


async def standing_problems(*, database: Database, callers: Sequence[Caller]) -> list[str | None]:
    """Each caller's problem (None: in good standing), read in one query for all of them.

    Raises :class:`~platform_core.db.DatabaseUnavailable` when the database is out of reach.
    """
    if not callers:
        return []
    params = {
        "user_ids": [c.user_id for c in callers],
        "tenant_ids": [c.tenant_id for c in callers],
        "key_ids": [c.api_key_id for c in callers],
    }
    async with database.system_session() as session:
        rows = (await session.execute(_STANDING_QUERY, params)).mappings().all()
    facts = {
        int(row["ord"]): StandingFacts(
            tenant_status=row["tenant_status"],
            user_status=row["user_status"],
            token_version=row["token_version"],
            key_found=row["key_id"] is not None,
            key_revoked_at=row["key_revoked_at"],
            key_expires_at=row["key_expires_at"],
        )
        for row in rows
    }
    now = datetime.now(UTC)
    return [
        standing_problem_of(caller, facts[position], now=now)
        for position, caller in enumerate(callers, start=1)
    ]


async def while_in_good_standing(
    frames: AsyncIterator[bytes], *, monitor: StandingMonitor, caller: Caller
) -> AsyncIterator[bytes]:
    """``frames``, ended with an ``error`` frame once ``monitor`` refuses the caller.

    Also while the stream is idle. ``frames`` that raise end with an ``error`` frame too
    (:func:`~platform_api.streaming.sse.never_silent`): a stream is never just cut.
    """
    async with monitor.watch(caller) as refused:
        source = never_silent(frames)
        # Waiting for a frame runs under a timeout without deadline: it costs no timer, and
        # a refusal cuts the wait short by giving it one (asyncio's own way to cancel a
        # wait from outside and tell that cancellation from any other).
        waiting: asyncio.Timeout | None = None

        def cut_short(_: asyncio.Future[str]) -> None:
            if waiting is not None:  # else a frame is being sent: the loop sees it next
                waiting.reschedule(-math.inf)

        refused.add_done_callback(cut_short)
        try:
            while not refused.done():
                try:
                    async with asyncio.timeout(None) as waiting:
                        frame = await anext(source)
                except StopAsyncIteration:
                    return
                except TimeoutError:
                    break  # only the refusal: never_silent turns the source's errors to frames
                finally:
                    waiting = None
                yield frame
            yield error_frame(f"stream ended: {refused.result()}")
        finally:
            refused.remove_done_callback(cut_short)
            if isinstance(source, AsyncGenerator):  # it is; the annotation says less
                await source.aclose()
