"""Notification events caused by run activities: a run failed, a human task was created
or escalated.

Called inside the activity's own transaction (one call at each source), so the event is
written exactly when its cause is; the dispatch workflow for e-mails and webhooks is
started right there too, by the worker's own client (``notify-<event id>``, so a retried
activity starts nothing twice; the workflow waits for the transaction to commit).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession
from temporalio import activity
from temporalio.client import Client
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from platform_core import notifications as n
from platform_core.approval_people import answered_by, people_named_by
from platform_core.models import Agent, WorkflowExecution
from platform_core.models.tenancy import USER_ROLES
from temporal_workflows.contracts import (
    NOTIFICATION_DISPATCH_WORKFLOW,
    FinishExecutionInput,
    HumanTaskInput,
    HumanTaskRecord,
    NodeActivityInput,
    NotificationDispatchInput,
)

log = logging.getLogger(__name__)
# Who may answer a task assigned to nobody in particular (the inbox's audience).
TASK_ROLES = ("reviewer", "admin")


async def notify_run_finished(session: AsyncSession, data: FinishExecutionInput) -> None:
    """Tell the run's user that it failed (completed and cancelled runs notify nobody)."""
    if data.status != "failed":
        return
    run = await session.get(WorkflowExecution, uuid.UUID(data.execution_id))
    if run is None or run.user_id is None:
        return
    agent = await session.get(Agent, run.agent_id)
    error_type = str((data.error or {}).get("type") or "")[:100]
    event = n.NotificationEvent(
        tenant_id=run.tenant_id,
        kind=n.RUN_FAILED,
        dedupe_key=f"run_failed:{data.execution_id}",
        data={
            "execution_id": data.execution_id,
            "agent_id": str(run.agent_id),
            "agent_name": agent.name if agent else data.agent_name,
            "chat_id": data.chat_id,
            "error_type": error_type,
        },
        link=f"/chat/{data.chat_id}" if data.chat_id else None,
    )
    await _record_and_dispatch(session, event, [run.user_id])


async def notify_task_created(session: AsyncSession, data: HumanTaskInput) -> None:
    """Tell the task's assignee (or everyone a policy's stage names, or everyone who works
    the inbox) that a task waits."""
    recipients = await _task_audience(session, data.policy, data.assigned_to)
    event = await _task_event(
        session, data, n.TASK_ASSIGNED, f"task_assigned:{data.task_id}", node_name=data.node_name
    )
    await _record_and_dispatch(session, event, recipients)


async def notify_task_escalated(session: AsyncSession, data: HumanTaskRecord) -> None:
    """Tell the people a task was escalated to (its new assignee, everyone its stage now
    names, or the inbox's audience)."""
    if data.status != "escalated":
        return
    recipients = await _task_audience(session, data.policy, data.assigned_to)
    # The workflow's decision identifies the escalation (a retried activity repeats it).
    decision = f"{data.priority}:{data.assigned_to}:{data.note}"
    event = await _task_event(
        session,
        data,
        n.TASK_ESCALATED,
        f"task_escalated:{data.task_id}:{decision}",
        priority=data.priority or 0,
    )
    await _record_and_dispatch(session, event, recipients)


async def notify_run_waiting_for_budget(
    session: AsyncSession, data: NodeActivityInput, budget: dict[str, Any]
) -> None:
    """Tell the run's user that it waits for a budget (once per node task)."""
    run = await session.get(WorkflowExecution, uuid.UUID(data.execution_id))
    if run is None or run.user_id is None:
        return
    agent = await session.get(Agent, run.agent_id)
    event = n.NotificationEvent(
        tenant_id=run.tenant_id,
        kind=n.RUN_WAITING_FOR_BUDGET,
        dedupe_key=f"run_waiting_for_budget:{data.execution_id}:{data.task_id}",
        data={
            "execution_id": data.execution_id,
            "agent_id": str(run.agent_id),
            "agent_name": agent.name if agent else "",
            "chat_id": str(run.chat_id) if run.chat_id else None,
            "scope": budget["scope"],
            "period_end": budget["period_end"],
        },
        link=f"/chat/{run.chat_id}" if run.chat_id else None,
    )
    await _record_and_dispatch(session, event, [run.user_id])


