"""Approval policies of human nodes on the time-skipping test server: quorums, stages,
deadlines with reminders and escalation, delegation. Activities are recorded, not run:
what is checked here is what the workflow decides."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import WorkflowFailureError, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer

from agentpaas.worker import workflow_runner
from node_types.validation import validate_definition
from temporal_workflows import contracts as c
from temporal_workflows.agent_run import AgentRunWorkflow
from tests.helpers import approval_agent
from tests.temporal_workflows.skipping import (
    RecordedCalls,
    run_input,
    running,
    start_time_skipping,
)

DAY = 24 * 3600
HISTORIES = Path(__file__).resolve().parent.parent / "histories"
A, B, C, D, E = (str(uuid.uuid4()) for _ in range(5))


@pytest.fixture(scope="module")
async def env() -> AsyncIterator[WorkflowEnvironment]:
    """The time-skipping test server."""
    environment = await start_time_skipping()
    yield environment
    await environment.shutdown()


def _agent(approval: dict[str, Any]) -> dict[str, Any]:
    definition = approval_agent()
    definition["nodes"][0]["config"]["approval"] = approval  # type: ignore[index]
    assert validate_definition(definition) == []
    return definition


def _params(approval: dict[str, Any]) -> c.RunInput:
    return run_input(_agent(approval), "deploy")


def _answer(
    params: c.RunInput,
    task_id: str,
    user: str,
    approved: bool,
    *,
    role: str = "user",
    groups: tuple[str, ...] = (),
) -> c.HumanInput:
    return c.HumanInput(
        task_id=task_id,
        input={"approved": approved},
        completed_by=user,
        completer_tenant_id=params.tenant_id,
        completer_role=role,
        request_id=f"r-{user}",
        completer_groups=list(groups),
    )


async def _send(handle: WorkflowHandle[Any, Any], answer: c.HumanInput) -> Any:
    """The update as the API sends it (one per person); the failure's type, or the result."""
    try:
        return await handle.execute_update(
            c.HUMAN_INPUT_UPDATE,
            answer,
            id=f"{answer.task_id}:{answer.completed_by}",
            result_type=c.HumanInputResult,
        )
    except WorkflowUpdateFailedError as exc:
        assert isinstance(exc.cause, ApplicationError)
        return exc.cause.type


async def _task(calls: RecordedCalls, count: int = 1) -> c.HumanTaskInput:
    for _ in range(200):
        if len(calls.tasks) >= count:
            return calls.tasks[count - 1]
        await asyncio.sleep(0.05)
    raise AssertionError(f"stage {count} was never asked")


class Run:
    """One run of the approval agent on its own task queue."""

    def __init__(self, env: WorkflowEnvironment, approval: dict[str, Any]) -> None:
        self.env = env
        self.params = _params(approval)
        self.calls = RecordedCalls()

    def started(self) -> AbstractAsyncContextManager[WorkflowHandle[Any, c.RunResult]]:
        """The run, started on a worker of its own."""
        return running(self.env, self.params, self.calls.activities())


async def test_two_of_three_with_five_concurrent_answers_completes_exactly_once(
    env: WorkflowEnvironment,
) -> None:
    run = Run(env, {"stages": [{"name": "board", "assignees": {"users": [A, B, C]}, "quorum": 2}]})
    async with run.started() as handle:
        task = await _task(run.calls)
        assert task.policy is not None and task.policy["quorum"] == 2 and task.policy["of"] == 3
        results = await asyncio.gather(
            *(_send(handle, _answer(run.params, task.task_id, u, True)) for u in (A, B, C, D, E))
        )
        result = await handle.result()
    accepted = [r for r in results if isinstance(r, c.HumanInputResult)]
    # Two of the three named people were heard, the third found the stage settled; the two
    # who are not named were refused (Forbidden, or TaskNotOpen once the stage had closed).
    assert len(accepted) == 2 and {r.completed_by for r in accepted} <= {A, B, C}
    assert results[3] in ("Forbidden", "TaskNotOpen") and results[4] in ("Forbidden", "TaskNotOpen")
    assert sum(1 for r in results[:3] if r == "TaskNotOpen") == 1
    assert [r.decided for r in accepted].count(True) == 1
    deciding = next(r for r in accepted if r.decided)
    assert deciding.agreements == 2 and deciding.still_needed == 0
    completions = [r for r in run.calls.records if r.status == "completed"]
    assert len(completions) == 1 and completions[0].completed_by == deciding.completed_by
    assert len(run.calls.answers) == 2
    assert result.status == "completed" and result.answer == "approved"
    output = completions[0].node_output
    assert output is not None and output["decision"]["approved"] is True
    assert len(output["decision"]["stages"][0]["answers"]) == 2


