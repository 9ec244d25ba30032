"""Node records: a node that ends within its grace is recorded in one write with its start;
a longer one shows as running on its own; a streaming one says it started before its
first streamed event. In every case node_started comes before node_completed on the log."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import replace
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from temporalio.testing import ActivityEnvironment

from activities.records import NodeRecorder
from platform_core.models import WorkflowExecution, WorkflowNodeExecution
from platform_core.run_event_log import read_events
from temporal_workflows.contracts import NodeActivityInput
from tests.helpers import Platform, stream_turn


async def _execution(platform: Platform, token: str) -> tuple[str, str]:
    response, _ = await stream_turn(
        platform.client, token, {"agent": "Assistant", "message": "records"}
    )
    execution_id = response.headers["X-Execution-Id"]
    return execution_id, f"exec-{execution_id}"


def _node(platform: Platform, execution_id: str, workflow_id: str) -> NodeActivityInput:
    return NodeActivityInput(
        tenant_id=str(platform.seeded.tenant_id),
        execution_id=execution_id,
        workflow_id=workflow_id,
        node_name="probe",
        node_type="tool",
        config={},
        node_input={},
        step=7,
        task_id=f"probe-{uuid.uuid4().hex[:8]}",
        events=[{"key": f"wf:test-{uuid.uuid4().hex[:6]}", "event": {"event": "thought"}}],
    )


async def _row(platform: Platform, data: NodeActivityInput) -> Any:
    async with platform.db.tenant_session(data.tenant_id) as session:
        return (
            await session.execute(
                select(WorkflowNodeExecution).where(
                    WorkflowNodeExecution.execution_id == uuid.UUID(data.execution_id),
                    WorkflowNodeExecution.task_id == data.task_id,
                )
            )
        ).scalar_one_or_none()


async def _events_of(platform: Platform, data: NodeActivityInput) -> list[str]:
    async with platform.db.tenant_session(data.tenant_id) as session:
        rows = await read_events(session, stream_id=data.workflow_id, from_seq=0)
    return [str(e["event"]) for _, e in rows if e.get("task_id") == data.task_id]


async def test_a_quick_node_is_recorded_once_with_its_start(
    platform: Platform, admin_token: str
) -> None:
    execution_id, workflow_id = await _execution(platform, admin_token)
    recorder = NodeRecorder(platform.db, start_grace=timedelta(seconds=30))
    data = _node(platform, execution_id, workflow_id)
    await recorder.started(data, attempt=1)
    assert await _row(platform, data) is None  # not written yet: it may go with the outcome
    await recorder.finished(data, status="completed", output={"ok": True})
    row = await _row(platform, data)
    assert (row.status, row.output_state, row.step) == ("completed", {"ok": True}, 7)
    assert row.duration_ms is not None and row.duration_ms >= 0
    assert await _events_of(platform, data) == ["node_started", "node_completed"]


async def test_a_long_node_shows_as_running_within_its_grace(
    platform: Platform, admin_token: str
) -> None:
    execution_id, workflow_id = await _execution(platform, admin_token)
    recorder = NodeRecorder(platform.db, start_grace=timedelta(milliseconds=50))
    data = _node(platform, execution_id, workflow_id)
    await recorder.started(data, attempt=1)
    for _ in range(100):
        row = await _row(platform, data)
        if row is not None:
            break
        await asyncio.sleep(0.05)
    assert row is not None and row.status == "running"
    # Once written, nothing is kept for the task (an activity may die without an outcome).
    for _ in range(100):
        if not recorder._starts:
            break
        await asyncio.sleep(0.01)
    assert not recorder._starts
    await recorder.finished(data, status="failed", output=None, error="boom")
    row = await _row(platform, data)
    assert (row.status, row.error_message) == ("failed", "boom")
    assert await _events_of(platform, data) == ["node_started"]


async def test_a_streaming_node_says_it_started_before_its_first_delta(
    platform: Platform, admin_token: str
) -> None:
    execution_id, workflow_id = await _execution(platform, admin_token)
    recorder = NodeRecorder(platform.db, start_grace=timedelta(seconds=30))
    data = _node(platform, execution_id, workflow_id)

    async def node() -> None:
        await recorder.started(data, attempt=1)
        async with recorder.run_events(data) as events:
            events.publish("message", flush_now=True, content="hi", task_id=data.task_id)
            await events.flush()
        await recorder.finished(data, status="completed", output={})

    await ActivityEnvironment().run(node)
    assert await _events_of(platform, data) == ["node_started", "message", "node_completed"]
    assert (await _row(platform, data)).status == "completed"


async def test_a_streaming_node_past_its_grace_is_recorded_without_repeating_its_start(
    platform: Platform, admin_token: str
) -> None:
    execution_id, workflow_id = await _execution(platform, admin_token)
    recorder = NodeRecorder(platform.db, start_grace=timedelta(milliseconds=100))
    # An event the workflow handed over without a key: only sending it once keeps it once.
    data = replace(
        _node(platform, execution_id, workflow_id), events=[{"event": {"event": "thought"}}]
    )
    running: list[Any] = []

    async def node() -> None:
        await recorder.started(data, attempt=1)
        async with recorder.run_events(data) as events:
            events.publish("message", flush_now=True, content="hi", task_id=data.task_id)
            await events.flush()
            # The first token went out with the start events, ahead of the record.
            assert await _events_of(platform, data) == ["node_started", "message"]
            for _ in range(100):
                row = await _row(platform, data)
                if row is not None:
                    running.append(row)
                    break
                await asyncio.sleep(0.02)
            events.publish("message", flush_now=True, content=" there", task_id=data.task_id)
        await recorder.finished(data, status="completed", output={})

    await ActivityEnvironment().run(node)
    assert [row.status for row in running] == ["running"]  # written when its grace ended
    assert await _events_of(platform, data) == [
        "node_started",
        "message",
        "message",
        "node_completed",
    ]
    async with platform.db.tenant_session(data.tenant_id) as session:
        logged = await read_events(session, stream_id=workflow_id, from_seq=0)
        current = await session.scalar(
            select(WorkflowExecution.current_node).where(
                WorkflowExecution.execution_id == uuid.UUID(execution_id)
            )
        )
    # The workflow's event handed to the node is on the stream once, and the run's
    # current node was set with the record.
    assert [e for _, e in logged if e == {"event": "thought"}] == [{"event": "thought"}]
    assert current == "probe"
    assert (await _row(platform, data)).status == "completed"
