"""Where one run's CPU time and waits go: py-spy on the API and the worker under steady load.

The processes and the agent are those of bench/concurrent_chats.py (the real API and ONE
worker as processes of their own, one ``llm`` node on ``scripted/echo``, embedded
PostgreSQL, the Temporal dev server on a SQLite file). For each kind of run, in turn, a
closed loop of ``--concurrency`` simulated users, each starting its next run as soon as
its last one ended, for ``--seconds``, while ``py-spy record --format raw`` samples the
processes that kind runs on (on-CPU samples only):

- ``chat``: SSE chat turns (each user cycles through ``--chats-per-user`` chats opened
  before the window); API and worker sampled;
- ``execute``: ``POST /api/v1/agents/{id}/execute`` without a stream; a run ends when its
  execution row says so (one poll of all pending rows every 50 ms, as the table owner);
  API and worker sampled;
- ``raw``: the hand-written ``RawLlmCall`` workflow (bench/raw_llm_workflow.py) on its own
  worker process; that worker sampled.

Per window: runs/s, the CPU seconds of every process (/proc, per thread) ÷ runs, the
samples by component (bench/profile_components.py), PostgreSQL transactions
(pg_stat_database) and statements (pg_stat_statements) ÷ runs. Then a chat window with
``--idle`` (where the threads wait), a short counting window with every statement logged
and split by process (bench/pg_counts.py), and the histories of sampled runs
(bench/run_histories.py). Raw samples, logs and a JSON summary go to ``--out``. The load
is bench/profile_load.py's, the CPU accounting and py-spy handling bench/profile_cpu.py's.

py-spy is a profiling tool, not a dependency of the project: ``.venv/bin/pip install
py-spy``; it needs to ptrace the processes (root, or CAP_SYS_PTRACE).

    .venv/bin/python bench/profile_run.py [--concurrency 50] [--seconds 30]
        [--kinds chat,execute,raw] [--reference-seconds 15] [--idle-seconds 15]
        [--count-runs 20] [--histories 40] [--rate 100] [--rate-limits] [--out DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import sys
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Any

from concurrent_chats import MODEL, raw_worker_child
from environment import (
    PlatformDatabase,
    create_agent,
    start_platform_database,
    start_temporal,
    work_directory,
)
from pg_counts import (
    ActivitySampler,
    ServerStats,
    count_by_process,
    enable_statement_stats,
    parse_statement_log,
    stop_server,
)
from pg_counts import socket_owners as pg_socket_owners
from platform_client import client_for, open_chats
from platform_processes import (
    BENCH_CHANGES,
    SQLITE_FLAGS,
    login,
    raise_fd_limit,
    raise_tenant_quotas,
    start_platform_processes,
    stop_children,
    wait_logged,
)
from proc_stats import cpu_seconds
from profile_components import print_profile, summarize_profile
from profile_cpu import Spy, Targets, cpu_delta, cpu_snapshot, own_child
from profile_load import RunRecord, RunWatcher, Setup, runner, steady
from run_histories import print_summary, summarize
from sqlalchemy import text

from tests.helpers import one_llm_node

SAMPLED = {"chat": ("api", "worker"), "execute": ("api", "worker"), "raw": ("raw-worker",)}


async def window(
    setup: Setup, kind: str, *, idle: bool = False, sampled: bool = True
) -> dict[str, Any]:
    """One measured window of ``kind``: load, samples (unless not ``sampled``), CPU and
    database counters."""
    args = setup.args
    label = f"{kind}-idle" if idle else kind
    pids = {name: setup.targets.pids[name] for name in SAMPLED[kind]} if sampled else {}
    spy = Spy(setup.outdir, label, pids, args.rate, idle)
    polls_before = setup.watcher.polls
    await spy.start()
    xact_before = await setup.stats.reset()
    cpu_before = cpu_snapshot(setup.targets)
    spy_cpu_before = sum(cpu_seconds(p) for p in spy.pids)
    load_before = os.getloadavg()
    seconds = args.idle_seconds if idle else (args.seconds if sampled else args.reference_seconds)
    async with ActivitySampler(setup.db.admin_url) as activity:
        records, wall = await steady(args.concurrency, seconds, runner(setup, kind))
    cpu = cpu_delta(cpu_before, cpu_snapshot(setup.targets))
    spy_cpu = sum(cpu_seconds(p) for p in spy.pids) - spy_cpu_before
    load_after = os.getloadavg()
    said = await spy.stop()
    await asyncio.sleep(1.5)  # backends flush their transaction counters at most every 1 s
    xact_after = await setup.stats.transactions()
    statements = await setup.stats.statements()
    ok = [r for r in records if r.error is None and r.ended is not None]
    runs = len(ok)
    result: dict[str, Any] = {
        "kind": kind,
        "idle": idle,
        "sampled": sampled,
        "wall_seconds": wall,
        "runs": runs,
        "errors": sorted({r.error for r in records if r.error})[:5],
        "runs_per_s": runs / wall if wall else None,
        "cpu": cpu,
        "py_spy_cpu_seconds": spy_cpu,
        "py_spy": said,
        "loadavg_before": load_before,
        "loadavg_after": load_after,
        "bench_polls": setup.watcher.polls - polls_before,
        "xact_commit": xact_after["commit"] - xact_before["commit"],
        "xact_rollback": xact_after["rollback"] - xact_before["rollback"],
        "sessions": xact_after["sessions"] - xact_before["sessions"],
        "statements": statements,
        "pg_activity": activity.means(),
        "records": [asdict(r) for r in records],
        "profiles": {},
    }
    for name, path in spy.files.items():
        if path.exists():
            result["profiles"][name] = summarize_profile(
                path,
                rate=args.rate,
                runs=max(runs, 1),
                cpu_seconds=cpu["processes"].get(name, 0.0),
                thread_seconds=cpu["tids"].get(name, {}),
                idle=idle,
            )
    return result


async def counting_window(setup: Setup, kind: str, pgdata: Path) -> dict[str, Any]:
    """``--count-runs`` runs of ``kind`` at 5 concurrent with every statement logged."""
    log = pgdata / "log"
    owners: dict[int, int] = {}
    stop = asyncio.Event()

    async def snapshot_sockets() -> None:
        while not stop.is_set():
            owners.update(await asyncio.to_thread(pg_socket_owners))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=0.25)

    users = 5
    per_user = max(1, setup.args.count_runs // users)
    records: list[RunRecord] = []
    one = runner(setup, kind)
    await setup.stats.set_statement_logging(True)
    await asyncio.sleep(0.5)
    start = log.stat().st_size
    before = await asyncio.to_thread(pg_socket_owners)
    snapper = asyncio.create_task(snapshot_sockets())
    try:

        async def user(u: int) -> None:
            for _ in range(per_user):
                records.append(await one(u))

        await asyncio.gather(*(user(u) for u in range(users)))
    finally:
        stop.set()
        await snapper
        await setup.stats.set_statement_logging(False)
    with log.open("rb") as f:
        f.seek(start)
        body = f.read().decode(errors="replace")
    names = {pid: name for name, pid in setup.targets.pids.items()}
    names[os.getpid()] = "bench"
    (setup.outdir / f"statements-{kind}.log").write_text(body)
    (setup.outdir / f"statements-{kind}-backends.json").write_text(
        json.dumps({b: names.get(p, p) for b, p in owners.items()})
    )
    statements = parse_statement_log(body)
    counts, backends = count_by_process(statements, owners, names)
    # Backends that were not there when the window began: connections opened for it.
    fresh = {b for b, _ in statements} - set(before)
    new_backends, _ = count_by_process([(b, "") for b in fresh], owners, names)
    runs = len([r for r in records if r.error is None])
    return {
        "kind": kind,
        "runs": runs,
        "backends": backends,
        "new_connections_per_run": {
            proc: sum(c.values()) / max(runs, 1) for proc, c in new_backends.items()
        },
        "per_run": {
            proc: {k: v / max(runs, 1) for k, v in sorted(c.items(), key=lambda kv: -kv[1])}
            for proc, c in counts.items()
        },
    }


async def histories(setup: Setup, result: dict[str, Any], sample: int) -> dict[str, Any]:
    """Counts and the median timeline of up to ``sample`` runs of a window."""
    ok = [r for r in result["records"] if r["error"] is None and r["ended"] is not None]
    ok = ok[len(ok) // 4 :][:sample]  # past the ramp-up
    anchors: list[dict[str, float]] = []
    ids: list[str] = []
    if result["kind"] == "chat":
        await _match_chat_runs(setup, ok)
    for r in ok:
        execution_id = r.get("execution_id")
        workflow_id = r.get("workflow_id") or (f"exec-{execution_id}" if execution_id else None)
        if workflow_id is None:
            continue
        marks = {"client sent": r["sent"], "client done": r["ended"]}
        if r.get("first_event"):
            marks["client first event"] = r["first_event"]
        if r.get("accepted"):
            marks["client 202"] = r["accepted"]
        if r.get("row_built"):
            marks["API built the execution row"] = r["row_built"]
        if r.get("row_completed"):
            marks["execution row completed_at"] = r["row_completed"]
        ids.append(workflow_id)
        anchors.append(marks)
    found = await asyncio.gather(
        *(setup.temporal.get_workflow_handle(w).fetch_history() for w in ids)
    )
    return summarize(list(found), anchors)


async def _match_chat_runs(setup: Setup, records: list[dict[str, Any]]) -> None:
    """Give each chat turn its execution: the chat's k-th turn is its k-th execution."""
    chat_ids = sorted({r["chat_id"] for r in records})
    async with setup.watcher.owner.system_session() as session:
        rows = (
            await session.execute(
                text(
                    "SELECT chat_id, execution_id, started_at, completed_at "
                    "FROM workflow_executions WHERE chat_id = ANY(:ids) ORDER BY started_at"
                ),
                {"ids": [uuid.UUID(c) for c in chat_ids]},
            )
        ).all()
    by_chat: dict[str, list[Any]] = {}
    for row in rows:
        by_chat.setdefault(str(row[0]), []).append(row)
    for r in records:
        runs = by_chat.get(r["chat_id"], [])
        # Turns of one chat are sequential: the execution built after the turn was sent.
        match = next((row for row in runs if row[2].timestamp() >= r["sent"]), None)
        if match is not None:
            r["execution_id"] = str(match[1])
            r["row_built"] = match[2].timestamp()
            r["row_completed"] = match[3].timestamp() if match[3] else None


