"""Chat runs driven the way a client does it, and the invariants checked after a fault.

A run is one `POST /api/v1/chat/completions` whose SSE stream is read to its `done`
event; when the stream is cut (its API died) or ends with an `error` frame, the client
reconnects to `GET /api/v1/executions/{id}/events` with `Last-Event-ID` on an API that
is alive, as a browser would. What the client saw is then compared with the run's whole
stream replayed from offset 0: same ids, same events, same data, each once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.chaos.cluster import CHAOS_PASSWORD, Cluster, Stack, admin_connection
from tests.helpers import create_agent

HEAVY = os.environ.get("AGENTPAAS_CHAOS_HEAVY", "") not in ("", "0", "false", "no")
# The words of each answer arrive one by one with this delay (the scripted model's own
# per-token latency, set as the version's model parameter), so faults land mid-run.
SECONDS_PER_TOKEN = 0.08
# Three nodes per run: a model call, an in-workflow transform, a second model call.
EXPECTED_NODES = ("draft", "tidy", "answer")


def chaos_agent() -> dict[str, Any]:
    """llm → transform → llm; short heartbeats so a dead worker's call is noticed in seconds."""

    def llm(name: str) -> dict[str, Any]:
        return {
            "name": name,
            "type": "llm",
            "config": {"model": "scripted/echo"},
            "retry": {
                "max_attempts": 8,
                "initial_interval_seconds": 0.2,
                "backoff_coefficient": 1.5,
                "maximum_interval_seconds": 2,
            },
            "timeouts": {"start_to_close_seconds": 60, "heartbeat_seconds": 3},
        }

    return {
        "state": {"messages": {"reducer": "add_messages"}, "stage": {"type": "string"}},
        "nodes": [
            llm("draft"),
            {"name": "tidy", "type": "transform", "config": {"assign": {"stage": "'tidied'"}}},
            llm("answer"),
        ],
        "edges": [
            {"source": "__start__", "target": "draft"},
            {"source": "draft", "target": "tidy"},
            {"source": "tidy", "target": "answer"},
            {"source": "answer", "target": "__end__"},
        ],
    }


async def create_chaos_agent(stack: Stack) -> str:
    """The agent every scenario runs, with the scripted model slowed per token."""
    agent_id = await create_agent(
        stack.urls.admin_url, stack.tenant_id, chaos_agent(), name="chaos-agent"
    )
    conn = await admin_connection(stack.urls)
    try:
        await conn.execute(
            "UPDATE agent_versions SET model_params_override = $1::jsonb WHERE agent_id = $2",
            json.dumps({"scripted_latency": SECONDS_PER_TOKEN}),
            uuid.UUID(agent_id),
        )
    finally:
        await conn.close()
    return agent_id


async def login(api_url: str, email: str) -> str:
    """An access token of the chaos tenant's admin."""
    async with httpx.AsyncClient(base_url=api_url, timeout=30) as client:
        response = await client.post(
            "/api/auth/login", json={"email": email, "password": CHAOS_PASSWORD}
        )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


@dataclass
class Frame:
    """One SSE frame with an id (an offset of the run's stream)."""

    id: int
    event: str
    data: dict[str, Any]
    received_at: float


@dataclass
class Run:
    """What the client saw of one run."""

    message: str
    execution_id: str | None = None
    frames: list[Frame] = field(default_factory=list)
    error_frames: list[dict[str, Any]] = field(default_factory=list)
    cuts: int = 0  # streams that ended before `done`
    silent_cuts: int = 0  # ... without an `error` frame first (the connection just broke)
    reconnects: int = 0
    finished_at: float | None = None
    failure: str | None = None

    @property
    def done(self) -> bool:
        """Whether the client saw the `done` event."""
        return bool(self.frames) and self.frames[-1].event == "done"

    @property
    def last_id(self) -> int | None:
        """The offset to resume after."""
        return self.frames[-1].id if self.frames else None

    def frames_after(self, moment: float) -> list[Frame]:
        """Frames received after ``moment`` (monotonic time)."""
        return [f for f in self.frames if f.received_at > moment]


