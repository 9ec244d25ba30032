"""Per-node overhead of the platform against hand-written Temporal and LangGraph (issue 3).

    .venv/bin/python bench/node_overhead.py [--nodes 20] [--runs 30] [--json out.json]

A chain of N no-op nodes runs six ways in one process, on one Temporal dev server and
one embedded PostgreSQL: the platform's interpreter workflow (a: no-op activity only,
b: no-op plus its node record), a hand-written workflow of regular activities and one
of local activities, and LangGraph in memory and with a PostgreSQL checkpointer. Each
variant is warmed up, then the variants are interleaved, the order rotated each round
so that machine noise and server state hit all alike. The figure per run is
wall-clock time / N. A benchmark, not a test: it asserts nothing about timings.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import statistics
import sys
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import temporalio
from chain import chain_definition, langgraph_chain
from environment import (
    PLATFORM_DYNAMIC_CONFIG,
    completed_node_records,
    create_agent,
    start_platform_database,
    start_temporal,
    work_directory,
)
from history_timing import history_timing
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from temporalio.client import Client
from variants import RunOutcome, platform_worker, raw_worker, run_langgraph, run_platform, run_raw

from agentpaas.runtime.postgres import ensure_database
from platform_core.db import with_database

TARGET_RATIO = 1.2  # issue 3: platform ≤ 1.2 × hand-written Temporal, same activity kind


@dataclass
class Variant:
    """One way of running the chain, and what its runs measured."""

    key: str
    label: str
    run: Callable[[], Awaitable[RunOutcome]]
    outcomes: list[RunOutcome] = field(default_factory=list)

    def per_node_ms(self, nodes: int) -> list[float]:
        """Each measured run's wall-clock time per node, in milliseconds."""
        return [o.seconds * 1000 / nodes for o in self.outcomes]


def summary(values: list[float]) -> dict[str, float]:
    """Median, p90, min and max of per-node milliseconds."""
    p90 = (
        statistics.quantiles(values, n=10, method="inclusive")[8] if len(values) > 1 else values[0]
    )
    return {
        "median": statistics.median(values),
        "p90": p90,
        "min": min(values),
        "max": max(values),
    }


async def measure(variants: list[Variant], runs: int, warmup: int) -> None:
    """Warm every variant up, then run them interleaved, rotating the order each round."""
    for variant in variants:
        for _ in range(warmup):
            await variant.run()
    for round_no in range(runs):
        shift = round_no % len(variants)
        for variant in variants[shift:] + variants[:shift]:
            variant.outcomes.append(await variant.run())


async def check_records(db: Any, variant: Variant, nodes: int) -> None:
    """Variant b must really have written a completed record per node (checked, not timed)."""
    outcome = await variant.run()
    written = await completed_node_records(db, outcome.execution_id) if outcome.execution_id else 0
    if written != nodes:
        raise RuntimeError(f"{variant.key}: {written} node records written, expected {nodes}")


async def breakdowns(client: Client, variants: list[Variant]) -> dict[str, dict[str, float | None]]:
    """Median history phases per Temporal variant (read after all runs, so never timed)."""
    result: dict[str, dict[str, float | None]] = {}
    for variant in variants:
        ids = [o.workflow_id for o in variant.outcomes if o.workflow_id]
        if not ids:
            continue
        timings = [
            history_timing(await client.get_workflow_handle(wid).fetch_history()) for wid in ids
        ]
        result[variant.key] = {
            name: _median_or_none([getattr(t, name) for t in timings])
            for name in (
                "workflow_tasks",
                "wft_schedule_to_start_ms",
                "wft_start_to_complete_ms",
                "activity_schedule_to_start_ms",
                "activity_start_to_complete_ms",
            )
        }
    return result


def _median_or_none(values: list[float]) -> float | None:
    # A local-activity chain has no activity events: its activity phases are NaN (JSON null).
    value = statistics.median(values)
    return None if math.isnan(value) else value


def _cell(value: float | None, width: int) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:>{width}.2f}"


def ratios(stats: dict[str, dict[str, float]]) -> dict[str, float]:
    """Median per-node overhead of each platform variant over each baseline."""
    baselines = {"raw_regular": "raw_regular", "raw_local": "raw_local"}
    baselines |= {"langgraph": "langgraph_memory", "langgraph_pg": "langgraph_postgres"}
    return {
        f"{platform_key} / {name}": stats[platform_key]["median"] / stats[key]["median"]
        for platform_key in ("platform_noop", "platform_records")
        for name, key in baselines.items()
    }


