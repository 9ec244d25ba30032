"""Idle SSE streams on one API process: what 1000 of them cost, and whether they slow others.

The real API (`agentpaas api`) and one worker run as processes of their own (as in
bench/concurrent_chats.py); the client is this process. The idle streams are runs parked
on a human-intervention node: an agent whose graph is one ``human`` node gets ``--streams``
direct runs (``POST /api/v1/agents/{id}/execute``), and once every run has its task, each
run's ``GET /api/v1/executions/{id}/events`` is held open. The active load is
``--active`` chats of one ``llm`` node on the scripted model, slowed to
``--seconds-per-token`` per word, each sending one message at once (SSE chat turns).

In order: an unmeasured round of the active chats, then active chats without idle
streams (A1); the processes' CPU while nothing happens (``--idle-seconds``); the API's
RSS; the streams opened (until each has its first frame); the RSS again; CPU over the
same idle window; active chats with the streams open (B); the streams closed; active
chats again (A2). CPU is
utime+stime from /proc/<pid>/stat, memory VmRSS from /proc/<pid>/statm. The active
chats' delays are the gaps between consecutive text frames of a turn, and the first
token; B is compared with A1+A2. Nothing is asserted about timings.

    .venv/bin/python bench/open_streams.py [--streams 1000] [--active 50] [--rounds 2]
        [--idle-seconds 20] [--seconds-per-token 0.05] [--quick] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import shutil
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from environment import create_agent, start_platform_database, start_temporal, work_directory
from platform_client import (
    bearer,
    chat_turn,
    client_for,
    execute,
    open_chats,
    wait_for_human_tasks,
)
from platform_processes import (
    BENCH_CHANGES,
    SQLITE_FLAGS,
    login,
    raise_fd_limit,
    raise_tenant_quotas,
    set_model_params,
    start_platform_processes,
)
from proc_stats import CpuMeter, find_process, rss_bytes
from samples import ms, p50_p95, ratio
from sse_client import read_frames

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers import one_llm_node  # noqa: E402

MODEL = "scripted/echo"
# About twenty words of answer: a turn streams for about a second at 50 ms a word.
QUESTION = "Tell me how a parked run waits for a person without costing anything."


def human_agent() -> dict[str, Any]:
    """One human node: every run waits for a reviewer (for as long as the bench lasts)."""
    return {
        "state": {"messages": {"reducer": "add_messages"}, "human_input": {"type": "object"}},
        "nodes": [{"name": "ask", "type": "human", "config": {"instruction": "Approve?"}}],
        "edges": [
            {"source": "__start__", "target": "ask"},
            {"source": "ask", "target": "__end__"},
        ],
    }


@dataclass
class HeldStream:
    """One idle stream as the client sees it."""

    execution_id: str
    first_frame: float | None = None  # seconds from the request
    parked: bool = False  # saw waiting_for_human
    frames: int = 0
    ended: str | None = None  # why it ended while it should have stayed open
    opened: asyncio.Event = field(default_factory=asyncio.Event)


async def hold(http: httpx.AsyncClient, token: str, stream: HeldStream) -> None:
    """Open the run's event stream and read it until cancelled."""
    sent = time.perf_counter()
    try:
        async with http.stream(
            "GET", f"/api/v1/executions/{stream.execution_id}/events", headers=bearer(token)
        ) as response:
            if response.status_code != 200:
                stream.ended = f"HTTP {response.status_code}"
                return
            async for frame in read_frames(response):
                stream.frames += 1
                if stream.first_frame is None:
                    stream.first_frame = frame.at - sent
                    stream.opened.set()
                if frame.event == "waiting_for_human":
                    stream.parked = True
                if frame.event in ("done", "error"):
                    stream.ended = f"{frame.event}: {frame.data.get('content', '')}"[:200]
                    return
            stream.ended = "closed by the server"
    except httpx.HTTPError as exc:
        stream.ended = f"{type(exc).__name__}: {exc}"[:200]
    finally:
        stream.opened.set()


async def park_runs(
    http: httpx.AsyncClient, token: str, agent_id: uuid.UUID, count: int, parallel: int = 50
) -> list[str]:
    """Start ``count`` runs of the human agent (``parallel`` requests at a time)."""
    gate = asyncio.Semaphore(parallel)

    async def one() -> str:
        async with gate:
            _elapsed, execution_id, error = await execute(http, token, agent_id, "approve me")
        if execution_id is None:
            raise RuntimeError(f"a run did not start: {error}")
        return execution_id

    return list(await asyncio.gather(*(one() for _ in range(count))))


async def open_streams(
    http: httpx.AsyncClient, token: str, execution_ids: list[str], timeout: float
) -> tuple[list[HeldStream], list[asyncio.Task[None]], float]:
    """Open every stream, 50 at a time until each has its first frame.

    Returns the streams, their readers (running until cancelled) and the seconds it took.
    """
    gate = asyncio.Semaphore(50)
    streams = [HeldStream(e) for e in execution_ids]
    readers: list[asyncio.Task[None]] = []
    started = time.perf_counter()

    async def start(stream: HeldStream) -> None:
        async with gate:
            readers.append(asyncio.create_task(hold(http, token, stream)))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stream.opened.wait(), timeout)

    await asyncio.gather(*(start(s) for s in streams))
    return streams, readers, time.perf_counter() - started


