"""Why a regular-activity node costs ≈ 52 ms on the dev server, and which setting changes it.

    .venv/bin/python bench/sticky_delay.py [--runs 6] [--only NAME ...] [--json out.json]

For each configuration below, a fresh dev server (so "the first workflow after start"
is really first) runs the hand-written regular-activity chain and the platform's
interpreter workflow (no-op ``node.llm``) alternately. Each run is timed at the client
and split into phases from its history's event timestamps: workflow task schedule →
start (the wait in the task queue, the sticky one once the run is cached), workflow
task start → complete (the worker's work and reply), and the activity's two phases.
The table shows the first run and the median of the later ones.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import uuid
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from chain import chain_definition
from environment import create_agent, start_platform_database, start_temporal, work_directory
from history_timing import HistoryTiming, history_timing
from temporalio.client import Client
from temporalio.worker import PollerBehaviorAutoscaling
from variants import RunOutcome, platform_worker, raw_worker, run_platform, run_raw

NODES = 20
FAST_TRANSFER = "history.transferProcessorMaxPollRPS=1000"


@dataclass(frozen=True)
class Setting:
    """One configuration of server and worker to try."""

    name: str
    what: str
    dynamic_config: tuple[str, ...] = ()
    server_args: tuple[str, ...] = ()
    sqlite_file: bool = False
    worker: dict[str, Any] = field(default_factory=dict)
    start: dict[str, Any] = field(default_factory=dict)
    gap_seconds: float = 0.0


SETTINGS = [
    Setting("baseline", "the platform's dev server flags, state in memory"),
    Setting("sqlite-file", "state in a SQLite file, as `agentpaas dev` runs it", sqlite_file=True),
    Setting("idle-2s", "baseline, 2 s idle between runs", gap_seconds=2.0),
    Setting("no-sticky", "worker max_cached_workflows=0", worker={"max_cached_workflows": 0}),
    Setting(
        "poll-ratio-1",
        "worker nonsticky_to_sticky_poll_ratio=1.0",
        worker={"nonsticky_to_sticky_poll_ratio": 1.0},
    ),
    Setting(
        "wft-polls-20",
        "worker max_concurrent_workflow_task_polls=20",
        worker={"max_concurrent_workflow_task_polls": 20},
    ),
    Setting(
        "poll-autoscale",
        "worker workflow_task_poller_behavior=PollerBehaviorAutoscaling()",
        worker={"workflow_task_poller_behavior": PollerBehaviorAutoscaling()},
    ),
    Setting(
        "sticky-timeout-1s",
        "worker sticky_queue_schedule_to_start_timeout=1s",
        worker={"sticky_queue_schedule_to_start_timeout": timedelta(seconds=1)},
    ),
    Setting(
        "no-eager-activity",
        "worker disable_eager_activity_execution=True",
        worker={"disable_eager_activity_execution": True},
    ),
    Setting(
        "eager-start",
        "system.enableEagerWorkflowStart=true + request_eager_start=True",
        dynamic_config=("system.enableEagerWorkflowStart=true",),
        start={"request_eager_start": True},
    ),
    Setting(
        "wft-timeout-1s", "workflow task_timeout=1s", start={"task_timeout": timedelta(seconds=1)}
    ),
    Setting(
        "partitions-1",
        "matching.numTaskqueue{Read,Write}Partitions=1",
        dynamic_config=(
            "matching.numTaskqueueReadPartitions=1",
            "matching.numTaskqueueWritePartitions=1",
        ),
    ),
    Setting(
        "transfer-rps-100",
        "history.transferProcessorMaxPollRPS=100 (default 20)",
        dynamic_config=("history.transferProcessorMaxPollRPS=100",),
    ),
    Setting(
        "transfer-rps-1000",
        "history.transferProcessorMaxPollRPS=1000 (default 20)",
        dynamic_config=(FAST_TRANSFER,),
    ),
    Setting(
        "transfer-rps-1000-no-eager",
        "transfer-rps-1000 + worker disable_eager_activity_execution=True",
        dynamic_config=(FAST_TRANSFER,),
        worker={"disable_eager_activity_execution": True},
    ),
    Setting(
        "transfer-rps-1000-file",
        "transfer-rps-1000, state in a SQLite file",
        dynamic_config=(FAST_TRANSFER,),
        sqlite_file=True,
    ),
    Setting(
        "transfer-rps-1000-file-wal",
        "transfer-rps-1000, SQLite file with journal_mode=wal, synchronous=normal",
        dynamic_config=(FAST_TRANSFER,),
        server_args=(
            "--sqlite-pragma",
            "journal_mode=wal",
            "--sqlite-pragma",
            "synchronous=normal",
        ),
        sqlite_file=True,
    ),
]


@dataclass
class KindResult:
    """One workflow kind under one setting: ms per node and median phases of later runs."""

    first_ms_per_node: float
    later_ms_per_node: float
    runs_ms_per_node: list[float]
    later_phases: dict[str, float]


def _later_phases(timings: list[HistoryTiming]) -> dict[str, float]:
    fields = [
        "wft_schedule_to_start_ms",
        "wft_start_to_complete_ms",
        "activity_schedule_to_start_ms",
        "activity_start_to_complete_ms",
    ]
    return {name: statistics.median(getattr(t, name) for t in timings) for name in fields}


async def _kind_result(client: Client, outcomes: list[RunOutcome]) -> KindResult:
    per_node = [o.seconds * 1000 / NODES for o in outcomes]
    timings = []
    for outcome in outcomes[1:]:
        history = await client.get_workflow_handle(str(outcome.workflow_id)).fetch_history()
        timings.append(history_timing(history))
    return KindResult(
        per_node[0], statistics.median(per_node[1:]), per_node, _later_phases(timings)
    )


async def try_setting(
    setting: Setting, db: Any, agent: Any, workdir: Path, runs: int
) -> dict[str, KindResult]:
    """A fresh dev server with ``setting``; the two kinds alternate, raw first."""
    env = await start_temporal(
        dynamic_config=setting.dynamic_config,
        db_file=workdir / f"{setting.name}.db" if setting.sqlite_file else None,
        extra_args=setting.server_args,
    )
    client = env.client
    raw_queue, platform_queue = (f"sticky-{k}-{uuid.uuid4().hex[:6]}" for k in ("raw", "platform"))
    raw: list[RunOutcome] = []
    platform: list[RunOutcome] = []
    try:
        async with (
            raw_worker(client, raw_queue, **setting.worker),
            platform_worker(client, db, platform_queue, records=False, **setting.worker),
        ):
            for _ in range(runs):
                raw.append(await run_raw(client, raw_queue, NODES, local=False, **setting.start))
                await asyncio.sleep(setting.gap_seconds)
                platform.append(
                    await run_platform(client, db, agent, platform_queue, **setting.start)
                )
                await asyncio.sleep(setting.gap_seconds)
            return {
                "raw": await _kind_result(client, raw),
                "platform": await _kind_result(client, platform),
            }
    finally:
        await env.shutdown()


def print_row(setting: Setting, results: dict[str, KindResult]) -> None:
    """One setting's line per workflow kind."""
    for kind, r in results.items():
        p = r.later_phases
        print(
            f"{setting.name if kind == 'raw' else '':<28}{kind:<10}{r.first_ms_per_node:>8.1f}"
            f"{r.later_ms_per_node:>8.1f}{p['wft_schedule_to_start_ms']:>10.1f}"
            f"{p['wft_start_to_complete_ms']:>9.1f}{p['activity_schedule_to_start_ms']:>10.1f}"
            f"{p['activity_start_to_complete_ms']:>9.1f}",
            flush=True,
        )


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=6, help="runs of each kind per setting")
    parser.add_argument("--only", action="append", help="setting name(s) to try (default: all)")
    parser.add_argument("--json", type=Path, help="also write the numbers to this file")
    parser.add_argument("--list", action="store_true", help="list the settings and exit")
    args = parser.parse_args()
    if args.runs < 2:
        parser.error("--runs must be at least 2 (the first run is reported apart)")
    unknown = set(args.only or ()) - {s.name for s in SETTINGS}
    if unknown:
        parser.error(f"unknown setting(s): {', '.join(sorted(unknown))}; see --list")
    return args


