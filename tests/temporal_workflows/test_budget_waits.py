"""Budgets that pause: runs wait for a budget instead of failing, and go on by themselves.

End to end (real PostgreSQL, Temporal dev server, worker, scripted model): ten concurrent
runs against an agent budget that fits four reservations at once; those that do not fit
wait, and after a raise all ten
complete with no token spent beyond the budget. On the time-skipping test server (node
activity registered under the real name): a wait ends by itself when the period ends.

Set AGENTPAAS_RECORD_HISTORIES=1 to (re)write tests/histories/budget_wait*.json, which
``test_recorded_histories_replay`` replays with the other recorded histories.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlmodel import col
from temporalio import activity
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer

from activities.llm import prompt_tokens
from activities.scripted_llm import ScriptedReply, register_script
from agentpaas.runtime.postgres import DatabaseUrls
from agentpaas.worker import workflow_runner
from node_types.llm import build_request
from platform_core.models import BudgetWait, TenantQuota, TokenBudget, TokenReservation
from temporal_workflows import contracts as c
from temporal_workflows.agent_run import AgentRunWorkflow
from tests.helpers import Platform, create_agent, one_llm_node, stream_turn
from tests.llm_helpers import create_tenant
from tests.platform_api.test_tenancy_admin import platform_admin
from tests.temporal_workflows.skipping import run_input, running, start_time_skipping

HISTORIES = Path(__file__).resolve().parent.parent / "histories"
RUNS = 10
FIRST_FIT = 4
MAX_TOKENS = 20
# MAX_TOKENS words: the scripted model reports as many completion tokens as were reserved,
# so a call uses about what it reserved (only the prompt estimate's margin is left).
ANSWER = " ".join(["word"] * MAX_TOKENS)
QUESTION = "go"


def _agent(script: str) -> dict[str, Any]:
    definition = one_llm_node(f"scripted/{script}", max_attempts=1)
    definition["nodes"][0]["config"]["max_tokens"] = MAX_TOKENS  # type: ignore[index]
    return definition


def _reservation(script: str) -> int:
    """What the llm activity reserves per call: litellm's prompt count + max_tokens."""
    node = _agent(script)["nodes"][0]
    request = build_request(node["config"], {"messages": [{"role": "user", "content": QUESTION}]})
    return prompt_tokens(f"scripted/{script}", request) + MAX_TOKENS


async def _until(check: Any, what: str, timeout: float = 60) -> Any:
    for _ in range(int(timeout * 10)):
        if result := await check():
            return result
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


