"""Execution routes: read a run, follow it, and control it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Response
from fastapi.responses import JSONResponse, StreamingResponse
from sqlalchemy import func
from sqlmodel import col, select

from platform_api.api.deps import CurrentPrincipal, ServicesDep, TemporalDep, TenantSession
from platform_api.api.pagination import Page, PageParams, page_params
from platform_api.auth.standing import while_in_good_standing
from platform_api.errors import Conflict, ValidationFailed
from platform_api.executions import controls, direct
from platform_api.executions.queries import get_execution_for
from platform_api.executions.schemas import (
    ExecuteRequest,
    ExecuteResult,
    ExecutionDetail,
    ExecutionPublic,
    NodeExecutionPublic,
    RetryResult,
)
from platform_api.executions.service import start_run
from platform_api.streaming.sse import SSE_HEADERS, parse_last_event_id, run_event_frames
from platform_core.models import WorkflowExecution, WorkflowNodeExecution
from temporal_workflows import contracts as c

router = APIRouter(prefix="/api/v1/executions", tags=["executions"])
agents_router = APIRouter(prefix="/api/v1/agents", tags=["executions"])


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
    frames = run_event_frames(
        temporal, execution.workflow_id, from_offset=parse_last_event_id(last_event_id)
    )
    return StreamingResponse(
        while_in_good_standing(
            frames, database=services.database, settings=services.settings, caller=principal
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


@router.get("", response_model=Page[ExecutionPublic])
async def list_executions(
    principal: CurrentPrincipal,
    session: TenantSession,
    page: Annotated[PageParams, Depends(page_params)],
    agent_id: uuid.UUID | None = None,
    chat_id: uuid.UUID | None = None,
    status: Annotated[str | None, Query(max_length=20)] = None,
    since: Annotated[str | None, Query(description="ISO time: runs started after it.")] = None,
) -> Page[ExecutionPublic]:
    """Runs, newest first: the caller's own, or the tenant's for developers and reviewers."""
    conditions = []
    if not principal.has_role("developer", "reviewer"):
        conditions.append(col(WorkflowExecution.user_id) == principal.user_id)
    if agent_id:
        conditions.append(col(WorkflowExecution.agent_id) == agent_id)
    if chat_id:
        conditions.append(col(WorkflowExecution.chat_id) == chat_id)
    if status:
        conditions.append(col(WorkflowExecution.status) == status)
    if since:
        try:
            start = datetime.fromisoformat(since)
        except ValueError as exc:
            raise ValidationFailed(
                "since is not an ISO time", errors=[{"path": "/query/since", "message": str(exc)}]
            ) from exc
        conditions.append(col(WorkflowExecution.started_at) >= start)
    total = (
        await session.execute(
            select(func.count()).select_from(WorkflowExecution).where(*conditions)
        )
    ).scalar_one()
    rows = await session.execute(
        select(WorkflowExecution)
        .where(*conditions)
        .order_by(col(WorkflowExecution.started_at).desc(), col(WorkflowExecution.execution_id))
        .limit(page.limit)
        .offset(page.offset)
    )
    return Page(
        items=[ExecutionPublic.model_validate(r, from_attributes=True) for r in rows.scalars()],
        total=int(total),
        limit=page.limit,
        offset=page.offset,
    )


@agents_router.post(
    "/{agent_id}/execute",
    response_model=ExecuteResult,
    status_code=202,
    responses={
        200: {"model": ExecuteResult, "description": "With wait=true: the finished run."},
        422: {"description": "The input does not fit the agent."},
    },
)
async def execute_agent(
    agent_id: uuid.UUID,
    body: ExecuteRequest,
    principal: CurrentPrincipal,
    services: ServicesDep,
    temporal: TemporalDep,
) -> JSONResponse | StreamingResponse:
    """Run an agent outside any chat; answers at once with the execution id (202)."""
    async with services.database.tenant_session(principal.tenant_id) as session:
        agent, version = await direct.open_direct_session(
            session=session, agent_id=agent_id, version=body.version
        )
        inputs = direct.run_inputs(version, body)
        execution = direct.new_execution(principal, agent, version, inputs)
        session.add(execution)
    await start_run(
        client=temporal,
        database=services.database,
        settings=services.settings,
        execution=execution,
        agent=agent,
        version=version,
        inputs=inputs,
        model_params={},
    )
    if body.stream:
        return StreamingResponse(
            while_in_good_standing(
                run_event_frames(temporal, execution.workflow_id),
                database=services.database,
                settings=services.settings,
                caller=principal,
            ),
            media_type="text/event-stream",
            headers={**SSE_HEADERS, "X-Execution-Id": str(execution.execution_id)},
        )
    if body.wait:
        result = await direct.wait_for_result(temporal, execution, body.timeout_seconds)
        code = 202 if result.status == "running" else 200
        return JSONResponse(result.model_dump(mode="json"), status_code=code)
    started = ExecuteResult(execution_id=execution.execution_id, status="running")
    return JSONResponse(started.model_dump(mode="json"), status_code=202)