async def active_round(
    http: httpx.AsyncClient, token: str, agent_id: uuid.UUID, count: int, rounds: int
) -> dict[str, Any]:
    """``rounds`` times: ``count`` chats each send one message at once."""
    gaps: list[float] = []
    first_tokens: list[float] = []
    errors: list[str] = []
    for _ in range(rounds):
        chats = await open_chats(http, token, agent_id, count)
        timings = await asyncio.gather(*(chat_turn(http, token, c, QUESTION) for c in chats))
        for timing in timings:
            gaps += timing.gaps
            if timing.first_token is not None:
                first_tokens.append(timing.first_token)
            if timing.error:
                errors.append(timing.error)
    return {"gaps": gaps, "first_token": first_tokens, "errors": errors}


def cpu_of(meters: dict[str, CpuMeter]) -> dict[str, float]:
    """Each process's CPU since its meter started, in % of one core."""
    return {name: meter.stop().percent_of_a_core for name, meter in meters.items()}


async def idle_cpu(pids: dict[str, int], seconds: float) -> dict[str, float]:
    """CPU of each process over ``seconds`` of doing nothing, in % of one core."""
    meters = {name: CpuMeter(pid) for name, pid in pids.items()}
    for meter in meters.values():
        meter.start()
    await asyncio.sleep(seconds)
    return cpu_of(meters)


async def measure(args: argparse.Namespace) -> dict[str, Any]:
    """Start everything, run the phases in the module docstring's order, stop everything."""
    raise_fd_limit()
    workdir = work_directory()
    db = await start_platform_database(workdir)
    env = await start_temporal(db_file=workdir / "temporal.sqlite", extra_args=SQLITE_FLAGS)
    address = env.client.service_client.config.target_host
    await raise_tenant_quotas(db)
    parked_agent = await create_agent(db, human_agent())
    chat_agent = await create_agent(db, one_llm_node(MODEL))
    await set_model_params(db, chat_agent.agent_id, {"scripted_latency": args.seconds_per_token})
    processes = None
    report: dict[str, Any] = {"command": sys.argv, "bench_changes": list(BENCH_CHANGES)}
    try:
        processes = await start_platform_processes(workdir, db, address)
        pids = {"api": processes.api.pid, "worker": processes.worker.pid}
        # The trailing space: the whole port number, not a prefix of another one.
        temporal_pid = find_process("start-dev", f"--port {address.rsplit(':', 1)[1]} ")
        if temporal_pid is not None:
            pids["temporal"] = temporal_pid
        idle_http = client_for(processes.api_url, args.streams + 20)
        async with idle_http, client_for(processes.api_url, args.active + 20) as http:
            token = await login(http)
            started = time.perf_counter()
            ids = await park_runs(http, token, parked_agent.agent_id, args.streams)
            parked = await wait_for_human_tasks(db, ids, timeout=args.streams)
            report["parking"] = {"runs": len(ids), "parked": parked}
            report["parking"]["seconds"] = time.perf_counter() - started
            print(
                f"{parked}/{len(ids)} runs parked on a human task in "
                f"{report['parking']['seconds']:.1f} s",
                flush=True,
            )

            token = await login(http)
            # Unmeasured: warms the processes up at the active load, after parking's bustle.
            await active_round(http, token, chat_agent.agent_id, args.active, 1)
            await asyncio.sleep(2)
            report["a1"] = await active_round(
                http, token, chat_agent.agent_id, args.active, args.rounds
            )
            report["idle_cpu_without"] = await idle_cpu(pids, args.idle_seconds)
            rss_before = rss_bytes(processes.api.pid)
            streams, readers, open_seconds = await open_streams(idle_http, token, ids, timeout=120)
            await asyncio.sleep(2)  # let the opening's garbage settle before reading RSS
            rss_after = rss_bytes(processes.api.pid)
            report["streams"] = {
                "opened": sum(1 for s in streams if s.first_frame is not None),
                "parked": sum(1 for s in streams if s.parked),
                "open_seconds": open_seconds,
                "first_frame": [s.first_frame for s in streams if s.first_frame is not None],
                "rss_before": rss_before,
                "rss_after": rss_after,
                "rss_per_stream": (rss_after - rss_before) / len(streams),
            }
            report["idle_cpu_with"] = await idle_cpu(pids, args.idle_seconds)
            token = await login(http)
            report["b"] = await active_round(
                http, token, chat_agent.agent_id, args.active, args.rounds
            )
            report["streams"]["ended_early"] = [s.ended for s in streams if s.ended]
            for reader in readers:
                reader.cancel()
            await asyncio.gather(*readers, return_exceptions=True)
            await asyncio.sleep(2)
            report["a2"] = await active_round(
                http, token, chat_agent.agent_id, args.active, args.rounds
            )
    finally:
        if processes is not None:
            processes.stop()
        await env.shutdown()
        await db.app.dispose()
        if args.logs:
            shutil.copytree(workdir / "logs", args.logs, dirs_exist_ok=True)
    report["ratios"] = delay_ratios(report)
    return report


