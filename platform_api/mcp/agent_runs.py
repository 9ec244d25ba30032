"""Running a published agent for an MCP caller and following the run to its answer.

The run starts exactly as a direct execution does (``executions.direct`` and
``executions.service.start_run``), or, given a chat, as the next turn of that chat
(``chats.service.add_user_turn``). The caller then follows the run's event stream:
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

from temporalio.client import Client
from temporalio.contrib.workflow_streams import WorkflowStreamClient

from platform_api.api.deps import Principal
from platform_api.api.state import AppServices
from platform_api.chats import service as chats
from platform_api.errors import NotFound
from platform_api.executions import direct
from platform_api.executions.schemas import ExecuteRequest
from platform_api.executions.service import start_run
from platform_core.models import WorkflowExecution
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
    principal: Principal,
    agent_id: uuid.UUID,
    message: str,
    chat_id: uuid.UUID | None,
) -> StartedRun:
    """Register the run (a direct execution, or the chat's next turn) and start it."""
    async with services.database.tenant_session(principal.tenant_id) as session:
        if chat_id is None:
            agent, version = await direct.open_direct_session(
                session=session, agent_id=agent_id, version=None
            )
            inputs = direct.run_inputs(version, ExecuteRequest(message=message))
            execution: WorkflowExecution = direct.new_execution(principal, agent, version, inputs)
            session.add(execution)
        else:
            chat = await chats.get_own_chat(session=session, principal=principal, chat_id=chat_id)
            if chat.agent_id != agent_id:
                raise NotFound("chat not found for this agent")
            turn = await chats.add_user_turn(
                session=session,
                principal=principal,
                agent_id=None,
                agent_name=None,
                chat_id=chat_id,
                text=message,
                parent_message_id=None,
            )
            agent, version, execution = turn.agent, turn.version, turn.execution
            inputs = {"messages": turn.history}
    await start_run(
        client=await services.temporal(),
        database=services.database,
        settings=services.settings,
        execution=execution,
        agent=agent,
        version=version,
        inputs=inputs,
        model_params={},
    )
    return StartedRun(execution.execution_id, execution.workflow_id, execution.chat_id)


async def follow_run(
    *, client: Client, workflow_id: str, on_node: OnNode, timeout: float = FOLLOW_SECONDS
) -> RunOutcome:
    """Follow the run's events until it ends, waits for a person, or ``timeout`` passes."""
    try:
        async with asyncio.timeout(timeout):
            return await _outcome(client, workflow_id, on_node)
    except TimeoutError:
        return RunOutcome(status="running")


async def _outcome(client: Client, workflow_id: str, on_node: OnNode) -> RunOutcome:
    finished_nodes = 0
    error: str | None = None
    stream = WorkflowStreamClient.create(client, workflow_id)
    async for item in stream.subscribe([c.EVENTS_TOPIC]):
        event = item.data if isinstance(item.data, dict) else {}
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
