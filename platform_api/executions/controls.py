"""Run controls: pause, resume, cancel, and retry a failed run from its failed node."""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError
from temporalio.client import Client
from temporalio.service import RPCError

from platform_api.api.deps import Principal
from platform_api.api.temporal_errors import temporal_problem
from platform_api.errors import Conflict, NotFound
from platform_api.executions.queries import get_execution_for
from platform_api.executions.rows import new_execution
from platform_api.executions.service import (
    RETRYABLE_STATUSES,
    reusable_updates,
    start_run,
)
from platform_core.db import Database
from platform_core.models import Agent, AgentVersion, WorkflowExecution
from platform_core.settings import Settings

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


async def retry_run(
    *,
    client: Client,
    database: Database,
    settings: Settings,
    principal: Principal,
    execution_id: uuid.UUID,
) -> tuple[WorkflowExecution, list[str]]:
    """Start a new run of the same version and inputs that reuses completed tasks' outputs."""
    async with database.tenant_session(principal.tenant_id) as session:
        old = await get_execution_for(
            session=session, principal=principal, execution_id=execution_id
        )
        if old.status not in RETRYABLE_STATUSES:
            raise Conflict(
                f"only failed or cancelled runs can be retried; this one is {old.status}"
            )
        inputs = (old.input_data or {}).get("inputs")
        if inputs is None:
            raise Conflict("this run predates retry support (its inputs were not recorded)")
        recorded = await reusable_updates(session=session, execution_id=old.execution_id)
        agent = await session.get(Agent, old.agent_id)
        version = await session.get(AgentVersion, old.agent_version_id)
        if agent is None or version is None:
            raise NotFound("the run's agent version no longer exists")
        new = new_execution(
            tenant_id=old.tenant_id,
            user_id=principal.user_id,
            agent_id=old.agent_id,
            version_id=old.agent_version_id,
            chat_id=old.chat_id,
            message_id=old.message_id,
            input_data={**old.input_data, "retry_of": str(old.execution_id)},
        )
        session.add(new)
        try:
            await session.flush()
        except IntegrityError as exc:
            raise Conflict("the chat already has a run in progress") from exc
    await start_run(
        client=client,
        database=database,
        settings=settings,
        execution=new,
        agent=agent,
        version=version,
        inputs=inputs,
        model_params=(old.input_data or {}).get("model_params") or {},
        recorded_updates=recorded,
        retry_of=old.execution_id,
    )
    return new, sorted(recorded)
