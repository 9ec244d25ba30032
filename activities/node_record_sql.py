"""A node record's writes as statements built once, with bound parameters.

Every node writes its record once or twice; building ``insert(...).values(**row)`` for
each write coerces every value into an SQL literal and computes a cache key over them:
more worker CPU than the database spends on the write (bench/node_overhead.py). These
statements are written out once (plain SQL: nothing is added to them per call) and only
bound per write; each writes the record and appends its events in one round trip
(data-modifying CTEs beside the event log's append).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.sql.elements import TextClause
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_core.run_event_log import PendingEvent, encode_events
from temporal_workflows.contracts import NodeActivityInput

# The row's identity: kept when a retry's write meets the row an earlier attempt made.
KEYS = ("id", "tenant_id", "execution_id", "task_id")
START_COLUMNS = (
    *KEYS,
    "node_name",
    "node_type",
    "step",
    "status",
    "input_state",
    "retry_count",
    "max_retries",
    "started_at",
)
OUTCOME_COLUMNS = (
    "status",
    "output_state",
    "error_message",
    "completed_at",
    "tokens_consumed",
    "cost_estimate",
    "service_calls",
    "logs",
)
_QUICK_COLUMNS = (*START_COLUMNS, *(c for c in OUTCOME_COLUMNS if c != "status"), "duration_ms")
_JSON = ("input_state", "output_state", "service_calls", "logs")
_APPEND = (
    "SELECT agentpaas_append_run_events(CAST(:stream AS varchar), CAST(:tenant AS uuid), "
    "CAST(:events AS jsonb))"
)


def _typed(sql: str) -> TextClause:
    present = [name for name in _JSON if f":{name}" in sql]
    return text(sql).bindparams(*(bindparam(name, type_=JSONB) for name in present))


def _insert(columns: tuple[str, ...], on_conflict: str) -> str:
    return (
        f"INSERT INTO workflow_node_executions ({', '.join(columns)}) "
        f"VALUES ({', '.join(':' + c for c in columns)}) "
        f"ON CONFLICT ON CONSTRAINT uq_workflow_node_executions_task DO UPDATE SET {on_conflict}"
    )


# A node starts (again, on a retry: running, with its retry count, its last error gone),
# the run's current node with it.
_STARTED = (
    "WITH started AS ("
    + _insert(
        START_COLUMNS,
        "status = 'running', retry_count = EXCLUDED.retry_count, error_message = NULL",
    )
    + ")"
)
_CURRENT_NODE = (
    "UPDATE workflow_executions SET current_node = :node_name WHERE execution_id = :execution_id"
)
STARTED_WITH_EVENTS = _typed(f"{_STARTED}, current AS ({_CURRENT_NODE}) {_APPEND}")
# The same, its start events already out on the stream (with its first streamed batch).
STARTED = _typed(f"{_STARTED} {_CURRENT_NODE}")
# A node that ended within its grace: start and outcome in one row write.
QUICK_WITH_EVENTS = _typed(
    "WITH quick AS ("
    + _insert(
        _QUICK_COLUMNS,
        ", ".join(f"{c} = EXCLUDED.{c}" for c in _QUICK_COLUMNS if c not in KEYS),
    )
    + ") "
    + _APPEND
)
# A started node's outcome; its duration from the row's own start, in the same statement.
_OUTCOME = (
    "UPDATE workflow_node_executions SET "
    + ", ".join(f"{c} = :{c}" for c in OUTCOME_COLUMNS)
    + ", duration_ms = CAST(extract(epoch FROM CAST(:completed_at AS timestamptz) - started_at)"
    " * 1000 AS integer) WHERE execution_id = :execution_id AND task_id = :task_id"
)
OUTCOME = _typed(_OUTCOME)
OUTCOME_WITH_EVENTS = _typed(f"WITH outcome AS ({_OUTCOME}) {_APPEND}")


async def write(
    session: AsyncSession,
    statement: TextClause,
    values: dict[str, Any],
    data: NodeActivityInput,
    events: Sequence[PendingEvent],
) -> None:
    """Execute one of the ``*_WITH_EVENTS`` statements: the record's ``values`` and the
    events appended to the node's run stream."""
    await session.execute(
        statement,
        {
            **values,
            "stream": data.workflow_id,
            "tenant": data.tenant_id,
            "events": encode_events(events),
        },
    )
