"""The Temporal dev server killed (-9) mid-run and started again on the same SQLite file
and ports: the runs in flight complete, once, and their streams stay exact."""

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

RESTARTS = 3 if HEAVY else 1
RUNS_PER_RESTART = 10 if HEAVY else 8
DOWN_SECONDS = 10.0 if HEAVY else 3.0


async def test_runs_survive_the_temporal_server_killed_and_restarted(
    cluster: Cluster, chaos_report: Any
) -> None:
    stack, driver = await start_stack(cluster, apis=1, workers=2)
    api = next(iter(stack.api_urls.values()))
    runs: list[Run] = []
    tasks: list[asyncio.Task[None]] = []
    began = time.monotonic()
    in_flight_at_kill: list[int] = []
    recoveries: list[float] = []
    try:
        for _ in range(RESTARTS):
            wave, wave_tasks = start_runs(driver, RUNS_PER_RESTART, api, deadline_seconds=240)
            runs += wave
            tasks += wave_tasks
            await wait_streaming(wave, timeout=60)
            in_flight_at_kill.append(sum(not r.done for r in runs))
            cluster.temporal.child.kill_group()  # kill -9: no shutdown at all
            await asyncio.sleep(DOWN_SECONDS)
            last_fault = time.monotonic()
            await cluster.temporal.start()  # same file, same ports
            # Recovered when some run moves again: its next event reaches the client.
            recoveries.append(await moved_again(runs, last_fault, every=False, timeout=90))
        await finish_all(tasks, timeout=300)
        all_done = time.monotonic()
        numbers: dict[str, Any] = {
            "server_kills": RESTARTS,
            "seconds_down_each": DOWN_SECONDS,
            "runs_in_flight_at_each_kill": in_flight_at_kill,
            "restart_to_first_event_seconds": recoveries,
            **await verify(stack, driver, runs),
            "longest_stall_seconds": longest_stall(runs),
            "last_fault_to_all_done_seconds": round(all_done - last_fault, 1),
            "scenario_seconds": round(all_done - began, 1),
        }
    finally:
        await finish_all(tasks, timeout=0)
        await driver.close()
    chaos_report(numbers)
    assert all(n > 0 for n in in_flight_at_kill), in_flight_at_kill
    # A stream whose run is alive goes on, or ends with an `error` event: never cut silently.
    assert numbers["stream_silent_cuts"] == 0, numbers
    assert_invariants(numbers)