async def test_ten_runs_wait_for_an_agent_budget_and_all_complete_after_a_raise(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    script = f"budget-{uuid.uuid4().hex[:6]}"
    register_script(script, lambda messages, params: ScriptedReply(text=ANSWER))
    admin = await create_tenant(platform, database_urls.admin_url)
    agent_id = await create_agent(database_urls.admin_url, admin.tenant_id, _agent(script))
    reservation = _reservation(script)
    first_limit = FIRST_FIT * reservation + reservation // 2
    put = await platform.client.put(
        f"/api/v1/budgets/agents/{agent_id}",
        json={"max_tokens_per_month": first_limit},
        headers=admin.headers,
    )
    assert put.status_code == 200, put.text
    turns = [
        asyncio.create_task(
            stream_turn(platform.client, admin.token, {"agent_id": agent_id, "message": QUESTION})
        )
        for _ in range(RUNS)
    ]

    async def waits() -> list[BudgetWait]:
        async with platform.db.tenant_session(admin.tenant_id) as session:
            return list((await session.execute(select(BudgetWait))).scalars())

    async def parked(execution_id: uuid.UUID) -> bool:
        # Waiting, and nothing of it in flight: Temporal shows it waiting, and it has no
        # workflow task (a signal from a call's give-back not yet taken; a wait still
        # writing its events) and no activity (asking again) pending. The activity writes
        # the wait row before it asks once more, so the row alone is not yet a wait.
        handle = platform.temporal.get_workflow_handle(c.run_workflow_id(str(execution_id)))
        description = await handle.describe()
        raw = description.raw_description
        return (
            description.typed_search_attributes.get(c.SA_STATUS) == "waiting"
            and not raw.HasField("pending_workflow_task")
            and not raw.pending_activities
        )

    async def settled_into_waits() -> bool:
        found = await waits()
        if len(found) + sum(t.done() for t in turns) != RUNS:
            return False
        return all([await parked(wait.execution_id) for wait in found])

    # Generous: on a loaded machine a woken run may take seconds to ask again.
    await _until(settled_into_waits, "every run to finish or wait", timeout=120)
    waiting = await waits()
    # Four reservations fit at once; calls use less than they reserve (the prompt estimate
    # is generous), so a few more may fit after them, but never all ten.
    finished = RUNS - len(waiting)
    assert FIRST_FIT <= finished < RUNS
    assert {(w.scope, str(w.subject_id)) for w in waiting} == {("agent", agent_id)}
    done = [t.result() for t in turns if t.done()]
    assert [frames[-1]["data"]["status"] for _, frames in done] == ["completed"] * finished  # type: ignore[index]

    # No token beyond the budget: what the calls used (and still hold) fits the limit.
    async with platform.db.tenant_session(admin.tenant_id) as session:
        holds = list((await session.execute(select(TokenReservation))).scalars())
        budget = (
            await session.execute(select(TokenBudget).where(col(TokenBudget.scope) == "agent"))
        ).scalar_one()
    settled = [h for h in holds if h.status == "settled"]
    assert len(settled) == finished and {h.reserved_tokens for h in holds} == {reservation}
    assert all(h.used_tokens is not None and h.used_tokens <= h.reserved_tokens for h in settled)
    used = sum(h.used_tokens or 0 for h in settled)
    assert budget.used_tokens == used <= first_limit
    assert budget.reserved_tokens == 0
    assert used + reservation > first_limit  # one more call could have gone past it

    # Admins see what waits and why; the run list and Temporal say so too.
    listed = await platform.client.get("/api/v1/budgets/waiting", headers=admin.headers)
    assert listed.status_code == 200, listed.text
    assert sorted(w["execution_id"] for w in listed.json()) == sorted(
        str(w.execution_id) for w in waiting
    )
    report = (await platform.client.get("/api/v1/budgets", headers=admin.headers)).json()
    mine = next(b for b in report["budgets"] if b["subject_id"] == agent_id)
    assert (mine["limit"], mine["used"], mine["waiting_runs"]) == (first_limit, used, len(waiting))
    runs = await platform.client.get(
        "/api/v1/executions", params={"agent_id": agent_id}, headers=admin.headers
    )
    shown = [r for r in runs.json()["items"] if r["waiting_for_budget"]]
    assert len(shown) == len(waiting)
    assert {r["waiting_for_budget"]["scope"] for r in shown} == {"agent"}
    assert {r["status"] for r in shown} == {"running"}
    # Temporal shows them waiting, with nothing in flight.
    assert all([await parked(w.execution_id) for w in waiting])
    handle = platform.temporal.get_workflow_handle(c.run_workflow_id(str(waiting[0].execution_id)))
    notes = await platform.client.get("/api/v1/notifications", headers=admin.headers)
    told = {
        n["data"]["execution_id"]
        for n in notes.json()["items"]
        if n["kind"] == "run_waiting_for_budget"
    }
    # Every waiting run's user was told (and the user of any run that waited a moment).
    assert {str(w.execution_id) for w in waiting} <= told

    # The raise wakes every waiting run, and they all complete, still within the budget.
    second_limit = RUNS * reservation + reservation // 2
    raised = await platform.client.put(
        f"/api/v1/budgets/agents/{agent_id}",
        json={"max_tokens_per_month": second_limit},
        headers=admin.headers,
    )
    assert raised.status_code == 200, raised.text
    # Every waiting run is told (none was asking: each is parked), and all complete below:
    # a run left waiting would wait until the month's end.
    assert raised.json()["woken_runs"] == len(waiting)
    results = await asyncio.wait_for(asyncio.gather(*turns), timeout=120)
    assert [frames[-1]["data"]["status"] for _, frames in results] == ["completed"] * RUNS  # type: ignore[index]
    woken = next(
        frames
        for response, frames in results
        if response.headers["X-Execution-Id"] == str(waiting[0].execution_id)
    )
    events = [f["event"] for f in woken]
    assert events.index("waiting_for_budget") < events.index("budget_available")
    assert events.index("budget_available") < events.index("done")
    async with platform.db.tenant_session(admin.tenant_id) as session:
        holds = list((await session.execute(select(TokenReservation))).scalars())
        budget = (
            await session.execute(select(TokenBudget).where(col(TokenBudget.scope) == "agent"))
        ).scalar_one()
        quota = await session.get(TenantQuota, admin.tenant_id)
        left = list((await session.execute(select(BudgetWait))).scalars())
    settled = [h for h in holds if h.status == "settled"]
    assert len(settled) == RUNS and left == []
    total = sum(h.used_tokens or 0 for h in settled)
    assert budget.used_tokens == total <= second_limit
    assert quota is not None and quota.current_month_tokens == total

    # The woken run's history replays (and is kept for the replay tests).
    history = await handle.fetch_history()
    replayed = await Replayer(
        workflows=[AgentRunWorkflow], workflow_runner=workflow_runner()
    ).replay_workflow(history)
    assert replayed.replay_failure is None
    if os.environ.get("AGENTPAAS_RECORD_HISTORIES"):
        (HISTORIES / "budget_wait.json").write_text(history.to_json())


async def test_raising_the_tenant_quota_wakes_the_runs_waiting_for_it(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    script = f"quota-{uuid.uuid4().hex[:6]}"
    register_script(script, lambda messages, params: ScriptedReply(text=ANSWER))
    quota = _reservation(script) - 1  # not even one call fits
    admin = await create_tenant(platform, database_urls.admin_url, max_tokens_per_month=quota)
    agent_id = await create_agent(database_urls.admin_url, admin.tenant_id, _agent(script))
    me = (await platform.client.get("/api/auth/me", headers=admin.headers)).json()
    # Budgets sit under the tenant's quota; a person's own keys do not draw on it.
    over = await platform.client.put(
        f"/api/v1/budgets/agents/{agent_id}",
        json={"max_tokens_per_month": quota + 1},
        headers=admin.headers,
    )
    assert over.status_code == 422, over.text
    own = await platform.client.put(
        f"/api/v1/budgets/users/{me['id']}/personal",
        json={"max_tokens_per_month": quota * 100},
        headers=admin.headers,
    )
    assert own.status_code == 200, own.text
    turn = asyncio.create_task(
        stream_turn(platform.client, admin.token, {"agent_id": agent_id, "message": QUESTION})
    )

    async def waiting() -> list[Any]:
        listed = await platform.client.get(
            "/api/v1/budgets/waiting", params={"scope": "tenant"}, headers=admin.headers
        )
        return list(listed.json())

    waits = await _until(waiting, "the run to wait for the tenant's quota")
    assert [w["subject_id"] for w in waits] == [str(admin.tenant_id)]
    assert not turn.done()
    padmin = await platform_admin(platform, database_urls)
    raised = await platform.client.patch(
        f"/api/v1/platform/tenants/{admin.tenant_id}",
        json={"quotas": {"max_tokens_per_month": 100_000}},
        headers=padmin,
    )
    assert raised.status_code == 200, raised.text
    response, frames = await asyncio.wait_for(turn, timeout=60)
    assert frames[-1]["data"]["status"] == "completed", frames  # type: ignore[index]
    assert [f["data"]["scope"] for f in frames if f["event"] == "waiting_for_budget"] == ["tenant"]  # type: ignore[index]


@pytest.fixture(scope="module")
async def skipping_env() -> AsyncIterator[WorkflowEnvironment]:
    """The time-skipping test server."""
    env = await start_time_skipping()
    yield env
    await env.shutdown()


class PeriodEndCalls:
    """A model node refused until its period ends (as the real activity would be), and the
    records the run writes, registered under the real activity names."""

    def __init__(self, period: timedelta) -> None:
        self.period = period
        self.calls: list[Any] = []
        self.events: list[dict[str, Any]] = []
        self.finished: list[c.FinishExecutionInput] = []

    def activities(self) -> list[Any]:
        @activity.defn(name=c.node_activity_name("llm"))
        async def llm(data: c.NodeActivityInput) -> c.NodeActivityResult:
            self.calls.append(activity.info().current_attempt_scheduled_time)
            self.events.extend(e["event"]["event"] for e in data.events)
            if len(self.calls) == 1:
                period_end = activity.info().current_attempt_scheduled_time + self.period
                raise ApplicationError(
                    "the agent budget is exhausted for this month",
                    {
                        "scope": "agent",
                        "subject_id": str(uuid.uuid4()),
                        "limit": 10,
                        "period_end": period_end.isoformat(),
                    },
                    type=c.BUDGET_EXHAUSTED,
                    non_retryable=True,
                )
            return c.NodeActivityResult(
                update={"messages": [{"role": "assistant", "content": "ok"}]}
            )

        @activity.defn(name=c.APPEND_RUN_EVENTS_ACTIVITY)
        async def append(data: c.AppendRunEventsInput) -> None:
            self.events.extend(e["event"]["event"] for e in data.events)

        @activity.defn(name=c.FINISH_EXECUTION_ACTIVITY)
        async def finish(data: c.FinishExecutionInput) -> None:
            self.events.extend(e["event"]["event"] for e in data.events)
            self.finished.append(data)

        return [llm, append, finish]


async def test_a_wait_ends_when_the_period_rolls_over(skipping_env: WorkflowEnvironment) -> None:
    # Twelve days to the next month on the workflow's clock: no signal, the timer wakes it.
    calls = PeriodEndCalls(timedelta(days=12))
    params = run_input(one_llm_node("scripted/echo"), "go")
    async with running(skipping_env, params, calls.activities()) as handle:
        result = await handle.result()
    assert result.status == "completed" and result.answer == "ok"
    assert len(calls.calls) == 2
    assert calls.calls[1] - calls.calls[0] >= timedelta(days=12)
    assert calls.events.index(c.EVENT_WAITING_FOR_BUDGET) < calls.events.index(
        c.EVENT_BUDGET_AVAILABLE
    )
    history = await handle.fetch_history()
    replayed = await Replayer(
        workflows=[AgentRunWorkflow], workflow_runner=workflow_runner()
    ).replay_workflow(history)
    assert replayed.replay_failure is None
    if os.environ.get("AGENTPAAS_RECORD_HISTORIES"):
        (HISTORIES / "budget_wait_period_end.json").write_text(history.to_json())
