"""What the load benchmarks do to the platform, over its public HTTP API only.

Chats are opened through ``POST /api/v1/chats`` and each turn is ``POST
/api/v1/chat/completions`` with the chat's id, read as SSE; direct runs are ``POST
/api/v1/agents/{id}/execute``; a run's stream is ``GET /api/v1/executions/{id}/events``.
The one thing read from the database instead of the API is when direct runs finished,
so that polling for it does not load the API under test.
"""

from __future__ import annotations

import asyncio
import time
import uuid

import httpx
from environment import PlatformDatabase
from sqlalchemy import func, select
from sqlmodel import col
from sse_client import StreamTiming, time_stream

from platform_core.models import HumanInterventionTask, WorkflowExecution

# Execution statuses of a run that has not ended (platform_core/models/executions.py).
ACTIVE_STATUSES = ("pending", "running", "paused")


def bearer(token: str) -> dict[str, str]:
    """The Authorization header of ``token``."""
    return {"Authorization": f"Bearer {token}"}


def client_for(base_url: str, connections: int) -> httpx.AsyncClient:
    """An HTTP client that may hold ``connections`` requests open at once."""
    return httpx.AsyncClient(
        base_url=base_url,
        timeout=httpx.Timeout(600.0, connect=60.0, pool=600.0),
        limits=httpx.Limits(
            max_connections=connections,
            max_keepalive_connections=connections,
            # Below uvicorn's 5 s keep-alive: a connection the server is closing as idle is
            # never reused (a POST sent on it fails with ReadError between the levels).
            keepalive_expiry=2.0,
        ),
    )


async def open_chats(
    http: httpx.AsyncClient, token: str, agent_id: uuid.UUID, count: int, parallel: int = 20
) -> list[str]:
    """``count`` empty chats with the agent (not timed: a user opens a chat once)."""
    gate = asyncio.Semaphore(parallel)

    async def one() -> str:
        async with gate:
            response = await http.post(
                "/api/v1/chats", json={"agent_id": str(agent_id)}, headers=bearer(token)
            )
        response.raise_for_status()
        return str(response.json()["id"])

    return list(await asyncio.gather(*(one() for _ in range(count))))


async def chat_turn(http: httpx.AsyncClient, token: str, chat_id: str, text: str) -> StreamTiming:
    """Send one message to the chat and read the run's SSE stream to its end, timed."""
    sent = time.perf_counter()
    try:
        async with http.stream(
            "POST",
            "/api/v1/chat/completions",
            json={"chat_id": chat_id, "message": text},
            headers=bearer(token),
        ) as response:
            return await time_stream(response, sent)
    except httpx.HTTPError as exc:  # counted as an error of the turn, not of the bench
        return StreamTiming(sent=sent, error=f"{type(exc).__name__}: {exc}"[:200])


async def execute(
    http: httpx.AsyncClient, token: str, agent_id: uuid.UUID, text: str
) -> tuple[float, str | None, str | None]:
    """Start a direct run without a stream: (seconds to the answer, execution id, error)."""
    sent = time.perf_counter()
    try:
        response = await http.post(
            f"/api/v1/agents/{agent_id}/execute", json={"message": text}, headers=bearer(token)
        )
    except httpx.HTTPError as exc:
        return time.perf_counter() - sent, None, f"{type(exc).__name__}: {exc}"[:200]
    elapsed = time.perf_counter() - sent
    if response.status_code != 202:
        return elapsed, None, f"HTTP {response.status_code}: {response.text[:200]}"
    return elapsed, str(response.json()["execution_id"]), None


async def wait_until_ended(
    db: PlatformDatabase,
    execution_ids: list[str],
    poll_seconds: float = 0.05,
    timeout: float = 900.0,
) -> tuple[float, dict[str, int]]:
    """Poll the executions' rows until none is active: (``perf_counter`` then, status counts).

    After ``timeout`` the runs still active are counted as ``still active``.
    """
    ids = [uuid.UUID(e) for e in execution_ids]
    deadline = time.monotonic() + timeout
    while True:
        async with db.app.tenant_session(db.tenant_id) as session:
            rows = (
                await session.execute(
                    select(col(WorkflowExecution.status)).where(
                        col(WorkflowExecution.execution_id).in_(ids)
                    )
                )
            ).all()
        statuses = [row[0] for row in rows]
        ended = len(statuses) == len(ids) and not any(s in ACTIVE_STATUSES for s in statuses)
        if ended or time.monotonic() > deadline:
            counts: dict[str, int] = {}
            for status in statuses:
                key = "still active" if status in ACTIVE_STATUSES else status
                counts[key] = counts.get(key, 0) + 1
            return time.perf_counter(), counts
        await asyncio.sleep(poll_seconds)


async def wait_for_human_tasks(
    db: PlatformDatabase, execution_ids: list[str], timeout: float, poll_seconds: float = 0.5
) -> int:
    """Poll until every execution has its human task (its run is parked); returns how many do."""
    ids = [uuid.UUID(e) for e in execution_ids]
    deadline = time.monotonic() + timeout
    while True:
        async with db.app.tenant_session(db.tenant_id) as session:
            found = (
                await session.execute(
                    select(
                        func.count(func.distinct(col(HumanInterventionTask.execution_id)))
                    ).where(col(HumanInterventionTask.execution_id).in_(ids))
                )
            ).scalar_one()
        if found >= len(ids) or time.monotonic() > deadline:
            return int(found)
        await asyncio.sleep(poll_seconds)
