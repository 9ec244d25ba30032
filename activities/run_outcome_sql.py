"""A run's outcome as one statement: ``agentpaas_finish_run_as`` (migration 0024).

The node totals, the assistant's message and its chat, the execution row and the run's
last events are written by one function that enters the run's tenant itself: on an
autocommit connection that is one round trip at the end of a run, where a transaction
of its own cost eight. Inside a transaction of the same tenant (a failed or cancelled
run closes what it left open first) it joins that transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel.ext.asyncio.session import AsyncSession

_FINISH_AS = text(
    "SELECT agentpaas_finish_run_as(CAST(:tenant AS uuid), CAST(:execution AS uuid), "
    "CAST(:status AS text), CAST(:final_result AS jsonb), CAST(:error AS jsonb), "
    "CAST(:total AS integer), CAST(:completed AS integer), CAST(:failed AS integer), "
    "CAST(:now AS timestamptz), CAST(:chat AS uuid), CAST(:answer_id AS uuid), "
    "CAST(:answer_parent AS uuid), CAST(:answer AS text), CAST(:stream AS varchar), "
    "CAST(:events AS jsonb))"
).bindparams(
    # None is SQL NULL (no error), not the JSON value null.
    bindparam("final_result", type_=JSONB(none_as_null=True)),
    bindparam("error", type_=JSONB(none_as_null=True)),
)


async def write_outcome(executor: AsyncConnection | AsyncSession, values: dict[str, Any]) -> None:
    """Run the outcome's statement on ``executor``: an autocommit connection (it commits
    on its own) or a session of the run's tenant (it commits with the session)."""
    await executor.execute(_FINISH_AS, values)
