"""Execution routes: read a run, follow it, and control it."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Header, Response
from fastapi.responses import StreamingResponse
from sqlalchemy import select
from sqlmodel import col

from platform_api.api.deps import CurrentPrincipal, ServicesDep, TemporalDep, TenantSession
from platform_api.errors import Conflict
from platform_api.executions import controls
from platform_api.executions.queries import get_execution_for
from platform_api.executions.schemas import (
    ExecutionDetail,
    ExecutionPublic,
    NodeExecutionPublic,
    RetryResult,
)
from platform_api.models import WorkflowNodeExecution
from platform_api.streaming.sse import SSE_HEADERS, parse_last_event_id, run_event_frames
from temporal_workflows import contracts as c

router = APIRouter(prefix="/api/v1/executions", tags=["executions"])


@router.get("/{execution_id}", response_model=ExecutionDetail)
async def get_execution(
    execution_id: uuid.UUID, principal: CurrentPrincipal, session: TenantSession
) -> ExecutionDetail:
    """A run with its node executions (inputs, outputs, timings, retries, tokens, cost)."""
    execution = await get_execution_for(
        session=session, principal=principal, execution_id=execution_id
    )
    nodes = (
        await session.execute(
            select(WorkflowNodeExecution)
            .where(col(WorkflowNodeExecution.execution_id) == execution.execution_id)
            .order_by(col(WorkflowNodeExecution.step), col(WorkflowNodeExecution.task_id))
        )
    ).scalars()
    base = ExecutionPublic.model_validate(execution, from_attributes=True).model_dump()
    return ExecutionDetail(
        **base, nodes=[NodeExecutionPublic.model_validate(n, from_attributes=True) for n in nodes]
    )


@router.get("/{execution_id}/progress")
async def get_progress(
    execution_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: TenantSession,
    temporal: TemporalDep,
) -> dict[str, Any]:
    """The live state of every node (the run's ``progress`` query)."""
    execution = await get_execution_for(
        session=session, principal=principal, execution_id=execution_id
    )
    try:
        result: dict[str, Any] = await temporal.get_workflow_handle(execution.workflow_id).query(
            c.PROGRESS_QUERY
        )
    except Exception as exc:  # RPC and query failures: the run is gone or unreachable
        raise Conflict(f"progress is not available: {exc}") from exc
    return result


@router.get("/{execution_id}/events", response_class=StreamingResponse)
async def execution_events(
    execution_id: uuid.UUID,
    principal: CurrentPrincipal,
    services: ServicesDep,
    temporal: TemporalDep,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> StreamingResponse:
    """The run's events as SSE; ``Last-Event-ID`` resumes after that event."""
    async with services.database.tenant_session(principal.tenant_id) as session:
        execution = await get_execution_for(
            session=session, principal=principal, execution_id=execution_id
        )
    return StreamingResponse(
        run_event_frames(
            temporal, execution.workflow_id, from_offset=parse_last_event_id(last_event_id)
        ),
        media_type="text/event-stream",
        headers=SSE_HEADERS,
    )


async def _control(
    services: ServicesDep,
    principal: CurrentPrincipal,
    temporal: TemporalDep,
    execution_id: uuid.UUID,
    action: str,
) -> Response:
    async with services.database.tenant_session(principal.tenant_id) as session:
        execution = await get_execution_for(
            session=session, principal=principal, execution_id=execution_id
        )
    if action == "cancel":
        await controls.cancel_run(client=temporal, execution=execution)
    else:
        await controls.signal_run(client=temporal, execution=execution, signal=action)
    return Response(status_code=202)


@router.post("/{execution_id}/pause", status_code=202)
async def pause(
    execution_id: uuid.UUID,
    principal: CurrentPrincipal,
    services: ServicesDep,
    temporal: TemporalDep,
) -> Response:
    """Pause: the current step finishes, no new node starts."""
    return await _control(services, principal, temporal, execution_id, c.PAUSE_SIGNAL)


@router.post("/{execution_id}/resume", status_code=202)
async def resume(
    execution_id: uuid.UUID,
    principal: CurrentPrincipal,
    services: ServicesDep,
    temporal: TemporalDep,
) -> Response:
    """Resume a paused run."""
    return await _control(services, principal, temporal, execution_id, c.RESUME_SIGNAL)


@router.post("/{execution_id}/cancel", status_code=202)
async def cancel(
    execution_id: uuid.UUID,
    principal: CurrentPrincipal,
    services: ServicesDep,
    temporal: TemporalDep,
) -> Response:
    """Cancel the run: running activities stop, open tasks are cancelled."""
    return await _control(services, principal, temporal, execution_id, "cancel")


@router.post("/{execution_id}/retry", response_model=RetryResult, status_code=201)
async def retry(
    execution_id: uuid.UUID,
    principal: CurrentPrincipal,
    services: ServicesDep,
    temporal: TemporalDep,
) -> RetryResult:
    """Run a failed run again from its failed node, reusing the completed nodes' outputs."""
    new, reused = await controls.retry_run(
        client=temporal,
        database=services.database,
        settings=services.settings,
        principal=principal,
        execution_id=execution_id,
    )
    return RetryResult(execution_id=new.execution_id, retry_of=execution_id, reused_tasks=reused)
