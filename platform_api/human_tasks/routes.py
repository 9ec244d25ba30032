"""Reviewer inbox routes."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Response

from platform_api.api.deps import (
    CurrentCaller,
    ServicesDep,
    TemporalDep,
    TenantSession,
)
from platform_api.api.pagination import page_params
from platform_api.human_tasks import service
from platform_api.human_tasks.schemas import (
    CompleteRequest,
    CompletionResult,
    DelegateRequest,
    TaskDetail,
    TaskPublic,
)
from platform_api.paging import Page, PageParams
from platform_core.approval_people import group_names_of

router = APIRouter(prefix="/api/v1/reviews/tasks", tags=["reviews"])


@router.get("", response_model=Page[TaskPublic])
async def list_tasks(
    caller: CurrentCaller,
    session: TenantSession,
    page: Annotated[PageParams, Depends(page_params)],
    status: Annotated[
        str | None,
        Query(pattern="^(pending|in_progress|completed|cancelled|expired)$"),
    ] = None,
    min_priority: Annotated[int | None, Query(ge=1, le=10)] = None,
    agent_id: uuid.UUID | None = None,
    due_within_hours: Annotated[float | None, Query(gt=0, le=24 * 365)] = None,
    mine: bool = False,
) -> Page[TaskPublic]:
    """Open tasks of the tenant (or filtered), most urgent first."""
    return await service.list_tasks(
        session=session,
        caller=caller,
        status=status,
        min_priority=min_priority,
        agent_id=agent_id,
        due_within_hours=due_within_hours,
        mine=mine,
        page=page,
    )


@router.get("/{task_id}", response_model=TaskDetail)
async def get_task(task_id: uuid.UUID, caller: CurrentCaller, session: TenantSession) -> TaskDetail:
    """A task with its state snapshot, input schema and, for a policy's stage, its answers."""
    task = await service.visible_task(session=session, caller=caller, task_id=task_id)
    return await service.detail(session=session, task=task, caller=caller)


@router.post("/{task_id}/claim", response_model=TaskDetail)
async def claim(task_id: uuid.UUID, caller: CurrentCaller, session: TenantSession) -> TaskDetail:
    """Assign the task to me."""
    task = await service.get_task(session=session, task_id=task_id)
    task = await service.claim(session=session, caller=caller, task=task)
    return await service.detail(session=session, task=task, caller=caller)


@router.post("/{task_id}/release", response_model=TaskDetail)
async def release(task_id: uuid.UUID, caller: CurrentCaller, session: TenantSession) -> TaskDetail:
    """Give a claimed task back."""
    task = await service.get_task(session=session, task_id=task_id)
    task = await service.release(session=session, caller=caller, task=task)
    return await service.detail(session=session, task=task, caller=caller)


@router.post(
    "/{task_id}/complete",
    response_model=CompletionResult,
    responses={409: {"description": "Not open, or completed by another request."}},
)
async def complete(
    task_id: uuid.UUID,
    body: CompleteRequest,
    caller: CurrentCaller,
    services: ServicesDep,
    temporal: TemporalDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> CompletionResult:
    """Answer the task; the run continues once its stage is settled (a policy's quorum).
    A retry with the same Idempotency-Key is safe."""
    async with services.database.tenant_session(caller.tenant_id) as session:
        task = await service.visible_task(session=session, caller=caller, task_id=task_id)
        workflow_id = await service.workflow_id_of(session=session, task=task)
        groups = await group_names_of(session, caller.user_id)
    return await service.complete(
        client=temporal,
        caller=caller,
        task=task,
        workflow_id=workflow_id,
        human_input=body.input,
        completion_note=body.completion_note,
        request_id=idempotency_key or str(uuid.uuid4()),
        groups=groups,
    )


@router.post(
    "/{task_id}/delegate",
    response_model=TaskDetail,
    responses={409: {"description": "Already answered, settled, or not a policy's task."}},
)
async def delegate(
    task_id: uuid.UUID,
    body: DelegateRequest,
    caller: CurrentCaller,
    services: ServicesDep,
    temporal: TemporalDep,
) -> TaskDetail:
    """Hand my part of an approval to another person of the tenant, who answers for me."""
    async with services.database.tenant_session(caller.tenant_id) as session:
        task = await service.visible_task(session=session, caller=caller, task_id=task_id)
        workflow_id = await service.workflow_id_of(session=session, task=task)
        await service.delegate(
            session=session,
            client=temporal,
            caller=caller,
            task=task,
            workflow_id=workflow_id,
            body=body,
        )
    async with services.database.tenant_session(caller.tenant_id) as session:
        task = await service.get_task(session=session, task_id=task_id)
        return await service.detail(session=session, task=task, caller=caller)


@router.post("/{task_id}/cancel", status_code=202)
async def cancel(
    task_id: uuid.UUID, caller: CurrentCaller, services: ServicesDep, temporal: TemporalDep
) -> Response:
    """Cancel an open task (admins); the waiting node fails."""
    async with services.database.tenant_session(caller.tenant_id) as session:
        task = await service.get_task(session=session, task_id=task_id)
        workflow_id = await service.workflow_id_of(session=session, task=task)
    await service.cancel(client=temporal, task=task, workflow_id=workflow_id)
    return Response(status_code=202)
