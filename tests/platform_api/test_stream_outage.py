"""An open SSE stream rides out a short database outage and never ends silently (issue 17).

The periodic good-standing check used to raise when PostgreSQL was briefly down, and the
exception cut four open streams without a final event. Now an outage leaves standing
unknown, not lost: the check is skipped and the stream goes on, and it ends with an
`error` frame only when standing is really lost or the outage outlasts
`stream_standing_outage_seconds`. Any other failure ends it with an `error` frame too.
Since issue 22 the process's one ``StandingMonitor`` checks for every stream at once, so
these rules hold for the monitor and every stream it watches.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

import httpx

from agentpaas.runtime.postgres import DatabaseUrls
from platform_api.app import create_app
from platform_api.auth.caller import Caller
from platform_api.auth.standing import standing_problems, while_in_good_standing
from platform_api.auth.standing_monitor import StandingMonitor
from platform_api.streaming.sse import format_frame, run_event_frames
from platform_core.db import DatabaseUnavailable
from tests.helpers import Platform, approval_agent, create_agent, parse_sse, wait_for_open_task
from tests.knowledge_helpers import new_tenant


def _caller() -> Caller:
    return Caller(
        user_id=uuid.uuid4(), tenant_id=uuid.uuid4(), role="user", email="u@x.test", token_version=0
    )


async def _frames(count: int, every: float = 0.03) -> AsyncIterator[bytes]:
    for offset in range(count):
        await asyncio.sleep(every)
        yield format_frame(offset, "message", {"content": str(offset)})


async def _idle() -> AsyncIterator[bytes]:
    await asyncio.Event().wait()
    yield b""  # never reached


async def _collect(frames: AsyncIterator[bytes], timeout: float = 10) -> list[dict[str, Any]]:
    async def drain() -> list[dict[str, Any]]:
        return parse_sse(b"".join([frame async for frame in frames]).decode())

    return await asyncio.wait_for(drain(), timeout=timeout)


def _standing(outcomes: list[object]) -> Callable[[Sequence[Caller]], Any]:
    """A check answering each of ``outcomes`` in turn for every caller (an exception is
    raised), then None."""

    async def check(callers: Sequence[Caller]) -> list[str | None]:
        outcome = outcomes.pop(0) if outcomes else None
        if isinstance(outcome, BaseException):
            raise outcome
        return [outcome if isinstance(outcome, str) else None for _ in callers]

    return check


async def _watched(
    frames: AsyncIterator[bytes], check: Callable[[Sequence[Caller]], Any], **options: Any
) -> list[dict[str, Any]]:
    """The frames of one stream watched by a monitor of its own."""
    monitor = StandingMonitor(check, **options)
    try:
        return await _collect(while_in_good_standing(frames, monitor=monitor, caller=_caller()))
    finally:
        await monitor.close()


async def test_a_short_outage_of_the_check_does_not_end_the_stream() -> None:
    outage: list[object] = [DatabaseUnavailable("the database is unreachable")] * 4
    checks = _standing(list(outage))
    calls = 0

    async def counted(callers: Sequence[Caller]) -> Any:
        nonlocal calls
        calls += 1
        return await checks(callers)

    frames = await _watched(_frames(10), counted, every_seconds=0.02, outage_seconds=5)
    assert [f["event"] for f in frames] == ["message"] * 10
    assert calls >= 5, "the outage was not even met"


async def test_an_outage_longer_than_the_limit_ends_the_stream_with_an_error_frame() -> None:
    down: list[object] = [DatabaseUnavailable("the database is unreachable")] * 1000
    started = asyncio.get_running_loop().time()
    frames = await _watched(_idle(), _standing(down), every_seconds=0.05, outage_seconds=0.4)
    assert asyncio.get_running_loop().time() - started >= 0.4
    [error] = frames
    assert error["event"] == "error"
    assert "stream ended: good standing could not be checked for" in str(error["data"])
    assert "(the database is unreachable)" in str(error["data"])


async def test_a_check_that_hangs_counts_as_unknown_standing() -> None:
    async def hangs(callers: Sequence[Caller]) -> list[str | None]:
        await asyncio.Event().wait()
        return []

    frames = await _watched(
        _idle(), hangs, every_seconds=0.05, outage_seconds=0.3, check_timeout_seconds=0.1
    )
    assert [f["event"] for f in frames] == ["error"]
    assert "the check timed out" in str(frames[0]["data"])


async def test_lost_standing_and_unexpected_failures_end_with_an_error_frame() -> None:
    lost = await _watched(
        _idle(), _standing(["the tenant is no longer active"]), every_seconds=0.02, outage_seconds=5
    )
    assert [f["event"] for f in lost] == ["error"]
    assert lost[0]["data"]["content"] == "stream ended: the tenant is no longer active"

    # Not an outage: a bug in the check. The stream ends, saying so, without details.
    broken = await _watched(
        _frames(50),
        _standing([RuntimeError("secret internals")]),
        every_seconds=0.05,
        outage_seconds=5,
    )
    assert broken[-1]["event"] == "error"
    expected = "stream ended: good standing check failed (RuntimeError)"
    assert broken[-1]["data"]["content"] == expected
    assert 0 < len(broken) < 50

    async def fails_after_two() -> AsyncIterator[bytes]:
        async for frame in _frames(2):
            yield frame
        raise ValueError("the event source broke")

    cut = await _watched(fails_after_two(), _standing([]), every_seconds=5, outage_seconds=5)
    assert [f["event"] for f in cut] == ["message", "message", "error"]
    assert "event stream failed: ValueError" in str(cut[-1]["data"])


async def test_a_run_stream_that_cannot_even_start_ends_with_an_error_frame() -> None:
    hub: Any = object()  # not a hub at all: the stream fails at once
    frames = await _collect(run_event_frames(hub, tenant_id="t", stream_id="exec-nothing"))
    assert [f["event"] for f in frames] == ["error"]


class _Flaky:
    """The app's database, down while ``down`` is set (every session refused)."""

    def __init__(self, real: Any) -> None:
        self.real, self.down = real, False
        self.refused = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    @asynccontextmanager
    async def tenant_session(self, tenant_id: object) -> AsyncIterator[Any]:
        self._refuse_while_down()
        async with self.real.tenant_session(tenant_id) as session:
            yield session

    @asynccontextmanager
    async def system_session(self) -> AsyncIterator[Any]:
        self._refuse_while_down()
        async with self.real.system_session() as session:
            yield session

    def _refuse_while_down(self) -> None:
        if self.down:
            self.refused += 1
            raise DatabaseUnavailable("the database is unreachable: FileNotFoundError")


