"""kill -9 of worker processes while runs are mid-answer: every run still completes, once."""

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
    start_runs,
    start_stack,
    verify,
    wait_streaming,
)

KILLS = 6 if HEAVY else 2
RUNS_PER_KILL = 5  # 30 runs heavy, 10 by default


async def test_runs_survive_worker_processes_killed_mid_run(
    cluster: Cluster, chaos_report: Any
) -> None:
    stack, driver = await start_stack(cluster, apis=1, workers=2)
    api = next(iter(stack.api_urls.values()))
    runs: list[Run] = []
    tasks: list[asyncio.Task[None]] = []
    began = time.monotonic()
    in_flight_at_kill: list[int] = []
    try:
        for kill in range(KILLS):
            # A wave of runs, then kill a worker while their model calls are streaming.
            wave, wave_tasks = start_runs(driver, RUNS_PER_KILL, api, deadline_seconds=240)
            runs += wave
            tasks += wave_tasks
            await wait_streaming(wave, timeout=60)
            victim = stack.workers[kill % len(stack.workers)]
            in_flight_at_kill.append(sum(not r.done for r in runs))
            victim.kill_group()  # SIGKILL, no chance to clean up
            last_fault = time.monotonic()
            # A supervisor restarts it; the other worker carries on meanwhile.
            victim.start()
            await cluster.wait_worker(victim)
        await finish_all(tasks, timeout=300)
        all_done = time.monotonic()
        numbers: dict[str, Any] = {
            "worker_kills": KILLS,
            "runs_in_flight_at_each_kill": in_flight_at_kill,
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