async def test_a_stage_is_rejected_once_agreement_is_out_of_reach(
    env: WorkflowEnvironment,
) -> None:
    run = Run(env, {"stages": [{"assignees": {"users": [A, B, C]}, "quorum": 2}]})
    async with run.started() as handle:
        task = await _task(run.calls)
        first = await _send(handle, _answer(run.params, task.task_id, A, False))
        assert isinstance(first, c.HumanInputResult) and not first.decided
        second = await _send(handle, _answer(run.params, task.task_id, B, False))
        assert isinstance(second, c.HumanInputResult) and second.decided
        result = await handle.result()
    # Two no's of three: two yes's can no longer be reached; the conditional edge branches.
    assert result.answer == "rejected"
    assert run.calls.records[-1].node_output == {
        "decision": {
            "approved": False,
            "stages": [
                {
                    "name": None,
                    "decision": "rejected",
                    "answers": [
                        {
                            "by": who,
                            "on_behalf_of": None,
                            "agreed": False,
                            "input": {"approved": False},
                            "at": answer.at,
                        }
                        for who, answer in zip((A, B), run.calls.answers, strict=True)
                    ],
                }
            ],
        }
    }


async def test_the_same_person_is_heard_once(env: WorkflowEnvironment) -> None:
    run = Run(env, {"stages": [{"assignees": {"roles": ["reviewer"]}, "quorum": 2}]})
    async with run.started() as handle:
        task = await _task(run.calls)
        first = await _send(handle, _answer(run.params, task.task_id, A, True, role="reviewer"))
        assert isinstance(first, c.HumanInputResult) and first.still_needed == 1
        again = _answer(run.params, task.task_id, A, True, role="reviewer")
        again.request_id = "another request"
        # A new update id: the same person answering twice is refused, not counted.
        try:
            await handle.execute_update(
                c.HUMAN_INPUT_UPDATE, again, id="other", result_type=c.HumanInputResult
            )
        except WorkflowUpdateFailedError as exc:
            assert isinstance(exc.cause, ApplicationError)
            assert exc.cause.type == "AlreadyAnswered"
        else:
            raise AssertionError("a second answer of the same person was taken")
        user = await _send(handle, _answer(run.params, task.task_id, B, True, role="user"))
        assert user == "Forbidden"
        done = await _send(handle, _answer(run.params, task.task_id, C, True, role="reviewer"))
        assert isinstance(done, c.HumanInputResult) and done.decided
        assert (await handle.result()).answer == "approved"