async def measure(args: argparse.Namespace) -> dict[str, Any]:
    """Start everything, warm up, run the windows, and stop everything."""
    raise_fd_limit()
    workdir = work_directory()
    outdir = args.out or workdir / "profile"
    outdir.mkdir(parents=True, exist_ok=True)
    db = await start_platform_database(workdir)
    try:
        await enable_statement_stats(db.server_url, db.admin_url, workdir / "pg")
        return await _measure_on(args, db, workdir, outdir)
    finally:
        await db.app.dispose()
        await stop_server(workdir / "pg")


async def _measure_on(
    args: argparse.Namespace, db: PlatformDatabase, workdir: Path, outdir: Path
) -> dict[str, Any]:
    """The windows, on a database already started (see :func:`measure`)."""
    stats = ServerStats(db.admin_url)
    env = await start_temporal(db_file=workdir / "temporal.sqlite", extra_args=SQLITE_FLAGS)
    address = env.client.service_client.config.target_host
    await raise_tenant_quotas(db)
    agent = await create_agent(db, one_llm_node(MODEL))
    raw_queue = f"bench-raw-{uuid.uuid4().hex[:8]}"
    raw_worker = raw_worker_child(workdir, address, raw_queue)
    limits = (
        {
            "AGENTPAAS_RATE_LIMIT_PER_CREDENTIAL": "1000000000",
            "AGENTPAAS_RATE_LIMIT_PER_IP": "1000000000",
        }
        if args.rate_limits
        else {}
    )
    processes = None
    watcher = RunWatcher(db)
    report: dict[str, Any] = {"command": sys.argv, "windows": {}, "counts": {}, "histories": {}}
    try:
        processes = await start_platform_processes(workdir, db, address, **limits)
        raw_worker.start()
        await wait_logged(raw_worker, f"raw worker polling {raw_queue}")
        targets = Targets(
            {
                "api": processes.api.pid,
                "worker": processes.worker.pid,
                "raw-worker": raw_worker.pid,
                "temporal": own_child("temporal", "start-dev"),
                "bench": os.getpid(),
            }
        )
        postmaster = (workdir / "pg" / "postmaster.pid").read_text().split()[0]
        targets.pids["postgres"] = int(postmaster)
        async with client_for(processes.api_url, args.concurrency + 20) as http:
            token = await login(http)
            setup = Setup(
                args,
                db,
                stats,
                env.client,
                http,
                token,
                agent.agent_id,
                raw_queue,
                targets,
                watcher,
                outdir,
            )
            if "chat" in args.kinds:
                setup.chats = await _open_user_chats(setup)
            for kind in args.kinds:  # warm-up: every path once at low concurrency
                one = runner(setup, kind)
                await asyncio.gather(*(one(u) for u in range(min(5, args.concurrency))))
            for kind in args.kinds:
                setup.token = await login(http)
                if args.reference_seconds:
                    result = await window(setup, kind, sampled=False)
                    report["windows"][f"{kind}-unsampled"] = result
                    print_window(result)
                    await asyncio.sleep(args.pause)
                result = await window(setup, kind)
                report["windows"][kind] = result
                print_window(result)
                await asyncio.sleep(args.pause)
            if args.idle_seconds and "chat" in args.kinds:
                result = await window(setup, "chat", idle=True)
                report["windows"]["chat-idle"] = result
                print_window(result)
            for kind in ("chat", "execute"):
                if args.count_runs and kind in args.kinds:
                    counted = await counting_window(setup, kind, workdir / "pg")
                    report["counts"][kind] = counted
                    print_counts(counted)
            for kind in args.kinds:
                summary = await histories(setup, report["windows"][kind], args.histories)
                report["histories"][kind] = summary
                print_summary(f"histories ({kind})", summary)
    finally:
        await watcher.close()
        stop_children(raw_worker, *((processes.api, processes.worker) if processes else ()))
        await env.shutdown()
        if processes is not None:
            shutil.copytree(workdir / "logs", outdir / "logs", dirs_exist_ok=True)
    report["bench_changes"] = list(BENCH_CHANGES) + (
        ["rate limits ON at 1e9 requests per window"] if args.rate_limits else []
    )
    return report


