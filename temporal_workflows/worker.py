"""The worker's composition root: builds activities with their clients and registers them."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor
from typing import Any

from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from platform_api.db import Database
from temporal_workflows.agent_run import AgentRunWorkflow


def build_activities(database: Database) -> list[Any]:
    """Every activity the platform runs, bound to its dependencies."""
    from activities.human import HumanTaskActivities
    from activities.litellm_setup import register_scripted_model
    from activities.llm import LlmNodeActivities
    from activities.records import NodeRecorder, RecordActivities

    register_scripted_model()
    recorder = NodeRecorder(database)
    records = RecordActivities(database)
    llm = LlmNodeActivities(recorder)
    human = HumanTaskActivities(database)
    return [
        records.finish_execution,
        records.set_execution_status,
        llm.run_llm_node,
        human.create_task,
        human.record_task,
    ]


def build_worker(
    client: Client,
    database: Database,
    task_queue: str,
    *,
    extra_activities: Sequence[Any] = (),
    activity_executor: Executor | None = None,
    max_cached_workflows: int = 1000,
) -> Worker:
    """A worker for agent runs on ``task_queue``."""
    activities = build_activities(database)
    # Tests register scripted fakes under real activity names: later entries win.
    by_name: dict[str, Any] = {}
    for fn in [*activities, *extra_activities]:
        by_name[_activity_name(fn)] = fn
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[AgentRunWorkflow],
        workflow_runner=workflow_runner(),
        activities=list(by_name.values()),
        activity_executor=activity_executor,
        max_cached_workflows=max_cached_workflows,
    )


def workflow_runner() -> SandboxedWorkflowRunner:
    """The sandbox, with the pure engine package passed through.

    ``node_types`` is deterministic and does no I/O (a test checks its imports), so
    sharing it with the sandbox is safe and saves re-importing pydantic models per run.
    """
    return SandboxedWorkflowRunner(
        restrictions=SandboxRestrictions.default.with_passthrough_modules("node_types")
    )


def _activity_name(fn: Any) -> str:
    from temporalio.activity import _Definition

    definition = _Definition.from_callable(fn)
    return definition.name if definition and definition.name else fn.__name__
