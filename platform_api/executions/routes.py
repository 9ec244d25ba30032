"""Execution routes: read a run, follow it, and control it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Response
from fastapi.responses import JSONResponse, StreamingResponse
from temporalio.client import WorkflowQueryFailedError
from temporalio.service import RPCError

from platform_api.api.deps import (
    CurrentCaller,
    LauncherDep,
    ServicesDep,
    TemporalDep,
    TenantSession,
)
from platform_api.api.pagination import page_params
from platform_api.api.temporal_errors import temporal_problem
from platform_api.errors import Conflict, ValidationFailed
from platform_api.executions import debugging, direct, service
from platform_api.executions.schemas import (
    DebugView,
    ExecuteRequest,
    ExecuteResult,
    ExecutionDetail,
    ExecutionPublic,
    NodeExecutionPublic,
    RerunRequest,
    RerunResult,
    RetryResult,
    StateEdit,
)
from platform_api.executions.service import get_execution_for
from platform_api.paging import Page, PageParams, page_of
from platform_api.quotas.budgets.service import with_budget_waits
from platform_api.streaming.responses import sse_response
from platform_api.streaming.sse import parse_last_event_id, run_event_frames
from temporal_workflows import contracts as c

router = APIRouter(prefix="/api/v1/executions", tags=["executions"])
agents_router = APIRouter(prefix="/api/v1/agents", tags=["executions"])


@router.get("/{execution_id}", response_model=ExecutionDetail)
async def get_execution(
    execution_id: uuid.UUID, caller: CurrentCaller, session: TenantSession
) -> ExecutionDetail:
    """A run with its node executions (inputs, outputs, timings, retries, tokens, cost)."""
    execution = await get_execution_for(session=session, caller=caller, execution_id=execution_id)
    nodes = await service.node_executions(session=session, execution_id=execution.execution_id)
    public = ExecutionPublic.model_validate(execution, from_attributes=True)
    base = (await with_budget_waits(session, [public]))[0].model_dump()
    return ExecutionDetail(
        **base, nodes=[NodeExecutionPublic.model_validate(n, from_attributes=True) for n in nodes]
    )


@router.get("/{execution_id}/progress")
async def get_progress(
    execution_id: uuid.UUID,
    caller: CurrentCaller,
    session: TenantSession,
    temporal: TemporalDep,
) -> dict[str, Any]:
    """The live state of every node (the run's ``progress`` query)."""
    execution = await get_execution_for(session=session, caller=caller, execution_id=execution_id)
    try:
        result: dict[str, Any] = await temporal.get_workflow_handle(execution.workflow_id).query(
            c.PROGRESS_QUERY
        )
    except RPCError as exc:  # gone (409), or Temporal unreachable (503, try again)
        raise temporal_problem(exc, ended="progress is not available: the run has ended") from exc
    except WorkflowQueryFailedError as exc:
        raise Conflict(f"progress is not available: {exc}") from exc
    return result


@router.get("/{execution_id}/events", response_class=StreamingResponse)
async def execution_events(
    execution_id: uuid.UUID,
    caller: CurrentCaller,
    services: ServicesDep,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> StreamingResponse:
    """The run's events as SSE; ``Last-Event-ID`` resumes after that event (from the log:
    Temporal need not be up to read a run's events)."""
    async with services.database.tenant_session(caller.tenant_id) as session:
        execution = await get_execution_for(
            session=session, caller=caller, execution_id=execution_id
        )
    frames = run_event_frames(
        services.run_events,
        tenant_id=str(caller.tenant_id),
        stream_id=execution.workflow_id,
        from_offset=parse_last_event_id(last_event_id),
    )
    return sse_response(frames, services=services, caller=caller)


async def _control(
    services: ServicesDep,
    caller: CurrentCaller,
    temporal: TemporalDep,
    execution_id: uuid.UUID,
    action: str,
) -> Response:
    async with services.database.tenant_session(caller.tenant_id) as session:
        execution = await get_execution_for(
            session=session, caller=caller, execution_id=execution_id
        )
    if action == "cancel":
        await service.cancel_run(client=temporal, execution=execution)
    else:
        await service.signal_run(client=temporal, execution=execution, signal=action)
    return Response(status_code=202)


@router.post("/{execution_id}/pause", status_code=202)
async def pause(
    execution_id: uuid.UUID,
    caller: CurrentCaller,
    services: ServicesDep,
    temporal: TemporalDep,
) -> Response:
    """Pause: the current step finishes, no new node starts."""
    return await _control(services, caller, temporal, execution_id, c.PAUSE_SIGNAL)


@router.post("/{execution_id}/resume", status_code=202)
async def resume(
    execution_id: uuid.UUID,
    caller: CurrentCaller,
    services: ServicesDep,
    temporal: TemporalDep,
) -> Response:
    """Resume a paused run."""
    return await _control(services, caller, temporal, execution_id, c.RESUME_SIGNAL)


@router.post("/{execution_id}/cancel", status_code=202)
async def cancel(
    execution_id: uuid.UUID,
    caller: CurrentCaller,
    services: ServicesDep,
    temporal: TemporalDep,
) -> Response:
    """Cancel the run: running activities stop, open tasks are cancelled."""
    return await _control(services, caller, temporal, execution_id, "cancel")


@router.post("/{execution_id}/retry", response_model=RetryResult, status_code=201)
async def retry(
    execution_id: uuid.UUID, caller: CurrentCaller, launcher: LauncherDep
) -> RetryResult:
    """Run a failed run again from its failed node, reusing the completed nodes' outputs."""
    new, reused = await launcher.retry(caller=caller, execution_id=execution_id)
    return RetryResult(
        execution_id=new.execution.execution_id, retry_of=execution_id, reused_tasks=reused
    )


@router.get("/{execution_id}/debug", response_model=DebugView)
async def get_debug_view(
    execution_id: uuid.UUID,
    caller: CurrentCaller,
    session: TenantSession,
    temporal: TemporalDep,
) -> DebugView:
    """Where a run stands for its debugger: the breakpoint it is paused at and its whole
    state (between supersteps). Finished nodes' inputs and outputs are in the run's
    detail."""
    execution = await get_execution_for(session=session, caller=caller, execution_id=execution_id)
    await debugging.ensure_debugger(session, caller, execution)
    return DebugView.model_validate(
        await debugging.debug_view(client=temporal, execution=execution)
    )


@router.post("/{execution_id}/step", status_code=202)
async def step(
    execution_id: uuid.UUID,
    caller: CurrentCaller,
    services: ServicesDep,
    temporal: TemporalDep,
) -> Response:
    """Run one superstep of a paused run, then pause again (continue: ``/resume``)."""
    async with services.database.tenant_session(caller.tenant_id) as session:
        execution = await get_execution_for(
            session=session, caller=caller, execution_id=execution_id
        )
        await debugging.ensure_debugger(session, caller, execution)
    await service.signal_run(client=temporal, execution=execution, signal=c.STEP_SIGNAL)
    return Response(status_code=202)


@router.put("/{execution_id}/state", response_model=DebugView)
async def edit_state(
    execution_id: uuid.UUID,
    body: StateEdit,
    caller: CurrentCaller,
    services: ServicesDep,
    temporal: TemporalDep,
) -> DebugView:
    """Set state keys of a paused run (422 when they do not fit its state schema, 409
    when it is not paused); the next superstep sees them."""
    async with services.database.tenant_session(caller.tenant_id) as session:
        execution = await get_execution_for(
            session=session, caller=caller, execution_id=execution_id
        )
        await debugging.ensure_debugger(session, caller, execution)
    await debugging.edit_state(client=temporal, execution=execution, edits=body.state)
    return DebugView.model_validate(
        await debugging.debug_view(client=temporal, execution=execution)
    )


@router.post("/{execution_id}/rerun", response_model=RerunResult, status_code=201)
async def rerun(
    execution_id: uuid.UUID, body: RerunRequest, caller: CurrentCaller, launcher: LauncherDep
) -> RerunResult:
    """Run an ended run again from one node: it and what follows run anew, what came
    before reuses its recorded outputs; `state` edits the state before that node's step."""
    new, reused = await launcher.rerun_from(
        caller=caller, execution_id=execution_id, task_id=body.task_id, state_edit=body.state
    )
    return RerunResult(
        execution_id=new.execution.execution_id,
        rerun_of=execution_id,
        from_task=body.task_id,
        reused_tasks=reused,
    )


@router.get("", response_model=Page[ExecutionPublic])
async def list_executions(
    caller: CurrentCaller,
    session: TenantSession,
    page: Annotated[PageParams, Depends(page_params)],
    agent_id: uuid.UUID | None = None,
    chat_id: uuid.UUID | None = None,
    status: Annotated[str | None, Query(max_length=20)] = None,
    since: Annotated[str | None, Query(description="ISO time: runs started after it.")] = None,
) -> Page[ExecutionPublic]:
    """Runs, newest first: the caller's own, or the tenant's for developers and reviewers."""
    try:
        start = datetime.fromisoformat(since) if since else None
    except ValueError as exc:
        raise ValidationFailed(
            "since is not an ISO time", errors=[{"path": "/query/since", "message": str(exc)}]
        ) from exc
    rows, total = await service.list_executions(
        session=session,
        caller=caller,
        page=page,
        agent_id=agent_id,
        chat_id=chat_id,
        status=status,
        since=start,
    )
    listed = page_of(
        rows, total, page, lambda r: ExecutionPublic.model_validate(r, from_attributes=True)
    )
    listed.items = await with_budget_waits(session, listed.items)
    return listed


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
    caller: CurrentCaller,
    services: ServicesDep,
    temporal: TemporalDep,
    launcher: LauncherDep,
) -> JSONResponse | StreamingResponse:
    """Run an agent outside any chat; answers at once with the execution id (202)."""
    launched = await launcher.direct(
        caller=caller,
        agent_id=agent_id,
        version=body.version,
        inputs_for=lambda version: direct.run_inputs(version, body),
    )
    execution = launched.execution
    if body.stream:
        frames = run_event_frames(
            services.run_events, tenant_id=str(caller.tenant_id), stream_id=execution.workflow_id
        )
        headers = {"X-Execution-Id": str(execution.execution_id)}
        return sse_response(frames, services=services, caller=caller, headers=headers)
    if body.wait:
        result = await direct.wait_for_result(temporal, execution, body.timeout_seconds)
        code = 202 if result.status == "running" else 200
        return JSONResponse(result.model_dump(mode="json"), status_code=code)
    started = ExecuteResult(execution_id=execution.execution_id, status="running")
    return JSONResponse(started.model_dump(mode="json"), status_code=202)
