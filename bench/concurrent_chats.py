"""Concurrent chat turns: latency and throughput of the platform under load (issue 22).

The real API (`agentpaas api`, uvicorn) and ONE worker (`agentpaas worker`) run as
processes of their own on the bench's PostgreSQL and Temporal dev server. The agent is
one ``llm`` node on the offline scripted model (``scripted/echo``, built in, so the
worker process knows it). At each concurrency N, side by side:

- **chat (SSE)**: N users, each with a chat of their own (a chat allows one run at a
  time), send one message at once: ``POST /api/v1/chat/completions`` read as SSE. Per
  turn: first event and first token (first ``message`` frame with text), from sending
  the request; runs/s = N ÷ (first request sent → last ``done`` read).
- **execute**: N ``POST /api/v1/agents/{id}/execute`` without a stream at once; runs/s =
  N ÷ (first request sent → every execution row ended, polled from the database).
- **hand-written**: N ``RawLlmCall`` workflows (bench/raw_llm_workflow.py: the same
  scripted litellm call, stream consumed, in one regular activity, nothing else) on the
  same dev server, on a worker process of their own; runs/s = N ÷ (start → last result).

The order of the three rotates with each level; a level below ``--min-samples`` runs
several rounds (samples pooled, runs/s the median). Nothing is asserted about timings.

    .venv/bin/python bench/concurrent_chats.py [--levels 1,20,100,300] [--quick]
        [--seconds-per-token 0.0] [--warmup 3] [--min-samples 10] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import shutil
import statistics
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from environment import (
    PlatformDatabase,
    create_agent,
    start_platform_database,
    start_temporal,
    work_directory,
)
from platform_client import chat_turn, client_for, execute, open_chats, wait_until_ended
from platform_processes import (
    BENCH_CHANGES,
    SQLITE_FLAGS,
    child_environment,
    login,
    raise_fd_limit,
    raise_tenant_quotas,
    set_model_params,
    start_platform_processes,
    stop_children,
    wait_logged,
)
from raw_llm_workflow import LlmCall
from samples import ms, p50_p95, ratio
from temporalio.client import Client

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.chaos.cluster import Child  # noqa: E402
from tests.helpers import one_llm_node  # noqa: E402

MODEL = "scripted/echo"
QUESTION = "How many runs per second can one worker take?"
KINDS = ("chat", "execute", "raw")


async def chat_level(
    http: httpx.AsyncClient, token: str, agent_id: uuid.UUID, n: int
) -> dict[str, Any]:
    """N concurrent SSE chat turns, each in a chat of its own."""
    chats = await open_chats(http, token, agent_id, n)
    started = time.perf_counter()
    timings = await asyncio.gather(*(chat_turn(http, token, c, QUESTION) for c in chats))
    # From the first request sent, not from each turn's own request.
    ended = [t.sent + t.done - started for t in timings if t.done is not None]
    return {
        "seconds": max(ended) if ended else None,
        "runs_per_s": n / max(ended) if len(ended) == n else None,
        "errors": [t.error for t in timings if t.error],
        "first_event": [t.first_event for t in timings if t.first_event is not None],
        "first_token": [t.first_token for t in timings if t.first_token is not None],
        "done": [t.done for t in timings if t.done is not None],
    }


async def execute_level(
    http: httpx.AsyncClient, token: str, db: PlatformDatabase, agent_id: uuid.UUID, n: int
) -> dict[str, Any]:
    """N concurrent direct runs without a stream; ended when every row says so."""
    started = time.perf_counter()
    answers = await asyncio.gather(*(execute(http, token, agent_id, QUESTION) for _ in range(n)))
    accepted = time.perf_counter() - started
    ids = [a[1] for a in answers if a[1] is not None]
    finished, statuses = await wait_until_ended(db, ids)
    seconds = finished - started
    return {
        "seconds": seconds,
        "runs_per_s": n / seconds if len(ids) == n else None,
        "all_accepted_s": accepted,
        "accept": [a[0] for a in answers],
        "statuses": statuses,
        "errors": [a[2] for a in answers if a[2]],
    }


async def raw_level(
    client: Client, task_queue: str, n: int, seconds_per_token: float
) -> dict[str, Any]:
    """N concurrent hand-written workflows; ended when every result is back."""
    call = LlmCall(model=MODEL, user_text=QUESTION, seconds_per_token=seconds_per_token)

    errors: list[str] = []

    async def one() -> float | None:
        sent = time.perf_counter()
        try:
            await client.execute_workflow(
                "RawLlmCall", call, id=f"raw-{uuid.uuid4()}", task_queue=task_queue
            )
        except Exception as exc:  # a failed run is reported, not fatal to the bench
            errors.append(f"{type(exc).__name__}: {exc}"[:200])
            return None
        return time.perf_counter() - sent

    started = time.perf_counter()
    durations = await asyncio.gather(*(one() for _ in range(n)))
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "runs_per_s": n / seconds if not errors else None,
        "run": [d for d in durations if d is not None],
        "errors": errors,
    }


def raw_worker_child(workdir: Path, address: str, task_queue: str) -> Child:
    """The hand-written baseline's worker process (not started yet)."""
    return Child(
        "raw-worker",
        [
            sys.executable,
            str(ROOT / "bench" / "raw_llm_worker.py"),
            "--address",
            address,
            "--task-queue",
            task_queue,
        ],
        workdir / "logs" / "raw-worker.log",
        env=child_environment(),
    )


