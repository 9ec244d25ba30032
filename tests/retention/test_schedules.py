"""The sweeps' schedules exist after worker start, run the sweep workflow, and replay.

Set AGENTPAAS_RECORD_HISTORIES=1 to (re)write tests/retention/histories/ from these runs;
test_recorded_sweep_histories_replay replays whatever is committed there.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from temporalio.client import (
    Client,
    ScheduleActionStartWorkflow,
    ScheduleIntervalSpec,
    ScheduleOverlapPolicy,
    WorkflowHistory,
)
from temporalio.worker import Replayer, Worker

from agentpaas.worker import build_worker, ensure_schedules, workflow_runner
from platform_core.db import Database
from platform_core.settings import Settings
from temporal_workflows import retention_contracts as r
from temporal_workflows.retention import RetentionSweepWorkflow
from tests.retention.conftest import add_audit_rows, count, new_tenant

HISTORIES = Path(__file__).resolve().parent / "histories"
DAY = timedelta(days=1)


@pytest.fixture(scope="module")
async def sweep_worker(
    temporal_client: Client, app_db: Database, settings: Settings
) -> AsyncIterator[tuple[Worker, Settings]]:
    """The platform's worker (as `agentpaas worker` builds it) on a queue of its own, and
    settings naming that queue."""
    queue = f"retention-{uuid.uuid4().hex[:8]}"
    worker = build_worker(temporal_client, app_db, queue, max_cached_workflows=0)
    async with worker:
        yield worker, settings.model_copy(update={"temporal_task_queue": queue})


async def test_every_sweep_has_a_schedule_after_worker_start(
    temporal_client: Client, sweep_worker: tuple[Worker, Settings]
) -> None:
    _, settings = sweep_worker
    settings = settings.model_copy(update={"retention_audit_logs_every_minutes": 720})
    ids = await ensure_schedules(temporal_client, settings)
    # Starting again (another replica, a restart) updates in place and keeps a pause.
    paused = temporal_client.get_schedule_handle(r.schedule_id(r.RUN_EVENTS))
    await paused.pause(note="operator pause")
    settings = settings.model_copy(update={"retention_audit_logs_every_minutes": 1440})
    assert await ensure_schedules(temporal_client, settings) == ids
    assert sorted(ids) == sorted(r.schedule_id(s) for s in r.SWEEP_ACTIVITIES)

    for sweep in r.SWEEP_ACTIVITIES:
        description = await temporal_client.get_schedule_handle(r.schedule_id(sweep)).describe()
        action = description.schedule.action
        assert isinstance(action, ScheduleActionStartWorkflow)
        assert action.workflow == r.RETENTION_WORKFLOW
        assert action.task_queue == settings.temporal_task_queue
        (arg,) = await temporal_client.data_converter.decode(action.args)
        assert arg["sweep"] == sweep
        assert description.schedule.policy.overlap == ScheduleOverlapPolicy.SKIP
        (interval,) = description.schedule.spec.intervals
        assert isinstance(interval, ScheduleIntervalSpec)
        minutes = getattr(settings, f"retention_{sweep}_every_minutes")
        assert interval.every == timedelta(minutes=minutes)
        assert description.schedule.state.paused == (sweep == r.RUN_EVENTS)
    assert (
        await temporal_client.get_schedule_handle(r.schedule_id(r.AUDIT_LOGS)).describe()
    ).schedule.spec.intervals[0].every == timedelta(days=1)
    await paused.unpause()


async def _scheduled_run(client: Client, sweep: str) -> str:
    """Trigger the sweep's schedule; the id of the workflow it started."""
    handle = client.get_schedule_handle(r.schedule_id(sweep))
    before = len((await handle.describe()).info.recent_actions)
    await handle.trigger()
    for _ in range(100):
        actions = (await handle.describe()).info.recent_actions
        if len(actions) > before:
            return actions[-1].action.workflow_id
        await asyncio.sleep(0.1)
    raise AssertionError("the schedule started nothing")


async def test_a_triggered_schedule_sweeps_every_tenant(
    temporal_client: Client,
    sweep_worker: tuple[Worker, Settings],
    owner_db: Database,
    settings: Settings,
) -> None:
    _, worker_settings = sweep_worker
    await ensure_schedules(temporal_client, worker_settings)
    tenant = await new_tenant(owner_db, settings, tenant_settings={"audit_retention_days": 30})
    await add_audit_rows(owner_db, tenant, 31 * DAY, 4, "gone")
    await add_audit_rows(owner_db, tenant, 29 * DAY, 2, "kept")
    everyone = await count(owner_db, "SELECT count(*) FROM tenants")

    workflow_id = await _scheduled_run(temporal_client, r.AUDIT_LOGS)
    report = await temporal_client.get_workflow_handle(workflow_id).result()
    assert report["tenants"] >= everyone and report["deleted"] >= 4
    left = "SELECT count(*) FROM audit_logs WHERE tenant_id = :t AND action = :a"
    assert await count(owner_db, left, t=tenant.tenant_id, a="gone") == 0
    assert await count(owner_db, left, t=tenant.tenant_id, a="kept") == 2


async def test_a_sweep_continues_as_new_page_by_page_and_replays(
    temporal_client: Client, sweep_worker: tuple[Worker, Settings], owner_db: Database
) -> None:
    _, worker_settings = sweep_worker
    everyone = await count(owner_db, "SELECT count(*) FROM tenants")
    handle = await temporal_client.start_workflow(
        RetentionSweepWorkflow.run,
        r.RetentionInput(sweep=r.EXPIRED_CHATS, tenants_per_page=2),
        id=f"retention-test-{uuid.uuid4().hex[:8]}",
        task_queue=worker_settings.temporal_task_queue,
    )
    report = await handle.result()
    assert report.tenants >= everyone
    histories = await _chain(temporal_client, handle.id, handle.first_execution_run_id)
    assert len(histories) >= (everyone + 1) // 2  # one run per page of two tenants
    # Every run of the chain replays from its history (none is cached: each task replays).
    replayer = Replayer(workflows=[RetentionSweepWorkflow], workflow_runner=workflow_runner())
    for history in histories:
        result = await replayer.replay_workflow(history)
        assert result.replay_failure is None
    if os.environ.get("AGENTPAAS_RECORD_HISTORIES"):
        HISTORIES.mkdir(exist_ok=True)
        (HISTORIES / "expired_chats_first_page.json").write_text(histories[0].to_json())


async def _chain(client: Client, workflow_id: str, run_id: str | None) -> list[WorkflowHistory]:
    """The histories of a workflow's runs, first to last, following continue-as-new."""
    histories = []
    while run_id:
        history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
        histories.append(history)
        last = history.events[-1]
        run_id = (
            last.workflow_execution_continued_as_new_event_attributes.new_execution_run_id
            if last.HasField("workflow_execution_continued_as_new_event_attributes")
            else None
        )
    return histories


async def test_recorded_sweep_histories_replay() -> None:
    files = sorted(HISTORIES.glob("*.json"))
    assert files, "no recorded retention histories"
    replayer = Replayer(workflows=[RetentionSweepWorkflow], workflow_runner=workflow_runner())
    for path in files:
        history = WorkflowHistory.from_json(f"recorded-{path.stem}", path.read_text())
        result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
        assert result.replay_failure is None, f"{path.name}: {result.replay_failure}"