async def _read(response: httpx.Response, run: Run) -> None:
    """Append the stream's frames to ``run`` until it ends; count a cut that said nothing."""
    errors_before = len(run.error_frames)
    try:
        await _read_frames(response, run)
    except httpx.HTTPError:
        run.cuts += 1
        run.silent_cuts += 1  # the connection broke
        raise
    if not run.done:
        run.cuts += 1
        if len(run.error_frames) == errors_before:
            run.silent_cuts += 1  # the server ended the stream without a word


async def _read_frames(response: httpx.Response, run: Run) -> None:
    block: list[str] = []
    async for line in response.aiter_lines():
        if line:
            block.append(line)
            continue
        fields: dict[str, str] = {}
        for entry in block:
            if entry.startswith(":"):
                continue  # a heartbeat comment
            name, _, value = entry.partition(": ")
            fields[name] = value
        block = []
        if "data" not in fields:
            continue
        data = json.loads(fields["data"])
        if "id" not in fields:
            run.error_frames.append(data)  # frames off the stream carry no id
            continue
        run.frames.append(Frame(int(fields["id"]), fields.get("event", ""), data, time.monotonic()))
        if fields.get("event") == "done":
            return


class Driver:
    """Starts runs through one API and follows each to its end through any live API."""

    def __init__(self, token: str, agent_id: str, live_apis: Callable[[], list[str]]) -> None:
        self.token = token
        self.agent_id = agent_id
        self.live_apis = live_apis
        self.headers = {"Authorization": f"Bearer {token}"}
        self.client = httpx.AsyncClient(timeout=httpx.Timeout(10.0, read=60.0))

    async def close(self) -> None:
        """Close the HTTP client."""
        await self.client.aclose()

    async def follow(self, run: Run, api_url: str, *, deadline_seconds: float) -> None:
        """Send the message through ``api_url`` and read the run to its `done` event."""
        deadline = time.monotonic() + deadline_seconds
        try:
            async with self.client.stream(
                "POST",
                f"{api_url}/api/v1/chat/completions",
                json={"agent_id": self.agent_id, "message": run.message},
                headers=self.headers,
            ) as response:
                if response.status_code != 200:
                    await response.aread()
                    run.failure = f"POST answered {response.status_code}: {response.text}"
                    return
                run.execution_id = response.headers["X-Execution-Id"]
                await _read(response, run)
        except httpx.HTTPError:
            if run.execution_id is None:
                run.failure = "the POST failed before the run started"
                return
        while not run.done:
            if time.monotonic() > deadline:
                run.failure = f"no `done` after {deadline_seconds:.0f} s"
                return
            await self._resume(run, deadline)
        run.finished_at = time.monotonic()

    async def _resume(self, run: Run, deadline: float) -> None:
        """Reconnect with Last-Event-ID until the stream ends again (or the deadline)."""
        while time.monotonic() < deadline:
            for url in self.live_apis():
                headers = dict(self.headers)
                if run.last_id is not None:
                    headers["Last-Event-ID"] = str(run.last_id)
                try:
                    async with self.client.stream(
                        "GET", f"{url}/api/v1/executions/{run.execution_id}/events", headers=headers
                    ) as response:
                        if response.status_code != 200:
                            await response.aread()
                            continue  # 503 while a dependency is down: try again shortly
                        run.reconnects += 1
                        await _read(response, run)
                        return
                except httpx.HTTPError:
                    continue
            await asyncio.sleep(0.5)

    async def replay(self, execution_id: str) -> list[tuple[int, str, dict[str, Any]]]:
        """The run's whole stream from offset 0, read after it ended."""
        for url in self.live_apis():
            async with self.client.stream(
                "GET", f"{url}/api/v1/executions/{execution_id}/events", headers=self.headers
            ) as response:
                assert response.status_code == 200, await response.aread()
                whole = Run(message="replay")
                await _read(response, whole)
                return [(f.id, f.event, f.data) for f in whole.frames]
        raise AssertionError("no API alive to replay from")


def start_runs(
    driver: Driver, count: int, api_url: str | Callable[[int], str], *, deadline_seconds: float
) -> tuple[list[Run], list[asyncio.Task[None]]]:
    """Start ``count`` runs, each in a new chat, and follow them in the background."""
    runs = [Run(message=_message(i)) for i in range(count)]
    tasks = [
        asyncio.create_task(
            driver.follow(
                run,
                api_url(i) if callable(api_url) else api_url,
                deadline_seconds=deadline_seconds,
            )
        )
        for i, run in enumerate(runs)
    ]
    return runs, tasks


