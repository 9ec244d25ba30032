"""Runs as their users see them: reading them (with object-level checks), controlling them,
and what a retry reuses."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from temporalio.client import Client
from temporalio.service import RPCError

from platform_api.access.rules import may_read_others_runs
from platform_api.api.temporal_errors import temporal_problem
from platform_api.auth.caller import Caller
from platform_api.errors import Conflict, NotFound
from platform_api.paging import PageParams, paginate
from platform_core.models import WorkflowExecution, WorkflowNodeExecution


async def get_execution_for(
    *, session: AsyncSession, caller: Caller, execution_id: uuid.UUID
) -> WorkflowExecution:
    """An execution the caller may see: their own, or any in the tenant for admins/reviewers."""
    execution = await session.get(WorkflowExecution, execution_id)
    if execution is None:
        raise NotFound("execution not found")
    if execution.user_id != caller.user_id and not may_read_others_runs(caller):
        raise NotFound("execution not found")
    return execution


async def node_executions(
    *, session: AsyncSession, execution_id: uuid.UUID
) -> list[WorkflowNodeExecution]:
    """A run's node executions in the order they ran (step, then task)."""
    rows = await session.execute(
        select(WorkflowNodeExecution)
        .where(col(WorkflowNodeExecution.execution_id) == execution_id)
        .order_by(col(WorkflowNodeExecution.step), col(WorkflowNodeExecution.task_id))
    )
    return list(rows.scalars())


async def list_executions(
    *,
    session: AsyncSession,
    caller: Caller,
    page: PageParams,
    agent_id: uuid.UUID | None = None,
    chat_id: uuid.UUID | None = None,
    status: str | None = None,
    since: datetime | None = None,
) -> tuple[list[WorkflowExecution], int]:
    """Runs, newest first: the caller's own, or the tenant's for those who may read others'."""
    statement = select(WorkflowExecution)
    if not may_read_others_runs(caller):
        statement = statement.where(col(WorkflowExecution.user_id) == caller.user_id)
    if agent_id:
        statement = statement.where(col(WorkflowExecution.agent_id) == agent_id)
    if chat_id:
        statement = statement.where(col(WorkflowExecution.chat_id) == chat_id)
    if status:
        statement = statement.where(col(WorkflowExecution.status) == status)
    if since:
        statement = statement.where(col(WorkflowExecution.started_at) >= since)
    statement = statement.order_by(
        col(WorkflowExecution.started_at).desc(), col(WorkflowExecution.execution_id)
    )
    return await paginate(session, statement, page)


ACTIVE = ("running", "paused", "interrupted", "pending")


async def signal_run(*, client: Client, execution: WorkflowExecution, signal: str) -> None:
    """Send pause/resume to a run that is still going."""
    if execution.status not in ACTIVE:
        raise Conflict(f"the run is {execution.status}")
    try:
        await client.get_workflow_handle(execution.workflow_id).signal(signal)
    except RPCError as exc:
        raise temporal_problem(exc, ended="the run has already ended") from exc


async def cancel_run(*, client: Client, execution: WorkflowExecution) -> None:
    """Cancel a run: running activities are cancelled, open tasks closed, status recorded."""
    if execution.status not in ACTIVE:
        raise Conflict(f"the run is {execution.status}")
    try:
        await client.get_workflow_handle(execution.workflow_id).cancel()
    except RPCError as exc:
        raise temporal_problem(exc, ended="the run has already ended") from exc


logger = logging.getLogger(__name__)


RETRYABLE_STATUSES = ("failed", "cancelled")
# A run can be run again from a node once it has ended, however it ended.
ENDED_STATUSES = ("completed", "failed", "cancelled")
REUSABLE_NODE_STATUSES = ("completed", "skipped")


async def reusable_updates(
    *, session: AsyncSession, execution_id: uuid.UUID
) -> dict[str, dict[str, Any]]:
    """Outputs of the tasks that completed in a run, by task id (what a retry reuses)."""
    rows = await session.execute(
        select(col(WorkflowNodeExecution.task_id), col(WorkflowNodeExecution.output_state)).where(
            col(WorkflowNodeExecution.execution_id) == execution_id,
            col(WorkflowNodeExecution.status).in_(REUSABLE_NODE_STATUSES),
        )
    )
    return {task_id: output or {} for task_id, output in rows.all()}


async def updates_before_task(
    *, session: AsyncSession, execution_id: uuid.UUID, task_id: str
) -> tuple[int, dict[str, dict[str, Any]]]:
    """The step of `task_id` in the run, and the recorded outputs a run again from it reuses:
    every task that completed in an earlier step, and its siblings in its own step (they
    are not after it). Raises NotFound when the run has no such task."""
    rows = (
        await session.execute(
            select(
                col(WorkflowNodeExecution.task_id),
                col(WorkflowNodeExecution.step),
                col(WorkflowNodeExecution.status),
                col(WorkflowNodeExecution.output_state),
            ).where(col(WorkflowNodeExecution.execution_id) == execution_id)
        )
    ).all()
    target = next((row for row in rows if row.task_id == task_id), None)
    if target is None:
        raise NotFound(f"the run has no node task {task_id!r}")
    reused = {
        row.task_id: row.output_state or {}
        for row in rows
        if row.status in REUSABLE_NODE_STATUSES
        and row.task_id != task_id
        and row.step is not None
        and row.step <= target.step
    }
    return target.step, reused
