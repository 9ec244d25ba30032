"""An open SSE stream rides out a short database outage and never ends silently (issue 17).

The periodic good-standing check used to raise when PostgreSQL was briefly down, and the
exception cut four open streams without a final event. Now an outage leaves standing
unknown, not lost: the check is skipped and the stream goes on, and it ends with an
`error` frame only when standing is really lost or the outage outlasts
`stream_standing_outage_seconds`. Any other failure ends it with an `error` frame too.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from types import SimpleNamespace
from typing import Any

import httpx

from agentpaas.runtime.postgres import DatabaseUrls
from platform_api.app import create_app
from platform_api.auth.standing import while_in_good_standing
from platform_api.streaming.sse import end_when_refused, format_frame, run_event_frames
from platform_core.db import DatabaseUnavailable
from tests.helpers import Platform, approval_agent, create_agent, parse_sse, wait_for_open_task
from tests.knowledge_helpers import new_tenant


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


def _standing(outcomes: list[object]) -> Callable[[], Any]:
    """A check answering each of ``outcomes`` in turn (an exception is raised), then None."""

    async def problem() -> str | None:
        outcome = outcomes.pop(0) if outcomes else None
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome if isinstance(outcome, str) else None

    return problem


async def test_a_short_outage_of_the_check_does_not_end_the_stream() -> None:
    outage: list[object] = [DatabaseUnavailable("the database is unreachable")] * 4
    frames = await _collect(
        end_when_refused(
            _frames(10),
            _standing(list(outage)),
            every_seconds=0.02,
            unknown=(DatabaseUnavailable,),
            unknown_limit_seconds=5,
        )
    )
    assert [f["event"] for f in frames] == ["message"] * 10


async def test_an_outage_longer_than_the_limit_ends_the_stream_with_an_error_frame() -> None:
    down: list[object] = [DatabaseUnavailable("the database is unreachable")] * 1000
    started = asyncio.get_running_loop().time()
    frames = await _collect(
        end_when_refused(
            _idle(),
            _standing(down),
            every_seconds=0.05,
            unknown=(DatabaseUnavailable,),
            unknown_limit_seconds=0.4,
        )
    )
    assert asyncio.get_running_loop().time() - started >= 0.4
    [error] = frames
    assert error["event"] == "error"
    assert "good standing could not be checked" in str(error["data"])


async def test_a_check_that_hangs_counts_as_unknown_standing() -> None:
    async def hangs() -> str | None:
        await asyncio.Event().wait()
        return None

    frames = await _collect(
        end_when_refused(
            _idle(),
            hangs,
            every_seconds=0.05,
            unknown=(DatabaseUnavailable,),
            unknown_limit_seconds=0.3,
            check_timeout_seconds=0.1,
        )
    )
    assert [f["event"] for f in frames] == ["error"]
    assert "the check timed out" in str(frames[0]["data"])


async def test_lost_standing_and_unexpected_failures_end_with_an_error_frame() -> None:
    lost = await _collect(
        end_when_refused(_idle(), _standing(["the tenant is no longer active"]), every_seconds=0.02)
    )
    assert [f["event"] for f in lost] == ["error"]
    assert "the tenant is no longer active" in str(lost[0]["data"])

    # Not an outage: a bug in the check. The stream ends, saying so, without details.
    broken = await _collect(
        end_when_refused(
            _frames(50),
            _standing([RuntimeError("secret internals")]),
            every_seconds=0.05,
            unknown=(DatabaseUnavailable,),
            unknown_limit_seconds=5,
        )
    )
    assert broken[-1]["event"] == "error" and "RuntimeError" in str(broken[-1]["data"])
    assert "secret internals" not in str(broken[-1]["data"])

    async def fails_after_two() -> AsyncIterator[bytes]:
        async for frame in _frames(2):
            yield frame
        raise ValueError("the event source broke")

    cut = await _collect(end_when_refused(fails_after_two(), _standing([]), every_seconds=5))
    assert [f["event"] for f in cut] == ["message", "message", "error"]


async def test_a_run_stream_that_cannot_even_start_ends_with_an_error_frame() -> None:
    frames = await _collect(run_event_frames(object(), "exec-nothing"))  # type: ignore[arg-type]
    assert [f["event"] for f in frames] == ["error"]


class _Flaky:
    """The app's database, down while ``down`` is set (every tenant session refused)."""

    def __init__(self, real: Any) -> None:
        self.real, self.down = real, False
        self.refused = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    @asynccontextmanager
    async def tenant_session(self, tenant_id: object) -> AsyncIterator[Any]:
        if self.down:
            self.refused += 1
            raise DatabaseUnavailable("the database is unreachable: FileNotFoundError")
        async with self.real.tenant_session(tenant_id) as session:
            yield session


async def test_wiring_treats_a_database_outage_as_unknown_standing() -> None:
    caller = SimpleNamespace(
        user_id=uuid.uuid4(), tenant_id=uuid.uuid4(), token_version=0, api_key_id=None
    )
    settings = SimpleNamespace(
        stream_standing_check_seconds=0.05, stream_standing_outage_seconds=0.3
    )
    flaky = _Flaky(None)
    flaky.down = True
    frames = await _collect(
        while_in_good_standing(
            _idle(),
            database=flaky,  # type: ignore[arg-type]
            settings=settings,  # type: ignore[arg-type]
            caller=caller,
        )
    )
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
    flaky = _Flaky(app.state.services.database)
    app.state.services.database = flaky
    transport = httpx.ASGITransport(app=app)
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
    events = [frame["event"] for frame in parse_sse(response.text)]
    assert "error" not in events and events[-1] == "done", events
