"""Reading executions with object-level checks."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.access.rules import may_read_others_runs
from platform_api.auth.caller import Caller
from platform_api.errors import NotFound
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