async def _open_user_chats(setup: Setup) -> list[list[str]]:
    """``--chats-per-user`` chats for each simulated user (before any window)."""
    per = setup.args.chats_per_user
    flat = await open_chats(setup.http, setup.token, setup.agent_id, setup.args.concurrency * per)
    return [flat[u * per : (u + 1) * per] for u in range(setup.args.concurrency)]


def print_window(result: dict[str, Any]) -> None:
    """A window's throughput, CPU per run and profiles."""
    runs = max(result["runs"], 1)
    what = " (idle samples)" if result["idle"] else ("" if result["sampled"] else " (no py-spy)")
    print(
        f"\n== {result['kind']}{what}: "
        f"{result['runs']} runs in {result['wall_seconds']:.1f} s = "
        f"{result['runs_per_s']:.1f} runs/s; errors {result['errors']}; "
        f"load {result['loadavg_before'][0]:.2f} -> {result['loadavg_after'][0]:.2f}"
    )
    cells = ", ".join(
        f"{name} {1000 * s / runs:.1f}" for name, s in result["cpu"]["processes"].items()
    )
    print(f"   CPU ms per run: {cells}; py-spy {1000 * result['py_spy_cpu_seconds'] / runs:.1f}")
    for proc, threads in result["cpu"]["threads"].items():
        busy = {t: v for t, v in threads.items() if v > 0.005}
        if busy and proc in result["profiles"]:
            print(
                f"   {proc} threads (CPU ms/run): "
                + ", ".join(
                    f"{t} {1000 * v / runs:.1f}"
                    for t, v in sorted(busy.items(), key=lambda kv: -kv[1])
                )
            )
    polls = result["bench_polls"]
    print(
        f"   PostgreSQL: {(result['xact_commit'] - polls) / runs:.1f} commits/run "
        f"(bench polls excluded), {result['xact_rollback'] / runs:.2f} rollbacks/run, "
        f"{result['sessions'] / runs:.2f} new connections/run"
    )
    by_origin: dict[str, list[float]] = {}
    for s in result["statements"]:
        entry = by_origin.setdefault(s["origin"], [0.0, 0.0])
        entry[0] += s["calls"]
        entry[1] += s["total_ms"]
    total = sum(v[0] for v in by_origin.values())
    print(f"   statements/run {total / runs:.1f} (app role, pg_stat_statements):")
    for origin, (calls, total_ms) in sorted(by_origin.items(), key=lambda kv: -kv[1][0]):
        print(f"     {origin:<45} {calls / runs:6.2f}/run  {total_ms / runs:6.2f} ms/run exec")
    top = sorted(result["statements"], key=lambda st: -st["total_ms"])[:6]
    print("   slowest statements in total (exec time includes lock waits), ms/run:")
    for st in top:
        print(f"     {st['total_ms'] / runs:7.2f}  {st['calls'] / runs:5.2f}x  {st['query'][:110]}")
    activity = result["pg_activity"]
    print(
        "   app-role backends on average: "
        + ", ".join(f"{k} {v:.1f}" for k, v in activity["states"].items())
    )
    for wait, n in activity["waits"].items():
        print(f"     waiting {n:5.2f}  {wait}")
    for holder, n in activity["lock_holders"].items():
        print(f"     holding a lock others wait for {n:5.2f}  {holder}")
    for name, profile in result["profiles"].items():
        print_profile(name, profile)