def _message(index: int) -> str:
    return f"chaos run {index}: " + " ".join(f"word{n}" for n in range(10))


async def wait_until(predicate: Callable[[], bool], timeout: float, step: float = 0.05) -> None:
    """Poll ``predicate`` until it holds (AssertionError after ``timeout`` seconds)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await asyncio.sleep(step)


async def verify(stack: Stack, driver: Driver, runs: list[Run]) -> dict[str, Any]:
    """The invariants after a fault, as numbers (the test asserts them)."""
    ids = [uuid.UUID(r.execution_id) for r in runs if r.execution_id]
    conn = await admin_connection(stack.urls)
    try:
        # `done` is published after the finishing write; still, wait for it to be visible.
        statuses: dict[uuid.UUID, str] = {}
        for _ in range(100):
            rows = await conn.fetch(
                "SELECT execution_id, status FROM workflow_executions "
                "WHERE execution_id = ANY($1::uuid[])",
                ids,
            )
            statuses = {r["execution_id"]: r["status"] for r in rows}
            if all(s not in ("pending", "running", "paused") for s in statuses.values()):
                break
            await asyncio.sleep(0.2)
        nodes = await conn.fetch(
            "SELECT execution_id, node_name, step, count(*) AS copies, "
            "array_agg(status) AS statuses FROM workflow_node_executions "
            "WHERE execution_id = ANY($1::uuid[]) GROUP BY execution_id, node_name, step",
            ids,
        )
        messages = await conn.fetch(
            "SELECT workflow_execution_id, count(*) AS copies, array_agg(content) AS contents "
            "FROM chat_messages WHERE role = 'assistant' "
            "AND workflow_execution_id = ANY($1::uuid[]) GROUP BY workflow_execution_id",
            ids,
        )
        reserved = await conn.fetchval(
            "SELECT count(*) FROM token_reservations "
            "WHERE execution_id = ANY($1::uuid[]) AND status = 'reserved'",
            ids,
        )
        settled = await conn.fetchval(
            "SELECT count(*) FROM token_reservations "
            "WHERE execution_id = ANY($1::uuid[]) AND status = 'settled'",
            ids,
        )
        quota_reserved = await conn.fetchval(
            "SELECT reserved_tokens FROM tenant_quotas WHERE tenant_id = $1", stack.tenant_id
        )
    finally:
        await conn.close()

    node_names: dict[uuid.UUID, list[str]] = {i: [] for i in ids}
    for row in nodes:
        node_names[row["execution_id"]].append(row["node_name"])
    answers = {r["workflow_execution_id"]: r for r in messages}
    stream_gaps = stream_duplicates = stream_mismatches = 0
    for run in runs:
        if run.execution_id is None or not run.done:
            continue
        seen = [(f.id, f.event, f.data) for f in run.frames]
        whole = await driver.replay(run.execution_id)
        seen_ids = [f[0] for f in seen]
        stream_duplicates += len(seen_ids) - len(set(seen_ids))
        stream_gaps += len({f[0] for f in whole} - set(seen_ids))
        if seen != whole:
            stream_mismatches += 1
        answer = answers.get(uuid.UUID(run.execution_id))
        if answer is not None and answer["contents"][0] != run.frames[-1].data.get("answer"):
            stream_mismatches += 1
    return {
        "runs_started": len(runs),
        "runs_followed_to_done": sum(r.done for r in runs),
        "runs_completed": sum(s == "completed" for s in statuses.values()),
        "client_failures": [r.failure for r in runs if r.failure],
        "node_rows": len(nodes),
        "node_row_duplicates": sum(int(r["copies"]) - 1 for r in nodes),
        "node_rows_not_completed": sum(
            1 for r in nodes if any(s != "completed" for s in r["statuses"])
        ),
        "runs_with_wrong_nodes": sum(
            sorted(names) != sorted(EXPECTED_NODES) for names in node_names.values()
        ),
        "assistant_messages": sum(int(r["copies"]) for r in messages),
        "assistant_message_duplicates": sum(int(r["copies"]) - 1 for r in messages),
        "runs_without_assistant_message": len(ids) - len(messages),
        "reservations_left_reserved": int(reserved),
        "reservations_settled": int(settled),
        "quota_tokens_still_reserved": int(quota_reserved or 0),
        # Attempts repeated after a fault (a `retrying` event per repeat, by the node).
        "node_retries_seen": sum(1 for r in runs for f in r.frames if f.event == "retrying"),
        "stream_cuts": sum(r.cuts for r in runs),
        "stream_silent_cuts": sum(r.silent_cuts for r in runs),
        "stream_reconnects": sum(r.reconnects for r in runs),
        "stream_error_frames": sum(len(r.error_frames) for r in runs),
        "stream_gaps": stream_gaps,
        "stream_duplicates": stream_duplicates,
        "stream_mismatches": stream_mismatches,
    }


def assert_invariants(numbers: dict[str, Any]) -> None:
    """Every run completed, each record once, nothing held, every stream exact."""
    started = numbers["runs_started"]
    assert numbers["client_failures"] == [], numbers
    assert numbers["runs_followed_to_done"] == started, numbers
    assert numbers["runs_completed"] == started, numbers
    assert numbers["node_rows"] == started * len(EXPECTED_NODES), numbers
    assert numbers["node_row_duplicates"] == 0, numbers
    assert numbers["node_rows_not_completed"] == 0, numbers
    assert numbers["runs_with_wrong_nodes"] == 0, numbers
    assert numbers["assistant_messages"] == started, numbers
    assert numbers["assistant_message_duplicates"] == 0, numbers
    assert numbers["runs_without_assistant_message"] == 0, numbers
    assert numbers["reservations_left_reserved"] == 0, numbers
    assert numbers["quota_tokens_still_reserved"] == 0, numbers
    assert numbers["stream_gaps"] == 0, numbers
    assert numbers["stream_duplicates"] == 0, numbers
    assert numbers["stream_mismatches"] == 0, numbers


async def finish_all(tasks: list[asyncio.Task[None]], timeout: float) -> None:
    """Wait for every follower (they stop at their own deadline too)."""
    if not tasks:
        return
    done, pending = await asyncio.wait(tasks, timeout=timeout)
    for task in pending:
        task.cancel()
    for task in pending:
        with contextlib.suppress(asyncio.CancelledError):
            await task
    for task in done:
        task.result()


async def start_stack(cluster: Cluster, *, apis: int, workers: int) -> tuple[Stack, Driver]:
    """Start the cluster, create the agent, log in; a driver that follows runs."""
    stack = await cluster.start(apis=apis, workers=workers)
    stack.agent_id = await create_chaos_agent(stack)
    token = await login(next(iter(stack.api_urls.values())), stack.admin_email)

    def live_apis() -> list[str]:
        return [stack.api_urls[a.name] for a in stack.apis if a.alive]

    return stack, Driver(token, stack.agent_id, live_apis)


def streaming_text(run: Run) -> bool:
    """Whether a model node of the run is mid-answer (text arrived, the run not done)."""
    return not run.done and any(f.event == "message" for f in run.frames)


async def wait_streaming(runs: list[Run], timeout: float, *, at_least: int = 1) -> None:
    """Until at least ``at_least`` of ``runs`` are mid-answer."""
    await wait_until(lambda: sum(streaming_text(r) for r in runs) >= at_least, timeout)


def longest_stall(runs: list[Run]) -> float:
    """The longest time any run's stream stood still between two frames (seconds)."""
    stall = 0.0
    for run in runs:
        times = [f.received_at for f in run.frames]
        stall = max([stall, *(b - a for a, b in zip(times, times[1:], strict=False))])
    return round(stall, 2)


async def moved_again(runs: list[Run], moment: float, *, every: bool, timeout: float) -> float:
    """Seconds from ``moment`` until some run (``every``: each run) received a frame again."""

    def firsts() -> list[float]:
        return [r.frames_after(moment)[0].received_at for r in runs if r.frames_after(moment)]

    await wait_until(lambda: len(firsts()) == len(runs) if every else bool(firsts()), timeout)
    got = firsts()
    return round((max(got) if every else min(got)) - moment, 2)
