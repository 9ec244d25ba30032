"""Is a caller still in good standing? Asked again while a long response runs.

A request is authenticated once, at its start; a Server-Sent Events stream can
outlive that moment by minutes. Streams call :func:`standing_problem` every few
seconds, so suspending a user or a tenant, revoking a key or logging out
everywhere also ends the streams already open.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from functools import partial

from platform_api.auth.caller import Caller
from platform_api.streaming.sse import end_when_refused
from platform_core.db import Database, DatabaseUnavailable
from platform_core.models import ApiKey, Tenant, User
from platform_core.settings import Settings


async def standing_problem(*, database: Database, caller: Caller) -> str | None:
    """Why the caller may no longer be served, or None while they are in good standing."""
    async with database.tenant_session(caller.tenant_id) as session:
        user = await session.get(User, caller.user_id)
        tenant = await session.get(Tenant, caller.tenant_id)
        key = await session.get(ApiKey, caller.api_key_id) if caller.api_key_id else None
    if tenant is None or tenant.status != "active":
        return "the tenant is no longer active"
    if user is None or user.status != "active":
        return "the account is no longer active"
    if caller.token_version is not None and user.token_version != caller.token_version:
        return "the session was revoked"
    if caller.api_key_id is not None:
        if key is None or key.revoked_at is not None:
            return "the API key was revoked"
        if key.expires_at is not None and key.expires_at <= datetime.now(UTC):
            return "the API key expired"
    return None


def while_in_good_standing(
    frames: AsyncIterator[bytes], *, database: Database, settings: Settings, caller: Caller
) -> AsyncIterator[bytes]:
    """``frames``, ended with an ``error`` frame once the caller loses good standing.

    A database outage leaves standing unknown, not lost: the stream goes on (its run lives
    in Temporal) until the outage outlasts ``stream_standing_outage_seconds``.
    """
    return end_when_refused(
        frames,
        partial(standing_problem, database=database, caller=caller),
        every_seconds=settings.stream_standing_check_seconds,
        unknown=(DatabaseUnavailable,),
        unknown_limit_seconds=settings.stream_standing_outage_seconds,
    )
