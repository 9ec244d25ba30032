"""PostgreSQL stopped mid-run (immediate shutdown: every connection dies) and started again
after 20 s (60 s in the heavy variant): the runs in flight wait it out and complete, with
every record written once and no token left reserved."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from tests.chaos.cluster import Cluster
from tests.chaos.runs import (
    HEAVY,
    Run,
    assert_invariants,
    finish_all,
    longest_stall,
    moved_again,
    start_runs,
    start_stack,
    verify,
    wait_streaming,
)

RUNS = 20 if HEAVY else 8
DOWN_SECONDS = 60.0 if HEAVY else 20.0


async def test_runs_survive_postgresql_stopped_and_started(
    cluster: Cluster, chaos_report: Any
) -> None:
    stack, driver = await start_stack(cluster, apis=1, workers=1)
    api = next(iter(stack.api_urls.values()))
    tasks: list[asyncio.Task[None]] = []
    began = time.monotonic()
    try:
        runs, tasks = start_runs(driver, RUNS, api, deadline_seconds=DOWN_SECONDS + 180)
        await wait_streaming(runs, timeout=60, at_least=2)
        in_flight: list[Run] = [r for r in runs if not r.done]
        stopped = time.monotonic()
        await asyncio.to_thread(cluster.postgres.stop_immediately)
        await asyncio.sleep(max(0.0, DOWN_SECONDS - (time.monotonic() - stopped)))
        await asyncio.to_thread(cluster.postgres.start)
        restarted = time.monotonic()
        recovered = await moved_again(runs, restarted, every=False, timeout=120)
        await finish_all(tasks, timeout=DOWN_SECONDS + 240)
        all_done = time.monotonic()
        numbers: dict[str, Any] = {
            "seconds_down": round(restarted - stopped, 1),
            "runs_in_flight_at_stop": len(in_flight),
            "restart_to_first_event_seconds": recovered,
            **await verify(stack, driver, runs),
            "longest_stall_seconds": longest_stall(runs),
            "restart_to_all_done_seconds": round(all_done - restarted, 1),
            "scenario_seconds": round(all_done - began, 1),
        }
    finally:
        await finish_all(tasks, timeout=0)
        await driver.close()
    chaos_report(numbers)
    assert len(in_flight) > 0
    # A stream whose run is alive goes on, or ends with an `error` event: never cut silently.
    assert numbers["stream_silent_cuts"] == 0, numbers
    assert_invariants(numbers)
