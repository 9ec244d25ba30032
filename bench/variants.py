"""One run of the chain, each way it can be executed; every run returns its wall-clock time.

Timing starts when the run is submitted and stops when its result is back at the caller,
so it includes the workflow's start and end, not only the nodes. Set-up that a caller
does before submitting (registering the execution row) is outside the timing.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

from chain import CHAIN_INPUTS
from environment import ChainAgent, PlatformDatabase, register_execution
from noop_activities import RecordedNoopNode, noop_node
from raw_temporal import ChainInput, RawActivityChain, RawLocalActivityChain
from temporalio.client import Client
from temporalio.worker import Worker

from activities.records import NodeRecorder

# _activity_name: the same name resolution build_worker overrides activities by.
from agentpaas.worker import (
    _activity_name,
    build_activities,
    build_worker,
    workflow_runner,
)
from platform_api.executions.launcher import search_attributes
from temporal_workflows.agent_run import AgentRunWorkflow
from temporal_workflows.contracts import RUN_WORKFLOW, RunInput, RunResult, run_workflow_id


@dataclass(frozen=True)
class RunOutcome:
    """A run's wall-clock seconds and, for Temporal runs, its workflow id."""

    seconds: float
    workflow_id: str | None = None
    execution_id: uuid.UUID | None = None


def node_activity(db: PlatformDatabase, *, records: bool) -> Any:
    """The no-op node activity, bare or writing its node record."""
    return RecordedNoopNode(NodeRecorder(db.app)).run if records else noop_node


def platform_worker(
    client: Client, db: PlatformDatabase, task_queue: str, *, records: bool, **options: Any
) -> Worker:
    """The platform's worker with the no-op registered under ``node.llm``.

    ``build_worker`` (the real composition root) whenever it can take the options; it
    takes only ``max_cached_workflows``, so for other Worker knobs (the sticky-queue
    study) the same worker is assembled from its parts: the platform's activities with
    the no-op winning by name, and its sandbox runner.
    """
    activity = node_activity(db, records=records)
    if set(options) <= {"max_cached_workflows"}:
        return build_worker(client, db.app, task_queue, extra_activities=[activity], **options)
    by_name = {_activity_name(fn): fn for fn in [*build_activities(db.app), activity]}
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[AgentRunWorkflow],
        workflow_runner=workflow_runner(),
        activities=list(by_name.values()),
        **options,
    )


def raw_worker(client: Client, task_queue: str, **options: Any) -> Worker:
    """A worker for the hand-written chains, with the same no-op activity."""
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[RawActivityChain, RawLocalActivityChain],
        activities=[noop_node],
        **options,
    )


async def run_platform(
    client: Client,
    db: PlatformDatabase,
    agent: ChainAgent,
    task_queue: str,
    **start_options: Any,
) -> RunOutcome:
    """One agent run through the interpreter workflow, started as the API starts it."""
    execution_id = await register_execution(db, agent)
    workflow_id = run_workflow_id(str(execution_id))
    params = RunInput(
        execution_id=str(execution_id),
        tenant_id=str(agent.tenant_id),
        agent_id=str(agent.agent_id),
        agent_version_id=str(agent.version_id),
        plan=agent.plan,
        inputs=CHAIN_INPUTS,
        agent_name="bench-chain",
        events_in_log=True,
    )
    attributes = search_attributes(
        tenant_id=agent.tenant_id,
        agent_id=agent.agent_id,
        version_id=agent.version_id,
        chat_id=None,
    )
    started = time.perf_counter()
    result = await client.execute_workflow(
        RUN_WORKFLOW,
        params,
        id=workflow_id,
        task_queue=task_queue,
        search_attributes=attributes,
        result_type=RunResult,
        **start_options,
    )
    seconds = time.perf_counter() - started
    if result.status != "completed":
        raise RuntimeError(f"run {workflow_id} ended {result.status}: {result.error}")
    return RunOutcome(seconds, workflow_id, execution_id)


async def run_raw(
    client: Client, task_queue: str, nodes: int, *, local: bool, **start_options: Any
) -> RunOutcome:
    """One hand-written chain: regular or local activities."""
    workflow = RawLocalActivityChain.run if local else RawActivityChain.run
    workflow_id = f"bench-raw-{uuid.uuid4().hex}"
    started = time.perf_counter()
    ran = await client.execute_workflow(
        workflow,
        ChainInput(nodes=nodes, state=CHAIN_INPUTS),
        id=workflow_id,
        task_queue=task_queue,
        **start_options,
    )
    seconds = time.perf_counter() - started
    if ran != nodes:
        raise RuntimeError(f"{workflow_id} ran {ran} of {nodes} nodes")
    return RunOutcome(seconds, workflow_id)


async def run_langgraph(graph: Any, nodes: int, *, checkpointed: bool) -> RunOutcome:
    """One LangGraph invocation; a checkpointed graph gets a new thread per run."""
    config: dict[str, Any] = {"recursion_limit": nodes + 5}
    if checkpointed:
        config["configurable"] = {"thread_id": uuid.uuid4().hex}
    started = time.perf_counter()
    await graph.ainvoke(CHAIN_INPUTS, config)
    return RunOutcome(time.perf_counter() - started)