async def measure(args: argparse.Namespace) -> dict[str, Any]:
    """Start everything, warm up, run every level, and stop everything."""
    raise_fd_limit()
    workdir = work_directory()
    db = await start_platform_database(workdir)
    env = await start_temporal(db_file=workdir / "temporal.sqlite", extra_args=SQLITE_FLAGS)
    address = env.client.service_client.config.target_host
    await raise_tenant_quotas(db)
    agent = await create_agent(db, one_llm_node(MODEL))
    if args.seconds_per_token:
        await set_model_params(db, agent.agent_id, {"scripted_latency": args.seconds_per_token})
    raw_queue = f"bench-raw-{uuid.uuid4().hex[:8]}"
    raw_worker = raw_worker_child(workdir, address, raw_queue)
    processes = None
    levels: dict[str, Any] = {}
    try:
        processes = await start_platform_processes(workdir, db, address)
        raw_worker.start()
        await wait_logged(raw_worker, f"raw worker polling {raw_queue}")
        async with client_for(processes.api_url, max(args.levels) + 20) as http:
            token = await login(http)
            for _ in range(args.warmup):
                await chat_level(http, token, agent.agent_id, 2)
                await execute_level(http, token, db, agent.agent_id, 2)
                await raw_level(env.client, raw_queue, 2, args.seconds_per_token)
            for index, n in enumerate(args.levels):
                token = await login(http)  # access tokens last 15 minutes
                order = KINDS[index % 3 :] + KINDS[: index % 3]
                results: dict[str, Any] = {}
                for kind in order:
                    rounds = []
                    # Small levels run several rounds, so their percentiles have samples.
                    for _ in range(math.ceil(args.min_samples / n)):
                        if kind == "chat":
                            rounds.append(await chat_level(http, token, agent.agent_id, n))
                        elif kind == "execute":
                            rounds.append(await execute_level(http, token, db, agent.agent_id, n))
                        else:
                            rounds.append(
                                await raw_level(env.client, raw_queue, n, args.seconds_per_token)
                            )
                        await asyncio.sleep(args.pause)
                    results[kind] = merge_rounds(rounds)
                levels[str(n)] = results
                print_level(n, results)
    finally:
        stop_children(raw_worker, *((processes.api, processes.worker) if processes else ()))
        await env.shutdown()
        await db.app.dispose()
        if args.logs:
            shutil.copytree(workdir / "logs", args.logs, dirs_exist_ok=True)
    return {
        "command": sys.argv,
        "levels": levels,
        "seconds_per_token": args.seconds_per_token,
        "bench_changes": list(BENCH_CHANGES),
        "ratios": ratios(levels),
    }


