"""The steady load of bench/profile_run.py: closed loops of simulated users, one run each.

Each user starts its next run as soon as its last one ended. Chat turns and ``/execute``
runs go through the platform's HTTP API; the hand-written workflow through the bench's
Temporal client. A direct run has ended when its execution row says so: one poll of all
pending rows every 50 ms, as the table owner (so the polls do not load the API).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from concurrent_chats import MODEL, QUESTION
from environment import PlatformDatabase
from pg_counts import ServerStats
from platform_client import chat_turn, execute
from profile_cpu import Targets
from raw_llm_workflow import LlmCall
from sqlalchemy import text
from temporalio.client import Client

from platform_core.db import Database

ENDED = ("completed", "failed", "cancelled")


@dataclass
class RunRecord:
    """One run of a window, wall-clock (epoch) seconds."""

    sent: float
    ended: float | None = None
    first_event: float | None = None
    accepted: float | None = None
    chat_id: str | None = None
    execution_id: str | None = None
    workflow_id: str | None = None
    error: str | None = None


class RunWatcher:
    """Polls every pending execution row in one query (as the owner) and wakes its waiter."""

    def __init__(self, db: PlatformDatabase, every: float = 0.05) -> None:
        self.owner = Database(db.admin_url, connections=2)
        self._waiting: dict[uuid.UUID, asyncio.Future[str]] = {}
        self._every = every
        self._task: asyncio.Task[None] | None = None
        self.polls = 0

    async def ended(self, execution_id: str) -> str:
        """Wait until the run's row has ended; its status."""
        if self._task is None:
            self._task = asyncio.create_task(self._poll())
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._waiting[uuid.UUID(execution_id)] = future
        return await future

    async def _poll(self) -> None:
        query = text(
            "SELECT execution_id, status FROM workflow_executions "
            "WHERE execution_id = ANY(:ids) AND status = ANY(:ended)"
        )
        while True:
            await asyncio.sleep(self._every)
            if not self._waiting:
                continue
            async with self.owner.system_session() as session:
                rows = (
                    await session.execute(query, {"ids": list(self._waiting), "ended": list(ENDED)})
                ).all()
            self.polls += 1
            for execution_id, status in rows:
                future = self._waiting.pop(execution_id, None)
                if future is not None and not future.done():
                    future.set_result(status)

    async def close(self) -> None:
        """Stop polling."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.owner.dispose()


async def steady(
    users: int, seconds: float, one_run: Callable[[int], Awaitable[RunRecord]]
) -> tuple[list[RunRecord], float]:
    """``users`` closed loops of ``one_run(user)`` until ``seconds`` passed; (runs, wall s)."""
    deadline = time.monotonic() + seconds
    records: list[RunRecord] = []

    async def loop(user: int) -> None:
        while time.monotonic() < deadline:
            records.append(await one_run(user))

    started = time.monotonic()
    await asyncio.gather(*(loop(u) for u in range(users)))
    return records, time.monotonic() - started


def epoch_offset() -> float:
    """Add to ``time.perf_counter()`` for epoch seconds (the client's timings use it)."""
    return time.time() - time.perf_counter()


@dataclass
class Setup:
    """Everything a window needs."""

    args: argparse.Namespace
    db: PlatformDatabase
    stats: ServerStats
    temporal: Client
    http: httpx.AsyncClient
    token: str
    agent_id: uuid.UUID
    raw_queue: str
    targets: Targets
    watcher: RunWatcher
    outdir: Path
    chats: list[list[str]] = field(default_factory=list)


def runner(setup: Setup, kind: str) -> Callable[[int], Awaitable[RunRecord]]:
    """One run of ``kind`` for a user, recorded."""
    offset = epoch_offset()
    turns = [0] * setup.args.concurrency

    async def chat(user: int) -> RunRecord:
        own = setup.chats[user]
        chat_id = own[turns[user] % len(own)]
        turns[user] += 1
        timing = await chat_turn(setup.http, setup.token, chat_id, QUESTION)
        sent = timing.sent + offset
        return RunRecord(
            sent=sent,
            ended=sent + timing.done if timing.done is not None else None,
            first_event=sent + timing.first_event if timing.first_event is not None else None,
            chat_id=chat_id,
            error=timing.error,
        )

    async def direct(_user: int) -> RunRecord:
        sent = time.time()
        elapsed, execution_id, error = await execute(
            setup.http, setup.token, setup.agent_id, QUESTION
        )
        record = RunRecord(sent=sent, accepted=sent + elapsed, execution_id=execution_id)
        if execution_id is None:
            record.error = error
            return record
        status = await setup.watcher.ended(execution_id)
        record.ended = time.time()
        record.error = None if status == "completed" else status
        return record

    async def raw(_user: int) -> RunRecord:
        sent = time.time()
        workflow_id = f"raw-{uuid.uuid4()}"
        call = LlmCall(model=MODEL, user_text=QUESTION)
        try:
            await setup.temporal.execute_workflow(
                "RawLlmCall", call, id=workflow_id, task_queue=setup.raw_queue
            )
        except Exception as exc:  # reported with the window, not fatal
            return RunRecord(sent=sent, error=f"{type(exc).__name__}: {exc}"[:200])
        return RunRecord(sent=sent, ended=time.time(), workflow_id=workflow_id)

    return {"chat": chat, "execute": direct, "raw": raw}[kind]
