"""kill -9 of the API process serving open streams: each client resumes on another API
process with Last-Event-ID and sees every event exactly once; the runs never notice."""

from __future__ import annotations

import asyncio
import time
from functools import partial
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
    streaming_text,
    verify,
    wait_until,
)

KILLS = 5 if HEAVY else 1
RUNS_PER_KILL = 6


def _all_mid_stream(wave: list[Run]) -> bool:
    """Every stream of the wave has events, and some run is mid-answer."""
    return all(len(r.frames) >= 3 for r in wave) and any(streaming_text(r) for r in wave)


async def test_streams_resume_exactly_on_another_api_after_a_kill(
    cluster: Cluster, chaos_report: Any
) -> None:
    stack, driver = await start_stack(cluster, apis=2, workers=1)
    runs: list[Run] = []
    tasks: list[asyncio.Task[None]] = []
    began = time.monotonic()
    resume_seconds: list[float] = []
    waves: list[list[Run]] = []
    try:
        for kill in range(KILLS):
            victim = stack.apis[kill % 2]
            wave, wave_tasks = start_runs(
                driver, RUNS_PER_KILL, stack.api_urls[victim.name], deadline_seconds=180
            )
            runs += wave
            tasks += wave_tasks
            waves.append(wave)
            # The wave's streams are open, through the victim, and runs are mid-answer.
            await wait_until(partial(_all_mid_stream, wave), timeout=60)
            victim.kill_group()
            killed = time.monotonic()
            mid_stream = [r for r in wave if not r.done]
            resume_seconds.append(await moved_again(mid_stream, killed, every=True, timeout=60))
            victim.start()  # a supervisor brings it back for the next round
            await cluster.wait_api(victim)
        await finish_all(tasks, timeout=240)
        all_done = time.monotonic()
        cut_by_kill = [sum(r.cuts > 0 for r in wave) for wave in waves]
        numbers: dict[str, Any] = {
            "api_kills": KILLS,
            "streams_cut_by_each_kill": cut_by_kill,
            "kill_to_last_stream_resumed_seconds": resume_seconds,
            **await verify(stack, driver, runs),
            "longest_stall_seconds": longest_stall(runs),
            "scenario_seconds": round(all_done - began, 1),
        }
    finally:
        await finish_all(tasks, timeout=0)
        await driver.close()
    chaos_report(numbers)
    # Each kill cut open streams; each cut stream was resumed on the other API (and then,
    # below, found to be exact).
    assert all(n > 0 for n in cut_by_kill), cut_by_kill
    assert numbers["stream_reconnects"] >= sum(cut_by_kill), numbers
    assert_invariants(numbers)