async def test_two_stages_with_a_reminder_and_an_escalation(env: WorkflowEnvironment) -> None:
    policy = {
        "stages": [
            {
                "name": "manager",
                "assignees": {"users": [A]},
                "deadline": {
                    "after_seconds": DAY,
                    "remind_before_seconds": 3600,
                    "policy": "escalate",
                    "escalate_to": {"roles": ["admin"]},
                    "escalate_priority": 9,
                },
            },
            {"name": "finance", "assignees": {"groups": ["finance"]}},
        ]
    }
    run = Run(env, policy)
    async with run.started() as handle:
        stage_one = await _task(run.calls)
        await env.sleep(timedelta(seconds=DAY - 1800))
        assert [r.status for r in run.calls.records] == ["reminded"]
        await env.sleep(timedelta(seconds=3600))
        assert [r.status for r in run.calls.records] == ["reminded", "escalated"]
        escalated = run.calls.records[-1]
        assert escalated.priority == 9 and escalated.policy is not None
        assert escalated.policy["assignees"]["roles"] == ["admin"]
        assert escalated.policy["assignees"]["users"] == [A]
        # An admin, asked by the escalation, approves stage 1; stage 2 asks finance.
        admin = await _send(handle, _answer(run.params, stage_one.task_id, E, True, role="admin"))
        assert isinstance(admin, c.HumanInputResult) and admin.decided
        stage_two = await _task(run.calls, 2)
        assert stage_two.policy is not None and stage_two.policy["stage"] == 1
        assert stage_two.policy["stage_name"] == "finance"
        stage_one_closed = run.calls.records[-1]
        assert stage_one_closed.status == "completed" and stage_one_closed.closes_node is False
        outsider = await _send(handle, _answer(run.params, stage_two.task_id, D, True))
        assert outsider == "Forbidden"
        member = _answer(run.params, stage_two.task_id, B, True, groups=("finance",))
        assert isinstance(await _send(handle, member), c.HumanInputResult)
        result = await handle.result()
    assert result.answer == "approved"
    last = run.calls.records[-1]
    assert last.closes_node is True and last.node_output is not None
    stages = last.node_output["decision"]["stages"]
    assert [s["name"] for s in stages] == ["manager", "finance"]
    assert [s["answers"][0]["by"] for s in stages] == [E, B]
    # Days passed on the workflow's clock, none on ours.
    history = await handle.fetch_history()
    first_event, last_event = history.events[0], history.events[-1]
    elapsed = last_event.event_time.ToDatetime() - first_event.event_time.ToDatetime()
    assert elapsed >= timedelta(seconds=DAY)
    # The whole chain replays (and is kept for the recorded-histories replay test).
    replayer = Replayer(workflows=[AgentRunWorkflow], workflow_runner=workflow_runner())
    assert (await replayer.replay_workflow(history)).replay_failure is None
    if os.environ.get("AGENTPAAS_RECORD_HISTORIES"):
        (HISTORIES / "approval_policy_two_stages.json").write_text(history.to_json())


async def test_a_delegate_answers_for_the_assignee_who_delegated(
    env: WorkflowEnvironment,
) -> None:
    run = Run(env, {"stages": [{"assignees": {"users": [A, B]}, "quorum": 2}]})
    async with run.started() as handle:
        task = await _task(run.calls)
        stage = await handle.execute_update(
            c.DELEGATE_HUMAN_TASK_UPDATE,
            c.HumanDelegation(
                task_id=task.task_id,
                tenant_id=run.params.tenant_id,
                from_user_id=A,
                from_email="",
                from_role="user",
                from_groups=[],
                to_user_id=D,
                to_email="",
                to_role="user",
                to_groups=[],
            ),
            result_type=dict,
        )
        assert stage["delegations"] == [{"from": A, "to": D}]
        assert await _send(handle, _answer(run.params, task.task_id, A, True)) == "Forbidden"
        by_delegate = await _send(handle, _answer(run.params, task.task_id, D, True))
        assert isinstance(by_delegate, c.HumanInputResult) and not by_delegate.decided
        assert isinstance(
            await _send(handle, _answer(run.params, task.task_id, B, True)), c.HumanInputResult
        )
        result = await handle.result()
    assert result.answer == "approved"
    answers = run.calls.records[-1].node_output["decision"]["stages"][0]["answers"]  # type: ignore[index]
    assert answers[0]["by"] == D and answers[0]["on_behalf_of"] == A
    assert [r.status for r in run.calls.records] == ["delegated", "completed"]


async def test_a_refusal_fails_the_node_when_the_policy_says_so(
    env: WorkflowEnvironment,
) -> None:
    run = Run(env, {"on_rejection": "fail", "stages": [{"assignees": {"users": [A]}}]})
    async with run.started() as handle:
        task = await _task(run.calls)
        await _send(handle, _answer(run.params, task.task_id, A, False))
        with pytest.raises(WorkflowFailureError):
            await handle.result()
    assert run.calls.finished[-1].status == "failed"
    assert run.calls.finished[-1].error is not None
    assert run.calls.finished[-1].error["type"] == "HumanRejected"
    assert run.calls.records[-1].node_output is None
