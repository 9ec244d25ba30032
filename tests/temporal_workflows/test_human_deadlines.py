"""Deadlines of human tasks on the time-skipping test server: days pass in moments."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from temporalio.client import WorkflowFailureError
from temporalio.testing import WorkflowEnvironment

from temporal_workflows import contracts as c
from tests.helpers import approval_agent
from tests.temporal_workflows.skipping import (
    RecordedCalls,
    run_input,
    running,
    start_time_skipping,
)

THREE_DAYS = 3 * 24 * 3600


@pytest.fixture(scope="module")
async def skipping_env() -> AsyncIterator[WorkflowEnvironment]:
    """The time-skipping test server."""
    env = await start_time_skipping()
    yield env
    await env.shutdown()


def _run_input(deadline: dict[str, Any]) -> c.RunInput:
    return run_input(approval_agent(deadline), "deploy")


async def _run(env: WorkflowEnvironment, deadline: dict[str, Any], calls: RecordedCalls) -> Any:
    async with running(env, _run_input(deadline), calls.activities()) as handle:
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
    params = _run_input(
        {
            "after_seconds": THREE_DAYS,
            "policy": "escalate",
            "escalate_to": "duty-manager",
            "escalate_priority": 9,
        }
    )
    async with running(skipping_env, params, calls.activities()) as handle:
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