async def test_wiring_treats_a_database_outage_as_unknown_standing() -> None:
    flaky = _Flaky(None)
    flaky.down = True

    async def check(callers: Sequence[Caller]) -> list[str | None]:
        return await standing_problems(database=flaky, callers=callers)  # type: ignore[arg-type]

    # The monitor's defaults: only the outage limit and the interval are set here.
    frames = await _watched(_idle(), check, every_seconds=0.05, outage_seconds=0.3)
    assert [f["event"] for f in frames] == ["error"]
    assert "could not be checked" in str(frames[0]["data"]) and flaky.refused >= 2


async def test_an_open_chat_stream_survives_a_database_outage_and_ends_with_done(
    platform: Platform, database_urls: DatabaseUrls, temporal_client: Any
) -> None:
    tenant_id, token = await new_tenant(database_urls.admin_url, platform.client)
    headers = {"Authorization": f"Bearer {token}"}
    agent_id = await create_agent(database_urls.admin_url, tenant_id, approval_agent())
    # Its own app: standing re-checked every 0.2 s, an outage tolerated for a minute.
    settings = platform.settings.model_copy(
        update={"stream_standing_check_seconds": 0.2, "stream_standing_outage_seconds": 60}
    )
    app = create_app(
        settings,
        database_url=database_urls.app_url,
        temporal_address=temporal_client.service_client.config.target_host,
        temporal_client=temporal_client,
        ui_dist=None,
    )
    services = app.state.services
    flaky = _Flaky(services.database)
    services.database = flaky
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            stream = asyncio.create_task(
                client.post(
                    "/api/v1/chat/completions",
                    json={"agent_id": agent_id, "message": "ship it"},
                    headers=headers,
                    timeout=60,
                )
            )
            task = await wait_for_open_task(client, token, agent_id=agent_id)
            assert services.standing_monitor.open_streams == 1
            flaky.down = True  # PostgreSQL goes away for a while
            await asyncio.sleep(1.5)
            assert not stream.done(), "the stream ended during a short outage"
            assert flaky.refused >= 3, "the stream did not check its standing during the outage"
            flaky.down = False  # ... and comes back
            done = await client.post(
                f"/api/v1/reviews/tasks/{task['task_id']}/complete",
                json={"input": {"approved": True}},
                headers=headers,
            )
            assert done.status_code == 200, done.text
            response = await asyncio.wait_for(stream, timeout=30)
    finally:
        await services.standing_monitor.close()
        await services.run_events.close()
        await flaky.real.dispose()
    events = [frame["event"] for frame in parse_sse(response.text)]
    assert "error" not in events and events[-1] == "done", events
    assert services.standing_monitor.open_streams == 0
