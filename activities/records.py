"""Writing run records: node executions and the run's outcome, idempotently.

Each write is keyed (execution id + task id, or execution id alone) so a retried
activity or a replayed workflow never writes a record twice.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession
from temporalio import activity

from activities import node_logs, node_record_sql
from activities.notification_events import notify_run_finished
from activities.run_events import RunEvents
from activities.run_outcome_sql import write_outcome
from activities.token_quota import release_execution_holds
from platform_core.db import Database
from platform_core.models import (
    HumanInterventionTask,
    WorkflowExecution,
    WorkflowNodeExecution,
)
from platform_core.run_event_log import (
    PendingEvent,
    append_and_commit,
    append_events,
    encode_events,
)
from temporal_workflows.contracts import (
    APPEND_RUN_EVENTS_ACTIVITY,
    EVENT_NODE_COMPLETED,
    EVENT_NODE_STARTED,
    FINISH_EXECUTION_ACTIVITY,
    SET_EXECUTION_STATUS_ACTIVITY,
    AppendRunEventsInput,
    ExecutionStatusInput,
    FinishExecutionInput,
    NodeActivityInput,
    NodeActivityResult,
    run_workflow_id,
)

logger = logging.getLogger(__name__)
# How long a node may run before its start is written on its own.
START_GRACE = timedelta(milliseconds=250)


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(eq=False)
class _Start:
    """A node task's start, not yet written (it may go with the task's outcome)."""

    data: NodeActivityInput
    attempt: int
    started_at: datetime
    written: bool = False
    # Its start events are on the run's stream already, sent ahead of the node's first
    # streamed batch: the record, when it is written, does not repeat them.
    announced: bool = False
    timer: asyncio.Task[None] | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class NodeRecorder:
    """Upserts the WorkflowNodeExecution row of one node task.

    A task's start is written ``start_grace`` after it begins, or, when the task ends
    sooner (most tool, code, rag and transform-like calls), in the same transaction as its
    outcome: one write per node instead of two. A node that streams sends its start
    events ahead of its first streamed batch (``run_events``), in that batch's one
    statement, so ``node_started`` still comes first on the run's stream and the first
    token does not wait for the record's transaction.
    """

    def __init__(self, database: Database, *, start_grace: timedelta = START_GRACE) -> None:
        self._db = database
        self._grace = start_grace.total_seconds()
        self._starts: dict[tuple[str, str], _Start] = {}
        node_logs.install()

    async def recorded_outcome(
        self, data: NodeActivityInput, attempt: int
    ) -> NodeActivityResult | None:
        """The task's result if an earlier attempt already recorded it as completed.

        A completion can be lost after the node's record committed: the worker dies, or
        Temporal is away when the activity reports back. Temporal then runs the task again
        (a later attempt, or the workflow's rescheduling after an outage). The record,
        keyed by the task and written with the call's charge in one transaction, is the
        ledger: its outcome is returned instead of calling the model or the tools twice
        and charging twice. A first scheduling's first attempt has nothing recorded yet,
        so it pays no read.
        """
        if attempt <= 1 and not data.rescheduled:
            return None
        async with self._db.tenant_session(data.tenant_id) as session:
            row = (
                await session.execute(
                    select(
                        col(WorkflowNodeExecution.status),
                        col(WorkflowNodeExecution.output_state),
                        col(WorkflowNodeExecution.tokens_consumed),
                        col(WorkflowNodeExecution.cost_estimate),
                        col(WorkflowNodeExecution.duration_ms),
                    ).where(
                        col(WorkflowNodeExecution.execution_id) == uuid.UUID(data.execution_id),
                        col(WorkflowNodeExecution.task_id) == data.task_id,
                    )
                )
            ).first()
        if row is None or row.status != "completed" or row.output_state is None:
            return None
        logger.info("node task %s was already completed: its recorded result is used", data.task_id)
        return NodeActivityResult(
            update=dict(row.output_state),
            tokens=int(row.tokens_consumed or 0),
            cost=float(row.cost_estimate or 0),
            duration_ms=int(row.duration_ms or 0),
        )

    async def started(self, data: NodeActivityInput, attempt: int) -> None:
        """Mark the task running (again, on a retry, with its retry count): now if there is
        no grace, else within the grace or with the outcome."""
        node_logs.start()  # this task's log lines, kept with its outcome
        start = _Start(data, attempt, _now())
        previous = self._starts.pop(_key(data), None)
        if previous is not None and previous.timer is not None:
            previous.timer.cancel()
        self._starts[_key(data)] = start
        if self._grace <= 0:
            await self.flush_started(data)
            return
        start.timer = asyncio.create_task(self._write_after_grace(start))

    async def _write_after_grace(self, start: _Start) -> None:
        await asyncio.sleep(self._grace)
        try:
            await self.flush_started(start.data)
        except Exception:  # the outcome's write carries it then
            logger.warning("node start not written yet for %s", start.data.task_id)

    async def flush_started(self, data: NodeActivityInput) -> None:
        """Write the task's start record now if it is still pending (its grace is over, or
        there is none)."""
        start = self._starts.get(_key(data))
        if start is None:
            return
        async with start.lock:
            if not start.written:
                async with self._db.tenant_session(data.tenant_id) as session:
                    await self._write_start(session, start)
            start.written = True
        # Written: the outcome is then an update of the row, and nothing is kept for a task
        # whose activity ends without reporting one (a crash, an unexpected error).
        if self._starts.get(_key(data)) is start:
            del self._starts[_key(data)]

    async def announce_start(self, data: NodeActivityInput, events: Sequence[PendingEvent]) -> None:
        """The node's first streamed batch, after its start events unless they are out.

        One statement on its own (one round trip): the first token goes out with the
        node's start, without waiting for the record's transaction. The record follows
        within the grace, or with the outcome.
        """
        start = self._starts.get(_key(data))
        if start is None:  # its record (with the start events) is written already
            await append_and_commit(
                self._db, stream_id=data.workflow_id, tenant_id=data.tenant_id, events=events
            )
            return
        async with start.lock:
            first = [] if start.written or start.announced else _start_events(start)
            await append_and_commit(
                self._db,
                stream_id=data.workflow_id,
                tenant_id=data.tenant_id,
                events=[*first, *events],
            )
            start.announced = True

    async def _write_start(self, session: AsyncSession, start: _Start) -> None:
        if start.announced:
            await session.execute(node_record_sql.STARTED, _start_row(start))
            return
        # The workflow's pending events and this node's start land with the record, in
        # the one statement the node writes anyway (and the run's current node with it).
        await node_record_sql.write(
            session,
            node_record_sql.STARTED_WITH_EVENTS,
            _start_row(start),
            start.data,
            _start_events(start),
        )

    @property
    def database(self) -> Database:
        """The database the records are written to (for a node's other one-statement reads)."""
        return self._db

    def transaction(self, tenant_id: str) -> AbstractAsyncContextManager[AsyncSession]:
        """A transaction of the tenant for several last writes of a node to share."""
        return self._db.tenant_session(tenant_id)

    def run_events(self, data: NodeActivityInput) -> RunEvents:
        """The node's publisher of token deltas and progress to its run's stream."""
        return RunEvents(
            self._db,
            data.tenant_id,
            stream_id=data.workflow_id,
            first_flush=partial(self.announce_start, data),
        )

    async def finished(
        self,
        data: NodeActivityInput,
        *,
        status: str,
        output: dict[str, Any] | None,
        error: str | None = None,
        tokens: int | None = None,
        cost: float | None = None,
        service_calls: list[dict[str, Any]] | None = None,
        session: AsyncSession | None = None,
    ) -> None:
        """Record the task's outcome and duration; a completed node also says so on its stream.

        In ``session``'s transaction when given (with the call's other last writes), else
        in one of its own.
        """
        now = _now()
        outcome: dict[str, Any] = {
            "status": status,
            "output_state": jsonable(output) if output is not None else None,
            "error_message": error,
            "completed_at": now,
            "tokens_consumed": tokens,
            "cost_estimate": Decimal(str(cost)) if cost is not None else None,
            "service_calls": service_calls or [],
            "logs": node_logs.taken(),
        }
        events = []
        if status == "completed":
            # Here, not in the workflow: a fan-out's finished branch lights up at once,
            # not when its slowest sibling ends.
            completed = {
                "event": EVENT_NODE_COMPLETED,
                "node": data.node_name,
                "step": data.step,
                "task_id": data.task_id,
            }
            events.append(PendingEvent(completed, key=f"{data.task_id}:completed"))
        start = self._starts.pop(_key(data), None)
        async with self._db.session_or_new(data.tenant_id, session) as session:
            if start is not None:
                if start.timer is not None and not start.lock.locked():
                    start.timer.cancel()  # still waiting out its grace (never mid-write)
                async with start.lock:
                    if not start.written:
                        # Ended within its grace: start and outcome in one row write and
                        # one append (the run's current node has moved on already).
                        start.written = True
                        row = {
                            **_start_row(start),
                            **outcome,
                            "duration_ms": int((now - start.started_at).total_seconds() * 1000),
                        }
                        first = [] if start.announced else _start_events(start)
                        await node_record_sql.write(
                            session, node_record_sql.QUICK_WITH_EVENTS, row, data, [*first, *events]
                        )
                        return
            values = {
                **outcome,
                "execution_id": uuid.UUID(data.execution_id),
                "task_id": data.task_id,
            }
            if not events:
                await session.execute(node_record_sql.OUTCOME, values)
                return
            await node_record_sql.write(
                session, node_record_sql.OUTCOME_WITH_EVENTS, values, data, events
            )


def _start_row(start: _Start) -> dict[str, Any]:
    data = start.data
    return {
        "id": uuid.uuid4(),
        "tenant_id": uuid.UUID(data.tenant_id),
        "execution_id": uuid.UUID(data.execution_id),
        "node_name": data.node_name,
        "node_type": data.node_type,
        "step": data.step,
        "task_id": data.task_id,
        "status": "running",
        "input_state": jsonable(data.node_input),
        "retry_count": start.attempt - 1,
        "max_retries": max(0, data.max_attempts - 1),
        "started_at": start.started_at,
    }


def _start_events(start: _Start) -> list[PendingEvent]:
    data = start.data
    started = {
        "event": EVENT_NODE_STARTED,
        "node": data.node_name,
        "step": data.step,
        "task_id": data.task_id,
        "attempt": start.attempt,
    }
    key = f"{data.task_id}:started:{data.rescheduled}:{start.attempt}"
    return [*workflow_events(data.events), PendingEvent(started, key=key)]


async def append_workflow_events(
    session: Any, tenant_id: str, execution_id: str, entries: list[dict[str, Any]]
) -> None:
    """Append, in the session's transaction, the events a workflow handed to an activity."""
    await append_events(
        session,
        stream_id=run_workflow_id(execution_id),
        tenant_id=tenant_id,
        events=workflow_events(entries),
    )


def _key(data: NodeActivityInput) -> tuple[str, str]:
    return data.execution_id, data.task_id


def workflow_events(entries: list[dict[str, Any]]) -> list[PendingEvent]:
    """The events a workflow handed to an activity, as log entries (keyed by the workflow)."""
    return [
        PendingEvent(dict(entry["event"]), key=entry.get("key"))
        for entry in entries
        if isinstance(entry, dict) and isinstance(entry.get("event"), dict)
    ]


class RecordActivities:
    """Activities that write the run's records; built once by the worker."""

    def __init__(self, database: Database) -> None:
        self._db = database

    @activity.defn(name=SET_EXECUTION_STATUS_ACTIVITY)
    async def set_execution_status(self, data: ExecutionStatusInput) -> None:
        """Record a pause, a resume or a wait (final outcomes go through finish_execution)."""
        values: dict[str, Any] = {"status": data.status}
        if data.status == "paused":
            values["paused_at"] = _now()
        async with self._db.tenant_session(data.tenant_id) as session:
            await session.execute(
                update(WorkflowExecution)
                .where(
                    col(WorkflowExecution.execution_id) == uuid.UUID(data.execution_id),
                    col(WorkflowExecution.completed_at).is_(None),
                )
                .values(**values)
            )
            await append_workflow_events(session, data.tenant_id, data.execution_id, data.events)

    @activity.defn(name=APPEND_RUN_EVENTS_ACTIVITY)
    async def append_run_events(self, data: AppendRunEventsInput) -> None:
        """Append events the workflow cannot leave for its next activity (an outage wait)."""
        async with self._db.tenant_session(data.tenant_id) as session:
            await append_workflow_events(session, data.tenant_id, data.execution_id, data.events)

    @activity.defn(name=FINISH_EXECUTION_ACTIVITY)
    async def finish_execution(self, data: FinishExecutionInput) -> None:
        """Write the outcome: execution row, assistant message, inline node records, last events.

        A completed run with nothing inline is one statement on its own (the common end of
        a run); otherwise what the run leaves behind is written first, in the same
        transaction as the outcome.
        """
        now = _now()
        values = outcome_values(data, workflow_events(data.events), now)
        if data.status == "completed" and not data.inline_nodes:
            async with self._db.autocommit() as conn:
                await write_outcome(conn, values)
            return
        execution_id = uuid.UUID(data.execution_id)
        async with self._db.tenant_session(data.tenant_id) as session:
            for record in data.inline_nodes:
                await session.execute(
                    insert(WorkflowNodeExecution)
                    .values(
                        id=uuid.uuid4(),
                        tenant_id=uuid.UUID(data.tenant_id),
                        execution_id=execution_id,
                        node_name=record.node_name,
                        node_type=record.node_type,
                        step=record.step,
                        task_id=record.task_id,
                        status=record.status,
                        output_state=jsonable(record.output),
                        error_message=record.error,
                        started_at=now,
                        completed_at=now,
                        duration_ms=0,
                    )
                    .on_conflict_do_nothing(constraint="uq_workflow_node_executions_task")
                )
            if data.status != "completed":
                await _close_what_the_run_left_open(session, data, execution_id, now)
            await notify_run_finished(session, data)  # "my run failed", with the outcome
            await write_outcome(session, values)


def outcome_values(
    data: FinishExecutionInput, events: list[PendingEvent], now: datetime
) -> dict[str, Any]:
    """``agentpaas_finish_run_as``'s arguments for ``data``: the answer is stored as a chat
    message only when the run belongs to a chat and produced one."""
    answered = bool(data.chat_id and data.assistant_message_id and data.answer is not None)
    return {
        "tenant": data.tenant_id,
        "execution": data.execution_id,
        "status": data.status,
        "final_result": {"answer": data.answer, "state": jsonable(data.final_state)},
        "error": data.error,
        "total": data.total_nodes,
        "completed": data.completed_nodes,
        "failed": data.failed_nodes,
        "now": now,
        "chat": data.chat_id if answered else None,
        "answer_id": data.assistant_message_id if answered else None,
        "answer_parent": data.parent_message_id if answered else None,
        "answer": data.answer if answered else None,
        "stream": run_workflow_id(data.execution_id),
        "events": encode_events(events),
    }


async def _close_what_the_run_left_open(
    session: Any, data: FinishExecutionInput, execution_id: uuid.UUID, now: datetime
) -> None:
    """A failed or cancelled run leaves nothing dangling, in the same write as its outcome.

    Node rows still `running` (their activity died with the run), token reservations still
    held (they would block the quota until the stale sweep) and human tasks still open.
    """
    ended = "cancelled" if data.status == "cancelled" else "failed"
    await session.execute(
        update(WorkflowNodeExecution)
        .where(
            col(WorkflowNodeExecution.execution_id) == execution_id,
            col(WorkflowNodeExecution.status).in_(("running", "pending", "waiting")),
        )
        .values(
            status=ended,
            completed_at=now,
            error_message=func.coalesce(
                WorkflowNodeExecution.error_message, f"the run was {ended} before this node ended"
            ),
        )
    )
    await release_execution_holds(session, uuid.UUID(data.tenant_id), execution_id, now)
    await session.execute(
        update(HumanInterventionTask)
        .where(
            col(HumanInterventionTask.execution_id) == execution_id,
            col(HumanInterventionTask.status).in_(("pending", "in_progress")),
        )
        .values(status="cancelled", completed_at=now)
    )


def jsonable(value: Any) -> Any:
    """JSONB wants plain JSON; anything else (datetimes, UUIDs) becomes its string."""
    return json.loads(json.dumps(value, default=str))
