"""The reviewer inbox: list, claim, release, complete (through the run), cancel."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError

from platform_api.access.rules import may_act_on_others_tasks
from platform_api.api.temporal_errors import temporal_problem
from platform_api.auth.caller import Caller
from platform_api.errors import Conflict, Forbidden, NotFound, ValidationFailed
from platform_api.human_tasks import policies
from platform_api.human_tasks.schemas import (
    CompletionResult,
    DelegateRequest,
    TaskDetail,
    TaskPublic,
)
from platform_api.paging import Page, PageParams, page_of, paginate
from platform_core.models import HumanInterventionTask, WorkflowExecution
from temporal_workflows import contracts as c

OPEN_STATUSES = ("pending", "in_progress")


def _public(task: HumanInterventionTask, agent_id: uuid.UUID | None) -> TaskPublic:
    update: dict[str, Any] = {"agent_id": agent_id}
    stage = policies.stage_of(task)
    if stage is not None:
        update |= {
            "policy": policies.policy_public(stage),
            "agreements": int(stage.get("agreements", 0)),
            "disagreements": int(stage.get("disagreements", 0)),
            "still_needed": int(stage.get("still_needed", stage.get("quorum", 1))),
        }
    return TaskPublic.model_validate(task, from_attributes=True).model_copy(update=update)


def _reviews_all(caller: Caller) -> bool:
    """Reviewers and admins see the whole inbox; others only the stages that name them."""
    return caller.has_role("reviewer")


async def list_tasks(
    *,
    session: AsyncSession,
    caller: Caller,
    status: str | None,
    min_priority: int | None,
    agent_id: uuid.UUID | None,
    due_within_hours: float | None,
    mine: bool,
    page: PageParams,
) -> Page[TaskPublic]:
    """Tasks of the tenant (RLS), most urgent first: priority, then due time."""
    # The run's agent as a per-row lookup, not a join: a page looks up 20 runs, and the
    # count (which drops unused columns) none, where a join made both hash every run.
    run_agent = (
        select(col(WorkflowExecution.agent_id))
        .where(col(WorkflowExecution.execution_id) == HumanInterventionTask.execution_id)
        .scalar_subquery()
    )
    query = select(HumanInterventionTask, run_agent)
    if status:
        query = query.where(col(HumanInterventionTask.status) == status)
    else:
        query = query.where(col(HumanInterventionTask.status).in_(OPEN_STATUSES))
    if min_priority is not None:
        query = query.where(col(HumanInterventionTask.priority) >= min_priority)
    if agent_id is not None:
        query = query.where(
            col(HumanInterventionTask.execution_id).in_(
                select(col(WorkflowExecution.execution_id)).where(
                    col(WorkflowExecution.agent_id) == agent_id
                )
            )
        )
    if due_within_hours is not None:
        limit = datetime.now(UTC) + timedelta(hours=due_within_hours)
        query = query.where(col(HumanInterventionTask.due_at) <= limit)
    if mine or not _reviews_all(caller):
        person = await policies.person_of(session, caller)
        mine_clause = policies.eligible_clause(person)
        if _reviews_all(caller):
            mine_clause = mine_clause | (
                col(HumanInterventionTask.assigned_to) == str(caller.user_id)
            )
        query = query.where(mine_clause)
    # One page from the database (not every open task sliced here): a busy tenant has
    # thousands open. The task id makes the order total, so pages never overlap.
    rows, total = await paginate(
        session,
        query.order_by(
            col(HumanInterventionTask.priority).desc(),
            col(HumanInterventionTask.due_at).asc().nulls_last(),
            col(HumanInterventionTask.created_at),
            col(HumanInterventionTask.task_id),
        ),
        page,
        scalars=False,
    )
    return page_of(rows, total, page, lambda row: _public(*row))


async def get_task(*, session: AsyncSession, task_id: uuid.UUID) -> HumanInterventionTask:
    """A task of the caller's tenant; another tenant's is simply not found."""
    task = await session.get(HumanInterventionTask, task_id)
    if task is None:
        raise NotFound("task not found")
    return task


async def detail(
    *, session: AsyncSession, task: HumanInterventionTask, caller: Caller | None = None
) -> TaskDetail:
    """The task with its context, its answers and whether the caller may answer now."""
    execution = await session.get(WorkflowExecution, task.execution_id)
    base = _public(task, execution.agent_id if execution else None)
    stage = policies.stage_of(task)
    answers = await policies.answers_of(session, task.task_id) if stage is not None else []
    can_answer = False
    if caller is not None and task.status in OPEN_STATUSES:
        if stage is None:
            can_answer = caller.has_role("reviewer")
        else:
            voice = policies.voice_of(stage, await policies.person_of(session, caller))
            can_answer = (
                voice is not None
                and not policies.heard(answers, voice)
                and (base.still_needed or 0) > 0
            )
    if stage is not None:
        base = base.model_copy(update={"policy": await policies.named_policy(session, stage)})
    return TaskDetail(
        **base.model_dump(by_alias=True),
        current_state=task.current_state,
        required_input_schema=task.required_input_schema,
        human_input=task.human_input,
        completion_note=task.completion_note,
        deadline_policy=task.deadline_policy,
        escalation_history=task.escalation_history,
        answers=answers,
        can_answer=can_answer,
    )


async def visible_task(
    *, session: AsyncSession, caller: Caller, task_id: uuid.UUID
) -> HumanInterventionTask:
    """A task the caller may see: any, for reviewers; for others, a stage that names them
    (or one they answered or delegated). Anything else is simply not found."""
    task = await get_task(session=session, task_id=task_id)
    if _reviews_all(caller):
        return task
    stage = policies.stage_of(task)
    if stage is not None:
        person = await policies.person_of(session, caller)
        delegated = any(d.get("from") == person.user_id for d in stage.get("delegations") or [])
        if delegated or policies.voice_of(stage, person) is not None:
            return task
        answers = await policies.answers_of(session, task.task_id)
        if any(a.by == caller.user_id for a in answers):
            return task
    raise NotFound("task not found")


def _require_open(task: HumanInterventionTask) -> None:
    if task.status not in OPEN_STATUSES:
        raise Conflict(f"the task is {task.status}")


async def claim(
    *, session: AsyncSession, caller: Caller, task: HumanInterventionTask
) -> HumanInterventionTask:
    """Assign the task to the caller (409 if someone else holds it)."""
    _require_open(task)
    if policies.stage_of(task) is not None:
        raise Conflict("a stage of an approval policy is answered by each assignee, not claimed")
    me = str(caller.user_id)
    if task.status == "in_progress" and task.assigned_to not in (None, me):
        raise Conflict("another reviewer has claimed this task")
    task.assigned_to = me
    task.assigned_at = datetime.now(UTC)
    task.status = "in_progress"
    session.add(task)
    return task


async def release(
    *, session: AsyncSession, caller: Caller, task: HumanInterventionTask
) -> HumanInterventionTask:
    """Give a claimed task back to the pool (its holder or an admin)."""
    _require_open(task)
    if policies.stage_of(task) is not None:
        raise Conflict("a stage of an approval policy is answered by each assignee, not claimed")
    if task.assigned_to not in (None, str(caller.user_id)) and not may_act_on_others_tasks(caller):
        raise Forbidden("only the reviewer holding the task (or an admin) can release it")
    task.assigned_to = None
    task.assigned_at = None
    task.status = "pending"
    session.add(task)
    return task


def _failure_to_problem(exc: WorkflowUpdateFailedError) -> Exception:
    cause = exc.cause
    if isinstance(cause, ApplicationError):
        if cause.type == "InvalidHumanInput":
            details: list[Any] = list(cause.details[0]) if cause.details else []
            errors = [
                {"path": "/body/input" + str(d.get("path", "")), "message": str(d.get("message"))}
                for d in details
                if isinstance(d, dict)
            ]
            return ValidationFailed(cause.message, errors=errors)
        if cause.type == "Forbidden":
            return Forbidden(cause.message)
        return Conflict(cause.message)  # TaskNotOpen, AlreadyAnswered, Conflict
    return Conflict(str(exc))


async def complete(
    *,
    client: Client,
    caller: Caller,
    task: HumanInterventionTask,
    workflow_id: str,
    human_input: dict[str, Any],
    completion_note: str | None,
    request_id: str,
    groups: list[str] | tuple[str, ...] = (),
) -> CompletionResult:
    """Send the answer to the waiting run; the first valid completion wins (others: 409).

    The update id is the task id, so concurrent or retried requests are one update in
    the run's history; the result's request id tells a retry (same id: 200) from a
    competing completion (another id: 409).
    """
    handle = client.get_workflow_handle(workflow_id)
    staged = policies.stage_of(task) is not None
    if not staged and not caller.has_role("reviewer"):
        raise Forbidden("only the tenant's reviewers may complete it")
    try:
        result = await handle.execute_update(
            c.HUMAN_INPUT_UPDATE,
            c.HumanInput(
                task_id=str(task.task_id),
                input=human_input,
                completed_by=str(caller.user_id),
                completer_tenant_id=str(caller.tenant_id),
                completer_role=caller.role,
                request_id=request_id,
                completion_note=completion_note,
                completer_email=caller.email,
                completer_groups=list(groups),
            ),
            # One update per person on a policy task (several answers are wanted); one per
            # task otherwise. Either way a retried request is the same update.
            id=f"{task.task_id}:{caller.user_id}" if staged else str(task.task_id),
            result_type=c.HumanInputResult,
        )
    except WorkflowUpdateFailedError as exc:
        raise _failure_to_problem(exc) from exc
    except RPCError as exc:
        # The run has ended (or never waited): nothing can take the answer any more;
        # or Temporal is unreachable: a 503, the task stays open.
        raise temporal_problem(exc, ended="the task is not open") from exc
    if result.request_id != request_id:
        raise Conflict("the task was already completed by another request")
    return CompletionResult(
        task_id=task.task_id,
        status="completed" if result.decided else "answered",
        completed_by=uuid.UUID(result.completed_by),
        completed_at=datetime.fromisoformat(result.completed_at),
        decided=result.decided,
        agreements=result.agreements,
        still_needed=result.still_needed,
    )


async def delegate(
    *,
    session: AsyncSession,
    client: Client,
    caller: Caller,
    task: HumanInterventionTask,
    workflow_id: str,
    body: DelegateRequest,
) -> None:
    """Hand the caller's part of a policy task to another active person of the tenant."""
    if policies.stage_of(task) is None:
        raise Conflict("only a task of an approval policy can be delegated; claim it instead")
    _require_open(task)
    target = await policies.person_by_id(session, body.to_user_id)
    if target is None:
        raise ValidationFailed(
            "no active user of this tenant has that id",
            errors=[{"path": "/body/to_user_id", "message": "unknown or inactive user"}],
        )
    me = await policies.person_of(session, caller)
    try:
        await client.get_workflow_handle(workflow_id).execute_update(
            c.DELEGATE_HUMAN_TASK_UPDATE,
            c.HumanDelegation(
                task_id=str(task.task_id),
                tenant_id=str(caller.tenant_id),
                from_user_id=me.user_id,
                from_email=me.email,
                from_role=me.role,
                from_groups=list(me.groups),
                to_user_id=target.user_id,
                to_email=target.email,
                to_role=target.role,
                to_groups=list(target.groups),
                note=body.note,
            ),
            id=f"delegate:{task.task_id}:{caller.user_id}:{target.user_id}",
            result_type=dict,
        )
    except WorkflowUpdateFailedError as exc:
        raise _failure_to_problem(exc) from exc
    except RPCError as exc:
        raise temporal_problem(exc, ended="the task is not open") from exc


async def cancel(*, client: Client, task: HumanInterventionTask, workflow_id: str) -> None:
    """Cancel an open task: the run's waiting node fails with a clear error."""
    _require_open(task)
    try:
        await client.get_workflow_handle(workflow_id).signal(
            c.CANCEL_HUMAN_TASK_SIGNAL, str(task.task_id)
        )
    except RPCError as exc:
        raise temporal_problem(exc, ended="the run waiting on this task has ended") from exc


async def workflow_id_of(*, session: AsyncSession, task: HumanInterventionTask) -> str:
    """The workflow id of the run that waits on the task."""
    row = (
        await session.execute(
            select(col(WorkflowExecution.workflow_id)).where(
                col(WorkflowExecution.execution_id) == task.execution_id
            )
        )
    ).scalar_one_or_none()
    if row is None:
        raise NotFound("task not found")
    return str(row)
