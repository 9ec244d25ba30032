"""Fixed-window counters in PostgreSQL: one upsert per request, shared by every replica.

The window is computed from the database clock, so replicas with skewed clocks still
agree on it. The upsert commits on its own without waiting for the WAL flush: a request
pays one round trip for it, and a crash can lose at most the last instants' counts.
Several buckets are counted in one statement, in a fixed order, so two
requests sharing buckets never lock them in opposite orders.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import text

from platform_api.ratelimit.buckets import Bucket
from platform_core.db import Database

_HIT = text(
    """
    WITH relaxed AS (
        -- A count lost in a database crash costs nothing: no wait for the WAL flush.
        SELECT set_config('synchronous_commit', 'off', true)
    ), win AS (
        SELECT to_timestamp(
            (floor(extract(epoch FROM clock_timestamp()) / CAST(:window AS integer))
             * CAST(:window AS integer))::float8
        ) AS start
    )
    INSERT INTO rate_limit_counters AS c (bucket, window_start, hits)
    SELECT b.bucket, win.start, 1
    FROM unnest(CAST(:buckets AS text[])) WITH ORDINALITY AS b(bucket, n), win, relaxed
    ORDER BY b.n
    ON CONFLICT (bucket) DO UPDATE
    SET hits = CASE WHEN c.window_start = EXCLUDED.window_start THEN c.hits + 1 ELSE 1 END,
        window_start = EXCLUDED.window_start
    RETURNING c.bucket, c.hits,
        extract(epoch FROM c.window_start - clock_timestamp())::float8
        + CAST(:window AS integer) AS reset_in
    """
)
_SWEEP = text(
    "DELETE FROM rate_limit_counters "
    "WHERE window_start < clock_timestamp() - make_interval(secs => CAST(:keep AS integer))"
)


@dataclass(frozen=True)
class Count:
    """A bucket's hits in the current window and what that leaves."""

    limit: int
    hits: int
    reset_seconds: int

    @property
    def remaining(self) -> int:
        """Requests left in this window."""
        return max(0, self.limit - self.hits)

    @property
    def exceeded(self) -> bool:
        """True once this request went past the limit."""
        return self.hits > self.limit


async def hit(database: Database, buckets: list[Bucket], window_seconds: int) -> list[Count]:
    """Count one request against each bucket; their counts after it, in the given order."""
    ordered = sorted(buckets, key=lambda b: b.id)
    # One statement, committed on its own: one round trip, no BEGIN and COMMIT around it.
    async with database.autocommit() as conn:
        rows = (
            await conn.execute(_HIT, {"buckets": [b.id for b in ordered], "window": window_seconds})
        ).all()
    hits = {str(row[0]): (int(row[1]), float(row[2])) for row in rows}
    return [
        Count(
            limit=b.limit,
            hits=hits[b.id][0],
            reset_seconds=max(1, math.ceil(hits[b.id][1])),
        )
        for b in buckets
    ]


async def sweep(database: Database, window_seconds: int) -> int:
    """Delete counters whose window ended long ago; how many went."""
    async with database.engine.begin() as conn:
        result = await conn.execute(_SWEEP, {"keep": 2 * window_seconds})
    return int(getattr(result, "rowcount", 0) or 0)
