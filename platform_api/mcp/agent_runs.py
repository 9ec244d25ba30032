"""Running a published agent for an MCP caller and following the run to its answer.

The run starts through the one launcher (``executions.launcher``): as a direct execution,
or, given a chat, as the next turn of that chat. The caller then follows the run's event stream:
each finished node becomes a progress notification, the ``done`` event the answer.
A run that stops for a person answers at once with the execution id instead of
holding the MCP request open for as long as a reviewer takes.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from platform_api.api.state import AppServices
from platform_api.auth.caller import Caller
from platform_api.executions import direct
from platform_api.executions.launcher import RunLauncher
from platform_api.executions.schemas import ExecuteRequest
from platform_api.streaming.hub import RunEventHub
from temporal_workflows import contracts as c

# How long one MCP call follows a run before answering "still running" with its id.
FOLLOW_SECONDS = 300.0

OnNode = Callable[[int, str], Awaitable[None]]


@dataclass(frozen=True)
class StartedRun:
    """A run that was registered and started."""

    execution_id: uuid.UUID
    workflow_id: str
    chat_id: uuid.UUID | None


@dataclass(frozen=True)
class RunOutcome:
    """Where a followed run stands: finished, waiting for a person, or still running."""

    status: str
    answer: str | None = None
    error: str | None = None
    waiting: dict[str, Any] | None = None


async def start_agent_run(
    *,
    services: AppServices,
    caller: Caller,
    agent_id: uuid.UUID,
    message: str,
    chat_id: uuid.UUID | None,
) -> StartedRun:
    """Register the run (a direct execution, or the chat's next turn) and start it."""
    launcher = RunLauncher(
        client=await services.temporal(), database=services.database, settings=services.settings
    )
    if chat_id is None:
        launched = await launcher.direct(
            caller=caller,
            agent_id=agent_id,
            version=None,
            inputs_for=lambda version: direct.run_inputs(version, ExecuteRequest(message=message)),
        )
        execution = launched.execution
    else:
        turn = await launcher.chat_turn(
            caller=caller,
            agent_id=agent_id,
            chat_id=chat_id,
            text=message,
            chat_must_be_of_agent=True,
        )
        execution = turn.execution
    return StartedRun(execution.execution_id, execution.workflow_id, execution.chat_id)


async def follow_run(
    *,
    hub: RunEventHub,
    tenant_id: str,
    workflow_id: str,
    on_node: OnNode,
    timeout: float = FOLLOW_SECONDS,
) -> RunOutcome:
    """Follow the run's events until it ends, waits for a person, or ``timeout`` passes."""
    try:
        async with asyncio.timeout(timeout):
            return await _outcome(hub, tenant_id, workflow_id, on_node)
    except TimeoutError:
        return RunOutcome(status="running")


async def _outcome(
    hub: RunEventHub, tenant_id: str, workflow_id: str, on_node: OnNode
) -> RunOutcome:
    finished_nodes = 0
    error: str | None = None
    entries = hub.events(tenant_id=tenant_id, stream_id=workflow_id)
    async for entry in entries:
        if entry is None:
            continue  # quiet for a while: keep waiting
        event = entry[1]
        kind = event.get("event")
        if kind == c.EVENT_NODE_COMPLETED:
            finished_nodes += 1
            await on_node(finished_nodes, str(event.get("node") or ""))
        elif kind == c.EVENT_ERROR:
            error = str(event.get("content") or "the run failed")
        elif kind == c.EVENT_WAITING_FOR_HUMAN:
            waiting = {k: event.get(k) for k in ("node", "task_id", "instruction", "due_at")}
            return RunOutcome(status="waiting_for_human", waiting=waiting)
        elif kind == c.EVENT_DONE:
            status = str(event.get("status") or "completed")
            answer = event.get("answer")
            return RunOutcome(
                status=status,
                answer=str(answer) if answer is not None else None,
                error=error if status != "completed" else None,
            )
    return RunOutcome(status="running")
