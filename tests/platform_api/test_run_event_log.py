"""The run event log in PostgreSQL and the API's one listener: exact resume at every offset,
idempotent appends, row-level security, and a live path that survives losing its connection
and events too big for a notification."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from activities.scripted_llm import ScriptedReply, register_script
from platform_api.streaming.hub import RunEventHub
from platform_core.db import Database
from platform_core.run_event_log import PendingEvent, append_events, read_events
from tests.helpers import Platform, create_agent, one_llm_node, parse_sse, serve

WORDS = [f"w{i}" for i in range(30)]


async def _frames(response: httpx.Response) -> list[dict[str, Any]]:
    return parse_sse((await response.aread()).decode())


async def test_a_reconnect_at_every_offset_gets_exactly_the_remainder(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    script = f"offsets-{uuid.uuid4().hex[:6]}"
    register_script(
        script, lambda m, p: ScriptedReply(text=" ".join(WORDS), seconds_per_token=0.02)
    )
    agent_id = await create_agent(
        database_urls.admin_url, platform.seeded.tenant_id, one_llm_node(f"scripted/{script}")
    )
    headers = {"Authorization": f"Bearer {admin_token}"}
    async with (
        serve(platform, database_urls.app_url) as base,
        httpx.AsyncClient(base_url=base, timeout=60) as client,
    ):
        live_response = await client.post(
            "/api/v1/chat/completions",
            json={"agent_id": agent_id, "message": "go"},
            headers=headers,
        )
        live = parse_sse(live_response.text)
        execution_id = live_response.headers["X-Execution-Id"]
        chat_id = live_response.headers["X-Chat-Id"]
        url = f"/api/v1/executions/{execution_id}/events"
        assert [int(f["id"]) for f in live] == list(range(len(live)))  # dense offsets from 0
        for offset in range(len(live)):
            resumed = await client.get(url, headers={**headers, "Last-Event-ID": str(offset)})
            assert parse_sse(resumed.text) == live[offset + 1 :], offset
        history = (
            await client.get("/api/v1/chat/history", params={"chat_id": chat_id}, headers=headers)
        ).json()

    text_live = "".join(f["data"]["content"] for f in live if f["event"] == "message")
    assert text_live == " ".join(WORDS)
    # Token deltas are batched: fewer events than tokens, the same text.
    assert sum(f["event"] == "message" for f in live) < len(WORDS)
    stored = [m["content"] for m in history["messages"] if m["role"] == "assistant"]
    assert stored == [text_live]
    assert live[-1]["event"] == "done" and live[-1]["data"]["answer"] == text_live


async def test_appends_are_idempotent_by_key_and_dense(
    platform: Platform, database_urls: Any
) -> None:
    tenant = str(platform.seeded.tenant_id)
    stream = f"test-{uuid.uuid4()}"
    events = [PendingEvent({"event": "a"}, key="k1"), PendingEvent({"event": "b"}, key="k2")]
    async with platform.db.tenant_session(tenant) as session:
        assert await append_events(session, stream_id=stream, tenant_id=tenant, events=events)
    async with platform.db.tenant_session(tenant) as session:
        # A retried activity hands the same keyed events again, plus one unkeyed.
        again = [*events, PendingEvent({"event": "c"})]
        assert await append_events(session, stream_id=stream, tenant_id=tenant, events=again) == 1
    async with platform.db.tenant_session(tenant) as session:
        rows = await read_events(session, stream_id=stream, from_seq=0)
    assert rows == [(0, {"event": "a"}), (1, {"event": "b"}), (2, {"event": "c"})]


async def test_another_tenant_neither_reads_nor_writes_a_stream(
    platform: Platform, database_urls: Any
) -> None:
    tenant = str(platform.seeded.tenant_id)
    stream = f"test-{uuid.uuid4()}"
    async with platform.db.tenant_session(tenant) as session:
        await append_events(
            session, stream_id=stream, tenant_id=tenant, events=[PendingEvent({"event": "x"})]
        )
    other = str(uuid.uuid4())  # no such tenant: row-level security shows it nothing
    async with platform.db.tenant_session(other) as session:
        assert await read_events(session, stream_id=stream, from_seq=0) == []
    with pytest.raises(Exception, match="row-level security|violates"):
        async with platform.db.tenant_session(other) as session:
            await append_events(
                session, stream_id=stream, tenant_id=other, events=[PendingEvent({"event": "y"})]
            )


async def _collect(hub: RunEventHub, tenant: str, stream: str, out: list[Any]) -> None:
    async for entry in hub.events(tenant_id=tenant, stream_id=stream, idle_seconds=0.5):
        if entry is not None:
            out.append(entry)


async def _append(db: Database, tenant: str, stream: str, *bodies: dict[str, Any]) -> None:
    async with db.tenant_session(tenant) as session:
        await append_events(
            session, stream_id=stream, tenant_id=tenant, events=[PendingEvent(b) for b in bodies]
        )


async def _until(condition: Any, timeout: float = 15) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)


async def test_the_live_path_survives_losing_its_connection_and_big_events(
    platform: Platform, database_urls: Any
) -> None:
    tenant = str(platform.seeded.tenant_id)
    stream = f"test-{uuid.uuid4()}"
    db = Database(database_urls.app_url, connections=4)
    admin = Database(database_urls.admin_url, connections=2)
    hub = RunEventHub(db)
    got: list[Any] = []
    follower = asyncio.create_task(_collect(hub, tenant, stream, got))
    try:
        await _append(db, tenant, stream, {"event": "message", "content": "one"})
        await _until(lambda: len(got) == 1)
        # Too big for a notification: the listener hears only its offset, reads the row.
        big = "x" * 20_000
        await _append(db, tenant, stream, {"event": "message", "content": big})
        await _until(lambda: len(got) == 2)
        # The listening connection dies; what is committed meanwhile still arrives, in order.
        async with admin.system_session() as session:
            killed = await session.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()"
                )
            )
            assert any(killed.scalars())
        await _append(db, tenant, stream, {"event": "message", "content": "three"})
        await _append(db, tenant, stream, {"event": "done", "status": "completed"})
        await asyncio.wait_for(follower, timeout=30)
    finally:
        follower.cancel()
        await hub.close()
        await db.dispose()
        await admin.dispose()
    assert [seq for seq, _ in got] == [0, 1, 2, 3]
    assert [event.get("content") for _, event in got[:3]] == ["one", big, "three"]
    assert got[-1][1]["event"] == "done"
    assert hub.open_streams == 0