def print_report(
    variants: list[Variant],
    stats: dict[str, dict[str, float]],
    phases: dict[str, dict[str, float | None]],
    result_ratios: dict[str, float],
    nodes: int,
    runs: int,
) -> None:
    """The tables: per-node overhead, where Temporal runs spend it, and the ratios."""
    print(
        f"\nPer-node overhead, {nodes}-node no-op chain, {runs} interleaved runs per variant (ms)"
    )
    print(f"{'variant':<48}{'median':>9}{'p90':>9}{'min':>9}{'max':>9}")
    for v in variants:
        s = stats[v.key]
        print(f"{v.label:<48}{s['median']:>9.2f}{s['p90']:>9.2f}{s['min']:>9.2f}{s['max']:>9.2f}")

    print("\nWhere a Temporal run spends it: median per run of the per-node medians (ms)")
    print(f"{'variant':<48}{'WFTs':>6}{'WFT wait':>10}{'WFT run':>9}{'act wait':>10}{'act run':>9}")
    for v in variants:
        p = phases.get(v.key)
        if p:
            print(
                f"{v.label:<48}{p['workflow_tasks']:>6.0f}"
                f"{_cell(p['wft_schedule_to_start_ms'], 10)}"
                f"{_cell(p['wft_start_to_complete_ms'], 9)}"
                f"{_cell(p['activity_schedule_to_start_ms'], 10)}"
                f"{_cell(p['activity_start_to_complete_ms'], 9)}"
            )

    print("\nRatios of medians")
    for name, value in result_ratios.items():
        print(f"  {name:<40}{value:>7.2f}x")
    same_kind = result_ratios["platform_noop / raw_regular"]
    verdict = "met" if same_kind <= TARGET_RATIO else "NOT met"
    print(
        f"\nTarget (issue 3): platform ÷ hand-written regular ≤ {TARGET_RATIO}x — "
        f"{same_kind:.2f}x, {verdict}"
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=20, help="nodes in the chain")
    parser.add_argument("--runs", type=int, default=30, help="measured runs per variant")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured runs per variant first")
    parser.add_argument("--json", type=Path, help="also write the numbers to this file")
    parser.add_argument(
        "--dynamic-config",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra --dynamic-config-value for the dev server (repeatable)",
    )
    parser.add_argument(
        "--sqlite-pragma",
        action="append",
        default=[],
        metavar="PRAGMA=VALUE",
        help="extra --sqlite-pragma for the dev server's SQLite file (repeatable)",
    )
    parser.add_argument(
        "--temporal-db",
        choices=("file", "memory"),
        default="file",
        help="dev server persistence: a SQLite file like `agentpaas dev` (default), or memory",
    )
    return parser.parse_args(argv)


def make_variants(
    client: Client, db: Any, agent: Any, queues: dict[str, str], nodes: int, saver: Any
) -> list[Variant]:
    """The six ways to run the chain, in their first-round order."""
    in_memory, with_pg = langgraph_chain(nodes), langgraph_chain(nodes, saver)
    return [
        Variant(
            "platform_noop",
            "platform (a) AgentRun, no-op node.llm",
            lambda: run_platform(client, db, agent, queues["a"]),
        ),
        Variant(
            "platform_records",
            "platform (b) AgentRun, no-op + node records",
            lambda: run_platform(client, db, agent, queues["b"]),
        ),
        Variant(
            "raw_regular",
            "hand-written Temporal, regular activities",
            lambda: run_raw(client, queues["raw"], nodes, local=False),
        ),
        Variant(
            "raw_local",
            "hand-written Temporal, local activities",
            lambda: run_raw(client, queues["raw"], nodes, local=True),
        ),
        Variant(
            "langgraph_memory",
            "LangGraph, in memory",
            lambda: run_langgraph(in_memory, nodes, checkpointed=False),
        ),
        Variant(
            "langgraph_postgres",
            "LangGraph + PostgreSQL checkpointer",
            lambda: run_langgraph(with_pg, nodes, checkpointed=True),
        ),
    ]


async def main(args: argparse.Namespace) -> dict[str, Any]:
    """Start everything, measure, report; returns what --json writes."""
    n = args.nodes
    workdir = work_directory()
    db = await start_platform_database(workdir)
    agent = await create_agent(db, chain_definition(n))
    await ensure_database(db.server_url, "bench_langgraph")
    env = await start_temporal(
        dynamic_config=tuple(args.dynamic_config),
        db_file=workdir / "temporal.db" if args.temporal_db == "file" else None,
        extra_args=tuple(arg for p in args.sqlite_pragma for arg in ("--sqlite-pragma", p)),
    )
    client = env.client
    queues = {name: f"bench-{name}-{uuid.uuid4().hex[:6]}" for name in ("a", "b", "raw")}
    try:
        async with (
            platform_worker(client, db, queues["a"], records=False),
            platform_worker(client, db, queues["b"], records=True),
            raw_worker(client, queues["raw"]),
            AsyncPostgresSaver.from_conn_string(
                with_database(db.server_url, "bench_langgraph")
            ) as saver,
        ):
            await saver.setup()
            variants = make_variants(client, db, agent, queues, n, saver)
            await check_records(db, variants[1], n)
            print(f"warming up ({args.warmup} runs each), then {args.runs} rounds…", flush=True)
            await measure(variants, args.runs, args.warmup)
            phases = await breakdowns(client, variants)
    finally:
        await env.shutdown()
        await db.app.dispose()

    stats = {v.key: summary(v.per_node_ms(n)) for v in variants}
    result_ratios = ratios(stats)
    print_report(variants, stats, phases, result_ratios, n, args.runs)
    return {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "temporalio": temporalio.__version__,
        "nodes": n,
        "runs": args.runs,
        "warmup": args.warmup,
        "temporal_db": args.temporal_db,
        "dynamic_config": [*PLATFORM_DYNAMIC_CONFIG, *args.dynamic_config],
        "sqlite_pragmas": args.sqlite_pragma,
        "per_node_ms": {v.key: {"label": v.label, **stats[v.key]} for v in variants},
        "samples_per_node_ms": {v.key: v.per_node_ms(n) for v in variants},
        "history_phases_ms": phases,
        "ratios": result_ratios,
        "target_ratio": TARGET_RATIO,
    }


if __name__ == "__main__":
    arguments = parse_args()
    report = asyncio.run(main(arguments))
    if arguments.json:
        arguments.json.write_text(json.dumps(report, indent=2) + "\n")
        print(f"\nwrote {arguments.json}")
