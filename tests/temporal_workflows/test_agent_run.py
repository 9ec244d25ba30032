"""The run workflow on a real Temporal server: retries, failures, records and replay."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import select
from temporalio.client import WorkflowExecutionStatus, WorkflowFailureError
from temporalio.worker import Replayer

from activities.scripted_llm import ScriptedReply, register_script
from agentpaas.worker import workflow_runner
from platform_core.models import WorkflowExecution, WorkflowNodeExecution
from temporal_workflows.agent_run import AgentRunWorkflow
from temporal_workflows.contracts import run_workflow_id
from tests.helpers import Platform, create_agent, one_llm_node, stream_turn

CALLS: Counter[str] = Counter()


def _failing(times: int, name: str):  # type: ignore[no-untyped-def]
    def script(messages: list[dict[str, Any]], params: dict[str, Any]) -> ScriptedReply:
        CALLS[name] += 1
        if CALLS[name] <= times:
            raise ConnectionError(f"scripted outage #{CALLS[name]}")
        return ScriptedReply(text=f"recovered after {times} failures")

    return script


async def _rows(platform: Platform, execution_id: uuid.UUID) -> tuple[Any, list[Any]]:
    async with platform.db.tenant_session(platform.seeded.tenant_id) as session:
        execution = await session.get(WorkflowExecution, execution_id)
        nodes = (
            (
                await session.execute(
                    select(WorkflowNodeExecution).where(
                        WorkflowNodeExecution.execution_id == execution_id
                    )
                )
            )
            .scalars()
            .all()
        )
    return execution, list(nodes)


async def test_failing_node_is_retried_and_the_run_completes(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    script = f"flaky-{uuid.uuid4().hex[:6]}"
    register_script(script, _failing(2, script))
    agent_id = await create_agent(
        database_urls.admin_url, platform.seeded.tenant_id, one_llm_node(f"scripted/{script}")
    )
    response, frames = await stream_turn(
        platform.client, admin_token, {"agent_id": agent_id, "message": "try hard"}
    )
    assert response.status_code == 200
    done = frames[-1]["data"]
    assert done["status"] == "completed", frames  # type: ignore[index]
    assert done["answer"] == "recovered after 2 failures"  # type: ignore[index]
    assert CALLS[script] == 3
    events = [f["event"] for f in frames]
    assert events.count("retrying") == 2 and events.count("reset") == 2

    execution, nodes = await _rows(platform, uuid.UUID(response.headers["X-Execution-Id"]))
    assert execution.status == "completed"
    (node,) = [n for n in nodes if n.node_name == "answer"]
    assert node.status == "completed" and node.retry_count == 2 and node.max_retries == 2


async def test_exhausted_retries_fail_the_run_and_name_the_node(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    script = f"down-{uuid.uuid4().hex[:6]}"
    register_script(script, _failing(100, script))
    agent_id = await create_agent(
        database_urls.admin_url,
        platform.seeded.tenant_id,
        one_llm_node(f"scripted/{script}", max_attempts=2),
    )
    response, frames = await stream_turn(
        platform.client, admin_token, {"agent_id": agent_id, "message": "doomed"}
    )
    assert response.status_code == 200
    assert CALLS[script] == 2
    by_event = {f["event"]: f["data"] for f in frames}
    assert by_event["node_failed"]["node"] == "answer"  # type: ignore[index]
    assert "answer" in str(by_event["error"]["node"])  # type: ignore[index]
    assert by_event["done"]["status"] == "failed"  # type: ignore[index]

    execution_id = uuid.UUID(response.headers["X-Execution-Id"])
    execution, nodes = await _rows(platform, execution_id)
    assert execution.status == "failed"
    assert execution.error_info["node"] == "answer"
    assert "scripted outage" in execution.error_info["message"]
    (node,) = nodes
    assert node.status == "failed" and "scripted outage" in (node.error_message or "")

    handle = platform.temporal.get_workflow_handle(run_workflow_id(str(execution_id)))
    # `done` commits with the run's records; the workflow closes just after.
    with pytest.raises(WorkflowFailureError):
        await handle.result()
    description = await handle.describe()
    assert description.status == WorkflowExecutionStatus.FAILED


async def test_recorded_runs_replay_deterministically(platform: Platform, admin_token: str) -> None:
    response, frames = await stream_turn(
        platform.client, admin_token, {"agent": "Assistant", "message": "replay me"}
    )
    assert frames[-1]["data"]["status"] == "completed"  # type: ignore[index]
    workflow_id = run_workflow_id(response.headers["X-Execution-Id"])
    history = await platform.temporal.get_workflow_handle(workflow_id).fetch_history()
    result = await Replayer(
        workflows=[AgentRunWorkflow], workflow_runner=workflow_runner()
    ).replay_workflow(history)
    assert result.replay_failure is None