async def main(args: argparse.Namespace) -> dict[str, Any]:
    """Try each chosen setting in turn and print a line per setting and kind."""
    chosen = [s for s in SETTINGS if not args.only or s.name in args.only]
    workdir = work_directory()
    db = await start_platform_database(workdir)
    agent = await create_agent(db, chain_definition(NODES))
    print(f"{NODES}-node chain, {args.runs} runs of each kind per setting, ms")
    print(
        f"{'setting':<28}{'kind':<10}{'first':>8}{'later':>8}{'WFT wait':>10}"
        f"{'WFT run':>9}{'act wait':>10}{'act run':>9}"
    )
    report: dict[str, Any] = {}
    try:
        for setting in chosen:
            results = await try_setting(setting, db, agent, workdir, args.runs)
            print_row(setting, results)
            report[setting.name] = {
                "what": setting.what,
                **{kind: asdict(result) for kind, result in results.items()},
            }
    finally:
        await db.app.dispose()
    return report


if __name__ == "__main__":
    arguments = parse_args()
    if arguments.list:
        for s in SETTINGS:
            print(f"{s.name:<28}{s.what}")
    else:
        numbers = asyncio.run(main(arguments))
        if arguments.json:
            arguments.json.write_text(json.dumps(numbers, indent=2) + "\n")
            print(f"wrote {arguments.json}")