def delays(samples: dict[str, Any]) -> dict[str, Any]:
    """p50/p95 of a phase's gaps and first tokens."""
    return {"gap": p50_p95(samples["gaps"]), "first_token": p50_p95(samples["first_token"])}


def without_streams(report: dict[str, Any]) -> dict[str, list[Any]]:
    """The active chats' samples of both phases without idle streams (A1 and A2)."""
    return {key: report["a1"][key] + report["a2"][key] for key in ("gaps", "first_token", "errors")}


def delay_ratios(report: dict[str, Any]) -> dict[str, float | None]:
    """p95 with the idle streams (B) ÷ p95 without (A1+A2), of the gaps and first tokens."""
    with_d, without_d = delays(report["b"]), delays(without_streams(report))
    return {
        "gap_p95": ratio(with_d["gap"]["p95"], without_d["gap"]["p95"]),
        "first_token_p95": ratio(with_d["first_token"]["p95"], without_d["first_token"]["p95"]),
    }


def print_report(report: dict[str, Any], args: argparse.Namespace) -> None:
    """CPU, memory and the active chats' delays, with and without the idle streams."""
    streams = report["streams"]
    n = report["parking"]["runs"]
    print(
        f"\n{n} idle streams: {streams['opened']} opened, {streams['parked']} showed "
        f"waiting_for_human, in {streams['open_seconds']:.1f} s; first frame p50/p95 "
        + "/".join(ms(v) for v in p50_p95(streams["first_frame"]).values())
        + f" ms; {len(streams['ended_early'])} ended before the bench closed them"
    )
    for reason in sorted(set(streams["ended_early"]))[:3]:
        print(f"  ended: {reason}")
    print(f"CPU over {args.idle_seconds:.0f} s idle, % of one core")
    print(f"  {'process':<10}{'no streams':>12}{f'{n} streams':>14}")
    for name, without in report["idle_cpu_without"].items():
        print(f"  {name:<10}{without:>12.1f}{report['idle_cpu_with'][name]:>14.1f}")
    per_stream = streams["rss_per_stream"] / 1024
    print(
        f"API RSS {streams['rss_before'] / 2**20:.1f} MiB -> {streams['rss_after'] / 2**20:.1f} "
        f"MiB: {per_stream:.1f} KiB per open stream"
    )
    rows = (
        ("A1 before the streams", report["a1"]),
        ("B with idle streams", report["b"]),
        ("A2 after closing them", report["a2"]),
        ("A1+A2", without_streams(report)),
    )
    print(
        f"{args.active} active chats x {args.rounds} rounds, {args.seconds_per_token * 1000:.0f}"
        " ms per word; ms"
    )
    print(f"  {'':<24}{'gap p50':>9}{'gap p95':>9}{'1st tok p50':>13}{'1st tok p95':>13}  errors")
    for label, samples in rows:
        d = delays(samples)
        print(
            f"  {label:<24}{ms(d['gap']['p50']):>9}{ms(d['gap']['p95']):>9}"
            f"{ms(d['first_token']['p50']):>13}{ms(d['first_token']['p95']):>13}"
            f"  {len(samples['errors'])}"
        )
    shown = {k: "-" if v is None else f"{v:.2f}x" for k, v in report["ratios"].items()}
    print(
        f"p95 gap B / (A1+A2): {shown['gap_p95']} (target <= 1.5x); "
        f"p95 first token B / (A1+A2): {shown['first_token_p95']}"
    )
    print("bench setup: " + "; ".join(report["bench_changes"]))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options (``--quick``: 100 streams, 10 chats, 5 s idle)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--streams", type=int, default=1000, help="idle streams to hold open")
    parser.add_argument("--active", type=int, default=50, help="concurrent active chats")
    parser.add_argument("--rounds", type=int, default=2, help="turns of the active chats")
    parser.add_argument("--idle-seconds", type=float, default=20.0, help="CPU window")
    parser.add_argument(
        "--seconds-per-token",
        type=float,
        default=0.05,
        help="the scripted model's delay per word in the active chats",
    )
    parser.add_argument("--quick", action="store_true", help="a smoke run in under 2 minutes")
    parser.add_argument("--json", type=Path, help="also write every sample here")
    parser.add_argument("--logs", type=Path, help="copy the processes' logs here at the end")
    args = parser.parse_args(argv)
    if args.quick:
        args.streams, args.active, args.rounds, args.idle_seconds = 100, 10, 1, 5.0
    return args


if __name__ == "__main__":
    arguments = parse_args()
    print(
        f"{arguments.streams} idle SSE streams + {arguments.active} active chats on one API "
        "process; API and worker in processes of their own",
        flush=True,
    )
    result = asyncio.run(measure(arguments))
    print_report(result, arguments)
    if arguments.json:
        arguments.json.write_text(json.dumps(result, indent=2, default=str))