def merge_rounds(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """One level's rounds as one: samples pooled, counts summed, durations and rates the
    median of the rounds (None if any round has none)."""
    merged: dict[str, Any] = {"rounds": len(rounds)}
    for key, first in rounds[0].items():
        values = [r[key] for r in rounds]
        if isinstance(first, list):
            merged[key] = [v for value in values for v in value]
        elif isinstance(first, dict):
            merged[key] = dict(sum((Counter(v) for v in values), Counter()))
        else:
            merged[key] = None if None in values else statistics.median(values)
    return merged


def ratios(levels: dict[str, Any]) -> dict[str, Any]:
    """The issue's two targets, from the SSE chat turns and the runs/s."""
    sizes = sorted(int(n) for n in levels)
    high = 100 if 100 in sizes else sizes[-1]
    low = 1 if 1 in sizes else sizes[0]
    out: dict[str, Any] = {
        "first_event_p95_high_over_p50_low": ratio(
            p50_p95(levels[str(high)]["chat"]["first_event"])["p95"],
            p50_p95(levels[str(low)]["chat"]["first_event"])["p50"],
        ),
        "high": high,
        "low": low,
        "runs_per_s_over_raw": {},
    }
    for n in sizes:
        raw = levels[str(n)]["raw"]["runs_per_s"]
        out["runs_per_s_over_raw"][str(n)] = {
            kind: ratio(levels[str(n)][kind]["runs_per_s"], raw) for kind in ("chat", "execute")
        }
    return out


def rate(value: float | None) -> str:
    """runs/s for a table cell."""
    return "-" if value is None else f"{value:.1f}"


def print_level(n: int, results: dict[str, Any]) -> None:
    """One level's rows as soon as it is measured."""
    chat, run, raw = results["chat"], results["execute"], results["raw"]
    event, token = p50_p95(chat["first_event"]), p50_p95(chat["first_token"])
    accept = p50_p95(run["accept"])
    print(
        f"N={n:<4} chat (SSE)   first event p50 {ms(event['p50']):>6} p95 {ms(event['p95']):>6} ms"
        f"   first token p50 {ms(token['p50']):>6} p95 {ms(token['p95']):>6} ms"
        f"   {rate(chat['runs_per_s']):>6} runs/s   errors {len(chat['errors'])}"
    )
    print(
        f"       execute      202 p50 {ms(accept['p50']):>6} p95 {ms(accept['p95']):>6} ms"
        f"   all accepted {run['all_accepted_s']:.2f} s, all ended {run['seconds']:.2f} s"
        f"   {rate(run['runs_per_s']):>6} runs/s   {run['statuses']} errors {len(run['errors'])}"
    )
    runs = p50_p95(raw["run"])
    print(
        f"       hand-written run p50 {ms(runs['p50']):>6} p95 {ms(runs['p95']):>6} ms"
        f"   all ended {raw['seconds']:.2f} s   {rate(raw['runs_per_s']):>6} runs/s"
        f"   errors {len(raw['errors'])}",
        flush=True,
    )
    for error in sorted(set(chat["errors"] + run["errors"] + raw["errors"]))[:3]:
        print(f"       error: {error}")


def print_summary(report: dict[str, Any]) -> None:
    """The issue's ratios, and what the bench changed."""
    r = report["ratios"]
    value = r["first_event_p95_high_over_p50_low"]
    shown = "-" if value is None else f"{value:.2f}x"
    print(f"\nfirst-event p95 at N={r['high']} / p50 at N={r['low']}: {shown} (target <= 3x)")
    print("platform runs/s / hand-written runs/s (target >= 0.7x):")
    for n, kinds in r["runs_per_s_over_raw"].items():
        cells = "   ".join(
            f"{kind} {'-' if v is None else f'{v:.2f}x'}" for kind, v in kinds.items()
        )
        print(f"  N={n:<4} {cells}")
    print("bench setup: " + "; ".join(report["bench_changes"]))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options (``--quick``: small levels, for a smoke run)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", default="1,20,100,300", help="comma-separated N")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured rounds of 2 runs each")
    parser.add_argument(
        "--seconds-per-token",
        type=float,
        default=0.0,
        help="the scripted model's delay per word (its scripted_latency parameter)",
    )
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between measurements")
    parser.add_argument(
        "--min-samples",
        type=int,
        default=10,
        help="a level of N < this runs ceil(this / N) rounds (runs/s: their median)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="levels 1,5,20, one warm-up, 5 samples at least"
    )
    parser.add_argument("--json", type=Path, help="also write every sample here")
    parser.add_argument("--logs", type=Path, help="copy the processes' logs here at the end")
    args = parser.parse_args(argv)
    if args.quick:
        args.levels, args.warmup, args.pause, args.min_samples = "1,5,20", 1, 0.5, 5
    args.levels = [int(n) for n in str(args.levels).split(",") if n.strip()]
    return args


if __name__ == "__main__":
    arguments = parse_args()
    print(
        f"concurrent chat turns, levels {arguments.levels}, model {MODEL} "
        f"({arguments.seconds_per_token * 1000:.0f} ms per word); API and worker in processes "
        "of their own; times from sending the request, ms",
        flush=True,
    )
    result = asyncio.run(measure(arguments))
    print_summary(result)
    if arguments.json:
        arguments.json.write_text(json.dumps(result, indent=2, default=str))