async def notify_task_reminded(session: AsyncSession, data: HumanTaskRecord) -> None:
    """Tell a policy stage's assignees who have not answered that its deadline is near."""
    if data.status != "reminded" or data.policy is None:
        return
    answered = await answered_voices(session, uuid.UUID(data.task_id))
    recipients = [u for u in await policy_audience(session, data.policy) if str(u) not in answered]
    event = await _task_event(
        session, data, n.TASK_DEADLINE_NEAR, f"task_deadline_near:{data.task_id}"
    )
    await _record_and_dispatch(session, event, recipients)


async def notify_task_delegated(session: AsyncSession, data: HumanTaskRecord) -> None:
    """Tell the person a task was delegated to that it now waits for them."""
    if data.status != "delegated" or not data.assigned_to:
        return
    event = await _task_event(
        session,
        data,
        n.TASK_ASSIGNED,
        f"task_delegated:{data.task_id}:{data.assigned_to}",
        node_name="",
        delegated=True,
    )
    await _record_and_dispatch(session, event, [uuid.UUID(data.assigned_to)])


async def _task_event(
    session: AsyncSession,
    data: HumanTaskInput | HumanTaskRecord,
    kind: str,
    dedupe_key: str,
    **extra: Any,
) -> n.NotificationEvent:
    """An event about a task: its ids, its agent's name and a link to it in the inbox."""
    run = await session.get(WorkflowExecution, uuid.UUID(data.execution_id))
    agent = await session.get(Agent, run.agent_id) if run else None
    return n.NotificationEvent(
        tenant_id=uuid.UUID(data.tenant_id),
        kind=kind,
        dedupe_key=dedupe_key,
        data={
            "task_id": data.task_id,
            "execution_id": data.execution_id,
            "agent_name": agent.name if agent else "",
            **extra,
        },
        link=f"/reviews/{data.task_id}",
    )


async def _task_audience(
    session: AsyncSession, policy: dict[str, Any] | None, assigned_to: str | None
) -> list[uuid.UUID]:
    """Who a task is for: everyone its policy's stage names, else its assignee."""
    if policy is not None:
        return await policy_audience(session, policy)
    return await _audience(session, assigned_to)


async def policy_audience(session: AsyncSession, policy: dict[str, Any]) -> list[uuid.UUID]:
    """Everyone a policy stage asks: named users (by id or e-mail), the people of its
    roles and groups, and those answering for someone by delegation."""
    return await people_named_by(
        session,
        policy.get("assignees") or {},
        extra=[d["to"] for d in policy.get("delegations") or []],
    )


async def answered_voices(session: AsyncSession, task_id: uuid.UUID) -> set[str]:
    """The voices (and the people who spoke them) already heard on a task."""
    return await answered_by(session, task_id)


async def _audience(session: AsyncSession, assigned_to: str | None) -> list[uuid.UUID]:
    """Who a task is for: a user id names one person, a role name that role's people;
    anything else (nobody, a name the platform does not know) is the inbox's audience."""
    if assigned_to:
        try:
            return [uuid.UUID(assigned_to)]
        except ValueError:
            if assigned_to in USER_ROLES:
                return await n.users_with_role(session, (assigned_to,))
    return await n.users_with_role(session, TASK_ROLES)


async def _record_and_dispatch(
    session: AsyncSession, event: n.NotificationEvent, recipients: list[Any]
) -> None:
    recorded = await n.record_event(session, event, recipients)
    if recorded.needs_dispatch:
        await start_dispatch(activity.client(), str(event.tenant_id), str(recorded.event_id))


async def start_dispatch(client: Client, tenant_id: str, event_id: str) -> None:
    """Start sending the event's e-mails and webhook deliveries (``notify-<event id>``); a
    dispatch already running for it is left to finish."""
    try:
        await client.start_workflow(
            NOTIFICATION_DISPATCH_WORKFLOW,
            NotificationDispatchInput(tenant_id, event_id),
            id=f"notify-{event_id}",
            task_queue=activity.info().task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        )
    except WorkflowAlreadyStartedError:
        # A retried activity: the dispatch is already on its way (or done).
        activity.logger.info("notification dispatch %s was started already", event_id)
