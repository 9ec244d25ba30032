"""Human-intervention task records: creating a task, and every later change to it.

The workflow decides (it owns the wait, the deadline timer and the first-answer-wins
rule); these activities only write what it decided, idempotently by task id.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Integer, func, literal, update
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col
from temporalio import activity

from activities.metrics import record_human_task_closed, record_human_task_opened
from activities.notification_events import (
    notify_task_created,
    notify_task_delegated,
    notify_task_escalated,
    notify_task_reminded,
)
from activities.records import append_workflow_events, jsonable
from platform_core.db import Database
from platform_core.models import (
    HumanInterventionTask,
    HumanTaskAnswer,
    WorkflowExecution,
    WorkflowNodeExecution,
)
from temporal_workflows.contracts import (
    CREATE_HUMAN_TASK_ACTIVITY,
    RECORD_HUMAN_ANSWER_ACTIVITY,
    RECORD_HUMAN_TASK_ACTIVITY,
    HumanAnswerRecord,
    HumanTaskInput,
    HumanTaskRecord,
)

# Changes decided by the workflow that leave the task open.
KEEPS_OPEN = ("reminded", "delegated")
TERMINAL_NODE_STATUS = {"completed": "completed", "expired": "completed", "cancelled": "cancelled"}


def _now() -> datetime:
    return datetime.now(UTC)


class HumanTaskActivities:
    """Writes HumanInterventionTask rows and the waiting node's record."""

    def __init__(self, database: Database) -> None:
        self._db = database

    @activity.defn(name=CREATE_HUMAN_TASK_ACTIVITY)
    async def create_task(self, data: HumanTaskInput) -> None:
        """Create the task (once) and mark the node and the run as waiting for a person."""
        tenant_id = uuid.UUID(data.tenant_id)
        execution_id = uuid.UUID(data.execution_id)
        due_at = datetime.fromisoformat(data.due_at) if data.due_at else None
        async with self._db.tenant_session(tenant_id) as session:
            created = await session.execute(
                insert(HumanInterventionTask)
                .values(
                    task_id=uuid.UUID(data.task_id),
                    tenant_id=tenant_id,
                    execution_id=execution_id,
                    node_name=data.node_name,
                    node_task_id=data.node_task_id,
                    instruction=data.instruction,
                    current_state=jsonable(data.current_state),
                    required_input_schema=data.required_input_schema,
                    status="pending",
                    # A policy stage keeps its assignees, quorum and tally here.
                    assignee_rule=data.policy or {"assigned_to": data.assigned_to},
                    assigned_to=data.assigned_to,
                    priority=data.priority,
                    due_at=due_at,
                    deadline_policy=data.deadline_policy,
                    escalation_history=[],
                )
                .on_conflict_do_nothing(index_elements=["task_id"])
                .returning(col(HumanInterventionTask.task_id))
            )
            # Nothing comes back when a retried activity finds its task already there.
            is_new = created.first() is not None
            await notify_task_created(session, data)  # idempotent: keyed by the task id
            await session.execute(
                insert(WorkflowNodeExecution)
                .values(
                    id=uuid.uuid4(),
                    tenant_id=tenant_id,
                    execution_id=execution_id,
                    node_name=data.node_name,
                    node_type="human",
                    step=data.step,
                    task_id=data.node_task_id,
                    status="waiting",
                    input_state=jsonable(data.current_state),
                    started_at=_now(),
                )
                .on_conflict_do_nothing(constraint="uq_workflow_node_executions_task")
            )
            await session.execute(
                update(WorkflowExecution)
                .where(col(WorkflowExecution.execution_id) == execution_id)
                .values(status="interrupted", current_node=data.node_name, paused_at=_now())
            )
            # `waiting_for_human` commits with the task: a client told to wait finds it.
            await append_workflow_events(session, data.tenant_id, data.execution_id, data.events)
        if is_new:
            record_human_task_opened()

    @activity.defn(name=RECORD_HUMAN_TASK_ACTIVITY)
    async def record_task(self, data: HumanTaskRecord) -> None:
        """Write a task change decided by the workflow (complete, escalate, expire, cancel)."""
        tenant_id = uuid.UUID(data.tenant_id)
        task_id = uuid.UUID(data.task_id)
        now = _now()
        values: dict[str, Any] = {"status": data.status}
        open_for: timedelta | None = None
        async with self._db.tenant_session(tenant_id) as session:
            # First, so a retry that finds the change already made still writes them (once).
            await append_workflow_events(session, data.tenant_id, data.execution_id, data.events)
            task = await session.get(HumanInterventionTask, task_id)
            if task is None:
                return
            if data.status in KEEPS_OPEN:
                # The task stays open: only its stage (assignees, delegations) changes.
                if data.policy is not None and task.completed_at is None:
                    await session.execute(
                        update(HumanInterventionTask)
                        .where(col(HumanInterventionTask.task_id) == task_id)
                        .values(assignee_rule=data.policy)
                    )
                await notify_task_reminded(session, data)
                await notify_task_delegated(session, data)
                return
            if data.status == "escalated":
                values = {
                    **({"assignee_rule": data.policy} if data.policy is not None else {}),
                    "priority": data.priority or task.priority,
                    "assigned_to": data.assigned_to,
                    "assigned_at": None,
                    "status": "pending",
                    "escalation_history": [
                        *task.escalation_history,
                        {
                            "at": now.isoformat(),
                            "from_priority": task.priority,
                            "to_priority": data.priority or task.priority,
                            "from_assignee": task.assigned_to,
                            "to_assignee": data.assigned_to,
                            "reason": data.note,
                        },
                    ],
                }
            else:
                if task.completed_at is not None:
                    return  # already final: a retried activity changes nothing
                values["completed_at"] = now
                open_for = now - task.created_at
                if data.human_input is not None:
                    values["human_input"] = jsonable(data.human_input)
                if data.completion_note is not None:
                    values["completion_note"] = data.completion_note
                if data.completed_by:
                    values["completed_by"] = uuid.UUID(data.completed_by)
                if data.policy is not None:
                    values["assignee_rule"] = data.policy
            await session.execute(
                update(HumanInterventionTask)
                .where(col(HumanInterventionTask.task_id) == task_id)
                .values(**values)
            )
            await notify_task_escalated(session, data)  # only when escalated; idempotent
            node_status = TERMINAL_NODE_STATUS.get(data.status)
            if data.status == "expired" and data.node_output is None:
                # The deadline failed the node (no default answer): a retry must ask again.
                node_status = "failed"
            if data.policy is not None and data.status == "completed" and not data.node_output:
                node_status = "failed"  # the approval was refused and the policy fails
            if not data.closes_node:
                node_status = None  # a stage before the last: the node waits on
            if node_status is not None:
                await session.execute(
                    update(WorkflowNodeExecution)
                    .where(
                        col(WorkflowNodeExecution.execution_id) == uuid.UUID(data.execution_id),
                        col(WorkflowNodeExecution.task_id) == data.node_task_id,
                    )
                    .values(
                        status=node_status,
                        output_state=jsonable(data.node_output) if data.node_output else None,
                        error_message=data.note if node_status == "failed" else None,
                        completed_at=now,
                        duration_ms=(
                            func.extract(
                                "epoch", literal(now) - col(WorkflowNodeExecution.started_at)
                            )
                            * 1000
                        ).cast(Integer),
                    )
                )
                await session.execute(
                    update(WorkflowExecution)
                    .where(
                        col(WorkflowExecution.execution_id) == uuid.UUID(data.execution_id),
                        col(WorkflowExecution.status) == "interrupted",
                    )
                    .values(status="running")
                )
        if open_for is not None:
            record_human_task_closed(data.status, open_for)

    @activity.defn(name=RECORD_HUMAN_ANSWER_ACTIVITY)
    async def record_answer(self, data: HumanAnswerRecord) -> None:
        """Keep one person's answer to a policy task (once) and the stage's new tally."""
        tenant_id = uuid.UUID(data.tenant_id)
        task_id = uuid.UUID(data.task_id)
        async with self._db.tenant_session(tenant_id) as session:
            await append_workflow_events(session, data.tenant_id, data.execution_id, data.events)
            await session.execute(
                insert(HumanTaskAnswer)
                .values(
                    id=uuid.uuid4(),
                    tenant_id=tenant_id,
                    task_id=task_id,
                    answered_by=uuid.UUID(data.by),
                    voice=data.voice,
                    agreed=data.agreed,
                    human_input=jsonable(data.input),
                    note=data.note,
                    answered_at=datetime.fromisoformat(data.at),
                )
                .on_conflict_do_nothing(constraint="uq_human_task_answers_voice")
            )
            if data.policy is not None:
                await session.execute(
                    update(HumanInterventionTask)
                    .where(
                        col(HumanInterventionTask.task_id) == task_id,
                        col(HumanInterventionTask.completed_at).is_(None),
                    )
                    .values(assignee_rule=data.policy, status="in_progress")
                )
