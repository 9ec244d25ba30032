"""A run's llm node waits for a budget: its row in ``budget_waits``, its node record and
its user's notification, written together in one transaction.

The row is what the API reads to find the runs to wake when an admin raises a budget,
and what the executions list shows as "waiting for budget".
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession
from temporalio import activity
from temporalio.service import RPCError

from activities.notification_events import notify_run_waiting_for_budget
from activities.token_quota import BudgetExhausted, Counter, Reservation, room_left
from platform_core.db import Database
from platform_core.models import BudgetWait, WorkflowExecution
from temporal_workflows.contracts import BUDGET_CHANGED_SIGNAL, NodeActivityInput

# Which counters some run waits on, in the tenant the statement names (migration 0023).
_WAITED_ON = text(
    "SELECT scope, subject_id FROM agentpaas_budget_waited_on_as(CAST(:tenant AS uuid), "
    "CAST(:scopes AS text[]), CAST(:subjects AS uuid[]))"
)
# A run in one of these states can still be waiting (a finished run's row is history).
ACTIVE_RUN = ("pending", "running", "paused", "interrupted")


async def record_budget_wait(
    session: AsyncSession, data: NodeActivityInput, exhausted: BudgetExhausted
) -> None:
    """Say (idempotently) that this node task waits for the budget ``exhausted`` names."""
    values = {
        "tenant_id": uuid.UUID(data.tenant_id),
        "node_name": data.node_name[:128],
        "scope": exhausted.scope,
        "subject_id": exhausted.subject_id,
        "period_end": exhausted.period_end,
    }
    await session.execute(
        insert(BudgetWait)
        .values(
            execution_id=uuid.UUID(data.execution_id),
            task_id=data.task_id,
            since=datetime.now(UTC),
            **values,
        )
        # Waiting again (still exhausted after a raise): the budget it waits for may differ.
        .on_conflict_do_update(index_elements=["execution_id", "task_id"], set_=values)
    )
    await notify_run_waiting_for_budget(session, data, exhausted.details())


async def wake_waiters(database: Database, reservation: Reservation) -> int:
    """After a call gave back tokens it held (settled below its reservation, or failed):
    signal runs waiting on one of its counters that now has room, so they ask again now
    rather than at the period's end: the longest waiting first, about as many as a call of
    this size fits (plus one), not every waiting run on every call. A run that wrote its
    wait after this read asks again by itself
    (``LlmNodeActivities._wait_and_ask_again``). Returns how many runs were told."""
    tenant = uuid.UUID(reservation.tenant_id)
    waited = await waited_on(database, tenant, reservation.counters)
    if not waited:
        return 0
    workflow_ids: list[str] = []
    async with database.tenant_session(tenant) as session:
        for counter in waited:
            room = await room_left(session, tenant, counter)
            if room is not None and room <= 0:
                continue  # still used up: its waiters would only be refused again
            statement = (
                select(col(WorkflowExecution.workflow_id))
                .join(
                    BudgetWait,
                    col(BudgetWait.execution_id) == col(WorkflowExecution.execution_id),
                )
                .where(
                    col(BudgetWait.scope) == counter[0],
                    col(BudgetWait.subject_id) == counter[1],
                    col(WorkflowExecution.status).in_(ACTIVE_RUN),
                )
                .order_by(col(BudgetWait.since))
            )
            if room is not None:
                statement = statement.limit(room // max(1, reservation.tokens) + 1)
            workflow_ids.extend(w for w in (await session.execute(statement)).scalars())
    told = 0
    for workflow_id in dict.fromkeys(workflow_ids):
        try:
            await activity.client().get_workflow_handle(workflow_id).signal(BUDGET_CHANGED_SIGNAL)
            told += 1
        except RPCError as exc:  # it ended meanwhile; or Temporal is away (its timer wakes it)
            activity.logger.info("budget_changed not delivered to %s: %s", workflow_id, exc)
    return told


async def waited_on(
    database: Database, tenant: uuid.UUID, counters: Sequence[Counter]
) -> list[Counter]:
    """Which of ``counters`` some run waits on: one statement on its own (one round trip),
    which nearly always finds none; then a call pays nothing more for the runs it could
    wake."""
    if not counters:
        return []
    async with database.autocommit() as conn:
        rows = await conn.execute(
            _WAITED_ON,
            {
                "tenant": tenant,
                "scopes": [scope for scope, _ in counters],
                "subjects": [subject for _, subject in counters],
            },
        )
        waited = {(str(scope), subject) for scope, subject in rows.all()}
    return [counter for counter in counters if counter in waited]
