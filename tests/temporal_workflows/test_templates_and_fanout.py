"""Every catalog template runs through the real workflow; fan-out branches run concurrently.

Set AGENTPAAS_RECORD_HISTORIES=1 to (re)write tests/histories/<template>.json from these
runs; test_recorded_histories_replay replays whatever is committed there.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from activities.scripted_llm import ScriptedReply, register_script
from agentpaas.worker import workflow_runner
from platform_core.models import WorkflowNodeExecution
from templates_catalog import get_template, instantiate, load_catalog
from temporal_workflows.agent_run import AgentRunWorkflow
from temporal_workflows.contracts import run_workflow_id
from tests.helpers import Platform, create_agent, stream_turn, wait_for_open_task

HISTORIES = Path(__file__).resolve().parent.parent / "histories"
PARAMETERS: dict[str, dict[str, Any]] = {"approval_gated_action": {"action_tool": "send_email"}}
QUESTION = "Please review this: def double(x): return x * 2  -- is it safe and fast?"


@pytest.mark.parametrize("name", [t.name for t in load_catalog()])
async def test_template_runs_to_completion(
    name: str, platform: Platform, admin_token: str, database_urls: Any
) -> None:
    definition = instantiate(get_template(name), PARAMETERS.get(name, {}))
    agent_id = await create_agent(
        database_urls.admin_url,
        platform.seeded.tenant_id,
        definition,
        name=f"template-{name}-{uuid.uuid4().hex[:6]}",
    )
    turn = asyncio.create_task(
        stream_turn(platform.client, admin_token, {"agent_id": agent_id, "message": QUESTION})
    )
    if any(n["type"] == "human" for n in definition["nodes"]):
        # A reviewer approves, through the inbox, while the run waits.
        task = await wait_for_open_task(platform.client, admin_token, agent_id=agent_id)
        completed = await platform.client.post(
            f"/api/v1/reviews/tasks/{task['task_id']}/complete",
            json={"input": {"approved": True, "comment": "go ahead"}},
            headers={"Authorization": f"Bearer {admin_token}"},
        )
        assert completed.status_code == 200, completed.text
    response, frames = await turn
    assert response.status_code == 200, response.text
    done = frames[-1]
    assert done["event"] == "done"
    assert done["data"]["status"] == "completed", frames  # type: ignore[index]
    started = [f["data"]["node"] for f in frames if f["event"] == "node_started"]  # type: ignore[index]
    completed = [f["data"]["node"] for f in frames if f["event"] == "node_completed"]  # type: ignore[index]
    node_names = {n["name"] for n in definition["nodes"]}
    assert started and set(started) <= node_names
    assert sorted(started) == sorted(completed)

    workflow_id = run_workflow_id(response.headers["X-Execution-Id"])
    history = await platform.temporal.get_workflow_handle(workflow_id).fetch_history()
    replayed = await Replayer(
        workflows=[AgentRunWorkflow], workflow_runner=workflow_runner()
    ).replay_workflow(history)
    assert replayed.replay_failure is None
    if os.environ.get("AGENTPAAS_RECORD_HISTORIES"):
        HISTORIES.mkdir(exist_ok=True)
        (HISTORIES / f"{name}.json").write_text(history.to_json())


async def test_recorded_histories_replay() -> None:
    # Histories recorded before the event log moved to PostgreSQL replay too (old runs).
    files = sorted(HISTORIES.rglob("*.json"))
    assert {f.stem for f in files} >= {t.name for t in load_catalog()}
    replayer = Replayer(workflows=[AgentRunWorkflow], workflow_runner=workflow_runner())
    for path in files:
        history = WorkflowHistory.from_json(f"recorded-{path.stem}", path.read_text())
        result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
        assert result.replay_failure is None, f"{path.name}: {result.replay_failure}"


async def test_fanout_branches_run_concurrently(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    script = f"slow-{uuid.uuid4().hex[:6]}"
    # Ten words at 0.1 s each: one branch takes about a second.
    register_script(
        script, lambda messages, params: ScriptedReply(text="w " * 9 + "w", seconds_per_token=0.1)
    )
    branches = ["alpha", "beta", "gamma"]
    definition = {
        "state": {"messages": {"reducer": "add_messages"}},
        "nodes": [
            {"name": b, "type": "llm", "config": {"model": f"scripted/{script}"}} for b in branches
        ],
        "edges": [
            {"type": "fanout", "source": "__start__", "targets": branches},
            *({"source": b, "target": "__end__"} for b in branches),
        ],
    }
    agent_id = await create_agent(database_urls.admin_url, platform.seeded.tenant_id, definition)
    response, frames = await stream_turn(
        platform.client, admin_token, {"agent_id": agent_id, "message": "go"}
    )
    assert frames[-1]["data"]["status"] == "completed", frames  # type: ignore[index]
    execution_id = uuid.UUID(response.headers["X-Execution-Id"])
    async with platform.db.tenant_session(platform.seeded.tenant_id) as session:
        rows = (
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
    assert sorted(r.node_name for r in rows) == sorted(branches)
    assert {r.step for r in rows} == {0}
    starts = [r.started_at for r in rows]
    ends = [r.completed_at for r in rows]
    assert all(e is not None for e in ends)
    # Every branch started before any finished: they overlapped instead of queueing.
    assert max(starts) < min(ends)  # type: ignore[type-var]
    durations = [(e - s).total_seconds() for s, e in zip(starts, ends, strict=True)]  # type: ignore[operator]
    step = (max(ends) - min(starts)).total_seconds()  # type: ignore[type-var,operator]
    # The step takes about one branch's time, well under the sum of the three.
    assert step < 0.7 * sum(durations)
