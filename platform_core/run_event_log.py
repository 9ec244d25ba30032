"""Appending to and reading the durable run event log, and what its notifications say.

Writers (workers' activities) call :func:`append_events` inside a tenant session: one
round trip appends a batch and notifies it on :data:`CHANNEL` when the transaction
commits. A batch with nothing else to commit goes with :func:`append_and_commit`: one
statement on its own, which enters the tenant itself (no BEGIN, set_config or COMMIT).
Readers (the API's streams) replay with :func:`read_committed`, the same one-statement
way (:func:`read_events` reads inside a caller's transaction), and follow the live path
through one listening connection per process (``platform_api.streaming.hub``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_core.db import Database

CHANNEL = "agentpaas_run_events"
# How many events one read returns at most: a reader wanting more reads again from there.
READ_PAGE = 1000

_APPEND = text(
    "SELECT agentpaas_append_run_events(CAST(:stream AS varchar), CAST(:tenant AS uuid), "
    "CAST(:events AS jsonb))"
)
# The same append in the tenant it names (migration 0023), for a statement on its own.
_APPEND_AS = text(
    "SELECT agentpaas_append_run_events_as(CAST(:stream AS varchar), CAST(:tenant AS uuid), "
    "CAST(:events AS jsonb))"
)
_READ_AS = text(
    "SELECT seq, event FROM agentpaas_read_run_events_as(CAST(:stream AS varchar), "
    "CAST(:tenant AS uuid), CAST(:from_seq AS integer), CAST(:limit AS integer))"
)
_READ = text(
    "SELECT seq, event FROM run_events WHERE stream_id = :stream AND seq >= :from_seq "
    "ORDER BY seq LIMIT :limit"
)


@dataclass(frozen=True)
class PendingEvent:
    """An event to append; a ``key`` makes the append idempotent (retries write it once)."""

    event: dict[str, Any]
    key: str | None = None


@dataclass(frozen=True)
class Notification:
    """One appended event as the listener hears it; ``event`` is None when it was too big."""

    stream_id: str
    seq: int
    tenant_id: str
    event: dict[str, Any] | None


def encode_events(events: Sequence[PendingEvent]) -> str:
    """The JSON array :func:`append_events` hands to the SQL function."""
    return json.dumps(
        [{"key": e.key, "event": e.event} for e in events], ensure_ascii=False, default=str
    )


async def append_events(
    session: AsyncSession, *, stream_id: str, tenant_id: str, events: Sequence[PendingEvent]
) -> int:
    """Append ``events`` to the stream in the session's transaction; how many were new."""
    if not events:
        return 0
    result = await session.execute(
        _APPEND, {"stream": stream_id, "tenant": tenant_id, "events": encode_events(events)}
    )
    return int(result.scalar_one())


async def append_and_commit(
    database: Database, *, stream_id: str, tenant_id: str, events: Sequence[PendingEvent]
) -> int:
    """Append ``events`` to the stream and commit them, in one round trip; how many were new.

    Raises ``DatabaseUnavailable`` when the database cannot be reached (nothing written).
    """
    if not events:
        return 0
    async with database.autocommit() as conn:
        result = await conn.execute(
            _APPEND_AS,
            {"stream": stream_id, "tenant": tenant_id, "events": encode_events(events)},
        )
        return int(result.scalar_one())


async def read_events(
    session: AsyncSession, *, stream_id: str, from_seq: int, limit: int = READ_PAGE
) -> list[tuple[int, dict[str, Any]]]:
    """Up to ``limit`` events of the stream from offset ``from_seq``, in order."""
    rows = await session.execute(_READ, {"stream": stream_id, "from_seq": from_seq, "limit": limit})
    return [(int(seq), dict(event)) for seq, event in rows.all()]


async def read_committed(
    database: Database, *, tenant_id: str, stream_id: str, from_seq: int, limit: int = READ_PAGE
) -> list[tuple[int, dict[str, Any]]]:
    """:func:`read_events` as one statement on its own (one round trip), in the tenant.

    Raises ``DatabaseUnavailable`` when the database cannot be reached.
    """
    async with database.autocommit() as conn:
        rows = await conn.execute(
            _READ_AS,
            {"stream": stream_id, "tenant": tenant_id, "from_seq": from_seq, "limit": limit},
        )
        return [(int(seq), dict(event)) for seq, event in rows.all()]


def parse_notification(payload: str) -> Notification | None:
    """A notification's payload, or None if it is not one of ours."""
    try:
        body = json.loads(payload)
        return Notification(
            stream_id=str(body["s"]),
            seq=int(body["q"]),
            tenant_id=str(body["t"]),
            event=body.get("e") if isinstance(body.get("e"), dict) else None,
        )
    except (ValueError, KeyError, TypeError):
        return None
