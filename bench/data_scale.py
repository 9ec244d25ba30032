"""Data at scale: list and search latencies with a big tenant among 100 (issue 20).

One tenant (the seeded demo tenant, whose admin the bench logs in as) holds 10,000 agents,
100,000 chats (a tenth of them the admin's), 1,000,000 messages, 100,000 runs with
1,000,000 node executions, 20,000 human tasks and 1,000,000 audit rows; 99 more tenants
each hold ``--crowd-share`` of that, so every query also has other tenants' rows to skip.
Rows are generated with set-based SQL as the table owner (bench/data_scale_load.py), then
``VACUUM ANALYZE``d, as autovacuum would leave a settled database.

Each case (bench/data_scale_cases.py) is a real API request through the real app
(``create_app``, in-process over ``httpx.ASGITransport``: auth, access policy, services,
the app role under row-level security), timed from request to parsed JSON, ``--samples``
times with varied ids, pages and search words; p50/p95 per case. The slowest statement of
one more request of each case is ``EXPLAIN (ANALYZE, BUFFERS)``ed as the app role with the
tenant set, and the big tables it reads with a sequential scan are listed.

The database lives in ``--pgdata`` and is kept: a second run reuses the loaded rows (and
migrates them to ``--revision``), so "before" and "after" a change compare the same data.

    .venv/bin/python bench/data_scale.py [--pgdata /tmp/agentpaas-data-scale] [--scale 1.0]
        [--crowd-share 0.005] [--samples 40] [--revision head|current] [--json out.json]
        [--plans plans.md]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import asyncpg  # noqa: E402
import httpx  # noqa: E402
from data_scale_cases import (  # noqa: E402
    StatementLog,
    build_cases,
    explain,
    seq_scans,
    slowest_query,
)
from data_scale_load import TenantShape, add_tenant, load_tenant, row_id  # noqa: E402
from samples import ms, p50_p95  # noqa: E402

from agentpaas.runtime.postgres import (  # noqa: E402
    enable_app_login,
    ensure_database,
    start_embedded_postgres,
)
from agentpaas.seed import seed_all  # noqa: E402
from migrations import runner  # noqa: E402
from platform_api.app import create_app  # noqa: E402
from platform_core.db import APP_ROLE, to_plain_url, with_credentials, with_database  # noqa: E402
from platform_core.settings import Settings  # noqa: E402

DATABASE = "agentpaas_scale"
APP_PASSWORD = "bench-app-password"
BIG_TENANT_USERS = 200
CROWD_TENANTS = 99
WARMUP = 3
logger = logging.getLogger("data_scale")


def bench_settings(pgdata: Path) -> Settings:
    """Settings for the in-process app: limits that never bite a bench's request rate."""
    return Settings(
        data_dir=pgdata.parent,
        app_db_password=APP_PASSWORD,
        bcrypt_rounds=4,
        rate_limit_per_credential=1_000_000,
        rate_limit_per_ip=1_000_000,
        login_max_failures_per_ip=1_000_000,
    )


async def loaded_marker(admin_url: str) -> str | None:
    """What the database says was loaded into it (a comment on the database), if anything."""
    conn = await asyncpg.connect(to_plain_url(admin_url))
    try:
        return await conn.fetchval(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1",
            DATABASE,
        )
    finally:
        await conn.close()


