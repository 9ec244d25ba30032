"""A node's event batches: one on its way when the node ends commits once, in order."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence

import pytest
from temporalio.testing import ActivityEnvironment

from activities import run_events
from activities.run_events import RunEvents
from agentpaas.seed import SeedResult
from platform_core.db import Database
from platform_core.run_event_log import PendingEvent, read_events
from temporal_workflows.contracts import EVENT_MESSAGE


async def test_leaving_lets_a_batch_on_its_way_commit_and_writes_the_rest_after_it(
    app_db: Database, seeded: SeedResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant = str(seeded.tenant_id)
    stream = f"exec-{uuid.uuid4()}"
    appends: list[list[str]] = []
    cut_off: list[list[str]] = []
    real_append = run_events.append_and_commit

    async def slow_first_append(
        database: Database, *, stream_id: str, tenant_id: str, events: Sequence[PendingEvent]
    ) -> int:
        contents = [str(e.event["content"]) for e in events]
        try:
            if not appends and not cut_off:
                await asyncio.sleep(0.3)  # a commit still on its way when the node ends
            written = await real_append(
                database, stream_id=stream_id, tenant_id=tenant_id, events=events
            )
        except asyncio.CancelledError:
            cut_off.append(contents)
            raise
        appends.append(contents)
        return written

    monkeypatch.setattr(run_events, "append_and_commit", slow_first_append)

    async def node() -> None:
        async with RunEvents(app_db, tenant, stream_id=stream) as events:
            delta = {"type": "text", "node": "answer", "audience": "user"}
            events.publish(EVENT_MESSAGE, flush_now=True, content="first", **delta)
            await asyncio.sleep(0.05)  # the flusher is inside the slow append now
            events.publish(EVENT_MESSAGE, content=" rest", **delta)

    await ActivityEnvironment().run(node)

    assert cut_off == []  # the batch on its way was not thrown away
    assert appends == [["first"], [" rest"]]
    async with app_db.tenant_session(tenant) as session:
        logged = await read_events(session, stream_id=stream, from_seq=0)
    assert [event["content"] for _, event in logged] == ["first", " rest"]
