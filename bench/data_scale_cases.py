"""What bench/data_scale.py measures: the requests of each case, and the SQL behind them.

Each case is a list of real API paths (varied ids, pages and search words, so no two
samples are the same request); the bench times them through the real app in-process and
records the SQL the app sends while answering, to ``EXPLAIN ANALYZE`` its slowest
statement as the app role under row-level security.
"""

from __future__ import annotations

import random
import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import asyncpg
from data_scale_load import ACTIONS, TenantShape, row_id
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

STORE_TYPOS = (
    "invoce sumarizer", "custmer suport", "transaltor", "reserch analist", "mketing planer",
    "contrct reviewr", "tax advsor", "helth tutor", "finanse", "emial writer",
)  # fmt: skip
CHAT_WORDS = (
    "kyoto", "invoice", "refund", "budget", "recipes", "nda", "migration", "nothing-like-it",
)  # fmt: skip
PAGE = 20


@dataclass(frozen=True)
class Case:
    """One measured query: a name and the request paths its samples cycle through."""

    name: str
    paths: list[str]


def heavy_chat_numbers(shape: TenantShape) -> list[int]:
    """Row numbers of the heavy user's chats that are active (the loader's pattern)."""
    return [i for i in range(0, shape.chats, 10) if (i // 10) % 25 != 3 and (i // 10) % 50 != 7]


def build_cases(key: str, shape: TenantShape, samples: int, seed: int = 20) -> list[Case]:
    """The cases of issue 20, each with ``samples`` request paths."""
    rnd = random.Random(seed)
    chats = heavy_chat_numbers(shape)

    def pick(make: Callable[[], str]) -> list[str]:
        return [make() for _ in range(samples)]

    def offset() -> int:
        return PAGE * rnd.randrange(0, 10)

    return [
        Case("store search (typos)", pick(
            lambda: f"/api/v1/agents?limit={PAGE}&q={quote(rnd.choice(STORE_TYPOS))}")),
        Case("store browse (recent)", pick(
            lambda: f"/api/v1/agents?limit={PAGE}&sort=recent&offset={offset()}")),
        Case("chat list", pick(lambda: f"/api/v1/chats?limit={PAGE}&offset={offset()}")),
        Case("chat search", pick(
            lambda: f"/api/v1/chats?limit={PAGE}&q={quote(rnd.choice(CHAT_WORDS))}")),
        Case("chat history", pick(
            lambda: f"/api/v1/chat/history?chat_id={row_id(key, 'chat', rnd.choice(chats))}")),
        Case("execution list", pick(
            lambda: f"/api/v1/executions?limit={PAGE}&offset={offset()}")),
        Case("execution list (agent)", pick(
            lambda: f"/api/v1/executions?limit={PAGE}"
            f"&agent_id={row_id(key, 'agent', rnd.randrange(shape.agents))}")),
        Case("execution detail", pick(
            lambda: f"/api/v1/executions/{row_id(key, 'exec', rnd.randrange(shape.executions))}"
        )),
        Case("inbox (human tasks)", pick(
            lambda: f"/api/v1/reviews/tasks?limit={PAGE}&offset={offset()}")),
        Case("audit log", pick(lambda: f"/api/v1/audit-logs?limit={PAGE}&offset={offset()}")),
        Case("audit log (filtered)", pick(
            lambda: f"/api/v1/audit-logs?limit={PAGE}&action={quote(rnd.choice(ACTIONS))}"
            f"&outcome={rnd.choice(['success', 'denied'])}")),
        Case("usage", pick(lambda: "/api/v1/usage")),
    ]  # fmt: skip


@dataclass
class Statement:
    """One statement the app sent, with its parameters and how long the driver took."""

    sql: str
    params: Any
    seconds: float = 0.0


@dataclass
class StatementLog:
    """The statements an engine sends while :meth:`capturing` is on."""

    engine: AsyncEngine
    statements: list[Statement] = field(default_factory=list)
    _on: bool = False

    def install(self) -> None:
        """Listen on the engine's cursor events (once)."""
        sync = self.engine.sync_engine

        @event.listens_for(sync, "before_cursor_execute")
        def before(conn: Any, cursor: Any, sql: str, params: Any, context: Any, many: Any) -> None:
            if self._on:
                self.statements.append(Statement(sql, params))
                conn.info["data_scale_started"] = time.perf_counter()

        @event.listens_for(sync, "after_cursor_execute")
        def after(conn: Any, cursor: Any, sql: str, params: Any, context: Any, many: Any) -> None:
            started = conn.info.pop("data_scale_started", None)
            if self._on and started is not None and self.statements:
                self.statements[-1].seconds = time.perf_counter() - started

    @contextmanager
    def capturing(self) -> Iterator[list[Statement]]:
        """Record the statements sent inside the block."""
        self.statements = []
        self._on = True
        try:
            yield self.statements
        finally:
            self._on = False


# Statements that are plumbing of every request, not the case's own query.
PLUMBING = re.compile(r"set_config|rate_limit_counters|^\s*(BEGIN|COMMIT|ROLLBACK)", re.I)
BIG_TABLES = (
    "agents", "agent_versions", "chats", "chat_messages", "workflow_executions",
    "workflow_node_executions", "human_intervention_tasks", "audit_logs", "users",
)  # fmt: skip


def slowest_query(statements: list[Statement]) -> Statement | None:
    """The slowest SELECT of a request, leaving out the per-request plumbing."""
    candidates = [
        s for s in statements if s.sql.lstrip().upper().startswith("SELECT") and
        not PLUMBING.search(s.sql)
    ]  # fmt: skip
    return max(candidates, key=lambda s: s.seconds, default=None)


async def explain(app_dsn: str, tenant_id: uuid.UUID, statement: Statement) -> str:
    """``EXPLAIN (ANALYZE, BUFFERS)`` of a statement as the app role, tenant set as the app
    sets it (RLS applies)."""
    conn = await asyncpg.connect(app_dsn)
    try:
        async with conn.transaction():
            await conn.execute("SELECT set_config('app.tenant_id', $1, true)", str(tenant_id))
            params = list(statement.params or ())
            rows = await conn.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {statement.sql}", *params)
            return "\n".join(r[0] for r in rows)
    finally:
        await conn.close()


def seq_scans(plan: str) -> list[str]:
    """The big tables a plan reads from end to end (what an index should have avoided)."""
    found = re.findall(r"Seq Scan on (\w+)", plan)
    return sorted({t for t in found if t in BIG_TABLES})