async def load(admin_url: str, big_tenant: uuid.UUID, args: argparse.Namespace) -> dict[str, Any]:
    """Load the big tenant and the crowd, then VACUUM ANALYZE; seconds per step."""
    big = TenantShape.scaled(args.scale, BIG_TENANT_USERS)
    crowd = TenantShape.scaled(args.scale * args.crowd_share, 5)
    conn = await asyncpg.connect(to_plain_url(admin_url))
    timings: dict[str, Any] = {}
    try:
        started = time.perf_counter()
        admin = await conn.fetchval(
            "SELECT id FROM users WHERE tenant_id = $1 AND role = 'admin' ORDER BY created_at",
            big_tenant,
        )
        timings["big tenant"] = await load_tenant(conn, big_tenant, "demo", admin, big)
        logger.info("big tenant loaded in %.0f s", time.perf_counter() - started)
        crowd_started = time.perf_counter()
        for n in range(CROWD_TENANTS):
            key = f"scale-{n:03d}"
            tenant_id = await add_tenant(conn, key)
            await load_tenant(conn, tenant_id, key, row_id(key, "user", 0), crowd)
        timings["crowd seconds"] = time.perf_counter() - crowd_started
        vacuum_started = time.perf_counter()
        await conn.execute("VACUUM ANALYZE")
        timings["vacuum analyze seconds"] = time.perf_counter() - vacuum_started
        timings["total seconds"] = time.perf_counter() - started
        marker = json.dumps({"scale": args.scale, "crowd_share": args.crowd_share})
        await conn.execute(f"COMMENT ON DATABASE {DATABASE} IS {quote_literal(marker)}")
    finally:
        await conn.close()
    return timings


def quote_literal(text: str) -> str:
    """A SQL string literal (for the one utility statement that takes no parameters)."""
    return "'" + text.replace("'", "''") + "'"


async def table_sizes(admin_url: str) -> dict[str, int]:
    """Rows per big table (estimates after ANALYZE, exact enough for the report)."""
    conn = await asyncpg.connect(to_plain_url(admin_url))
    try:
        rows = await conn.fetch(
            "SELECT relname, reltuples::bigint FROM pg_class WHERE relname = ANY($1::text[])",
            [
                "tenants", "users", "agents", "chats", "chat_messages", "workflow_executions",
                "workflow_node_executions", "human_intervention_tasks", "audit_logs",
            ],
        )  # fmt: skip
        return {r[0]: r[1] for r in rows}
    finally:
        await conn.close()