def print_counts(counted: dict[str, Any]) -> None:
    """Statements per run, by process and origin, from the statement log."""
    print(f"\n== statements per run by process ({counted['kind']}, {counted['runs']} runs)")
    print(
        "   connections used: "
        + ", ".join(f"{k} {v}" for k, v in counted["backends"].items())
        + "; opened per run: "
        + ", ".join(f"{k} {v:.2f}" for k, v in counted["new_connections_per_run"].items())
    )
    for proc, origins in counted["per_run"].items():
        total = sum(origins.values())
        print(f"   {proc}: {total:.1f}/run")
        for origin, n in origins.items():
            print(f"     {origin:<45} {n:6.2f}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concurrency", type=int, default=50, help="simulated users")
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each window")
    parser.add_argument("--kinds", default="chat,execute,raw", help="windows, in this order")
    parser.add_argument("--rate", type=int, default=100, help="py-spy samples per second")
    parser.add_argument(
        "--reference-seconds",
        type=float,
        default=15.0,
        help="a window of each kind without py-spy first, this long (0: none)",
    )
    parser.add_argument(
        "--idle-seconds", type=float, default=15.0, help="chat window with idle samples (0: none)"
    )
    parser.add_argument(
        "--count-runs", type=int, default=20, help="runs per kind with statements logged"
    )
    parser.add_argument("--histories", type=int, default=40, help="histories read per kind")
    parser.add_argument("--chats-per-user", type=int, default=4)
    parser.add_argument("--pause", type=float, default=2.0, help="seconds between windows")
    parser.add_argument(
        "--rate-limits",
        action="store_true",
        help="count requests as the product does (limits of 1e9, never refused)",
    )
    parser.add_argument("--out", type=Path, help="keep raw samples, logs and report.json here")
    args = parser.parse_args(argv)
    args.kinds = [k for k in str(args.kinds).split(",") if k.strip()]
    return args


if __name__ == "__main__":
    arguments = parse_args()
    report = asyncio.run(measure(arguments))
    if arguments.out:
        (arguments.out / "report.json").write_text(json.dumps(report, indent=2, default=str))