async def login(http: httpx.AsyncClient, settings: Settings) -> str:
    """The demo admin's access token (the admin is also in the platform tenant)."""
    response = await http.post(
        "/api/auth/login-with-tenant",
        json={
            "tenant": settings.demo_tenant,
            "email": settings.demo_admin_email,
            "password": settings.demo_admin_password.get_secret_value(),
        },
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


async def measure(
    app_url: str, tenant_id: uuid.UUID, settings: Settings, args: argparse.Namespace
) -> list[dict[str, Any]]:
    """Every case: samples through the real app, then the plan of its slowest statement."""
    app = create_app(settings, database_url=app_url, temporal_address="unused", ui_dist=None)
    log = StatementLog(app.state.services.database.engine)
    log.install()
    big = TenantShape.scaled(args.scale, BIG_TENANT_USERS)
    results: list[dict[str, Any]] = []
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
        headers = {"Authorization": f"Bearer {await login(http, settings)}"}
        for case in build_cases("demo", big, args.samples + WARMUP + 1):
            timings: list[float] = []
            totals: list[int] = []
            for n, path in enumerate(case.paths[: WARMUP + args.samples]):
                started = time.perf_counter()
                response = await http.get(path, headers=headers)
                body = response.json()
                elapsed = time.perf_counter() - started
                if response.status_code != 200:
                    raise RuntimeError(f"{case.name}: {path} → {response.status_code} {body}")
                if n >= WARMUP:
                    timings.append(elapsed)
                    if isinstance(body, dict) and "total" in body:
                        totals.append(int(body["total"]))
            with log.capturing() as statements:
                await http.get(case.paths[-1], headers=headers)
            slowest = slowest_query(statements)
            plan = await explain(to_plain_url(app_url), tenant_id, slowest) if slowest else ""
            results.append(
                {
                    "case": case.name,
                    "samples": len(timings),
                    **p50_p95(timings),
                    "max": max(timings),
                    "mean": statistics.fmean(timings),
                    "total_seen": max(totals) if totals else None,
                    "statements_per_request": len(statements),
                    "slowest_sql": slowest.sql if slowest else None,
                    "plan": plan,
                    "seq_scans": seq_scans(plan),
                }
            )
            logger.info(
                "%-24s p50 %s ms  p95 %s ms", case.name, ms(results[-1]["p50"]),
                ms(results[-1]["p95"]),
            )  # fmt: skip
    await app.state.services.run_events.close()
    await app.state.services.database.dispose()
    return results


def table(results: list[dict[str, Any]]) -> str:
    """The results as a markdown table."""
    lines = [
        "| query | p50 ms | p95 ms | max ms | big tables seq-scanned |",
        "|---|---:|---:|---:|---|",
    ]
    for r in results:
        scans = ", ".join(r["seq_scans"]) or "none"
        lines.append(
            f"| {r['case']} | {ms(r['p50'])} | {ms(r['p95'])} | {ms(r['max'])} | {scans} |"
        )
    return "\n".join(lines)


def plans(results: list[dict[str, Any]]) -> str:
    """Every case's slowest statement with its plan, as markdown."""
    parts = []
    for r in results:
        sql, plan = r["slowest_sql"], r["plan"]
        parts.append(f"### {r['case']}\n\n```sql\n{sql}\n```\n\n```\n{plan}\n```\n")
    return "\n".join(parts)


async def run(args: argparse.Namespace) -> dict[str, Any]:
    """Start (or reuse) the database, load it once, migrate, measure."""
    pgdata = Path(args.pgdata)
    server_url = start_embedded_postgres(pgdata / "pg")
    await ensure_database(server_url, DATABASE)
    admin_url = with_database(server_url, DATABASE)
    migrate_started = time.perf_counter()
    if args.revision != "current":
        await asyncio.to_thread(runner.upgrade, admin_url, args.revision)
    migrate_seconds = time.perf_counter() - migrate_started
    await enable_app_login(admin_url, APP_PASSWORD)
    app_url = with_credentials(admin_url, APP_ROLE, quote(APP_PASSWORD, safe=""))
    settings = bench_settings(pgdata)
    marker = await loaded_marker(admin_url)
    load_timings: dict[str, Any] | None = None
    if marker is None:
        seeded = await seed_all(admin_url, settings)
        load_timings = await load(admin_url, seeded.tenant_id, args)
        marker = json.dumps({"scale": args.scale, "crowd_share": args.crowd_share})
    loaded = json.loads(marker)
    args.scale = loaded["scale"]
    conn = await asyncpg.connect(to_plain_url(admin_url))
    try:
        tenant_id = await conn.fetchval("SELECT id FROM tenants WHERE name = $1", "demo")
        revision = await conn.fetchval("SELECT version_num FROM alembic_version")
    finally:
        await conn.close()
    results = await measure(app_url, tenant_id, settings, args)
    return {
        "revision": revision,
        "migrate_seconds": migrate_seconds,
        "loaded": loaded,
        "load": load_timings,
        "rows": await table_sizes(admin_url),
        "results": results,
    }


def main() -> None:
    """Parse the flags, run, print the table (and write JSON and plans if asked)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pgdata", default="/tmp/agentpaas-data-scale")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0: the issue's sizes")
    parser.add_argument("--crowd-share", type=float, default=0.005)
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument(
        "--revision", default="head", help="migrate the data to this first ('current': don't)"
    )
    parser.add_argument("--json", type=Path)
    parser.add_argument("--plans", type=Path)
    args = parser.parse_args()
    # Only the bench's own progress: not every request the app logs.
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s")
    logger.setLevel(logging.INFO)
    report = asyncio.run(run(args))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str))
    if args.plans:
        args.plans.write_text(plans(report["results"]))
    sys.stdout.write(json.dumps({k: report[k] for k in ("revision", "load", "rows")}, indent=2,
                                default=str) + "\n")  # fmt: skip
    sys.stdout.write(table(report["results"]) + "\n")


if __name__ == "__main__":
    main()
