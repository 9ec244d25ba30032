"""Debugging a run: breakpoints when it starts; then read, edit, step and continue it.

Who may: the agent's developer (and agent managers) on any run of the agent they may
read, and anyone on a run in their own sandbox chat (where reviewers try versions). A
run paused at a breakpoint is paused durably, as a paused run is: it waits in Temporal,
and the state shown and edited is the workflow's own, between two supersteps.
"""

from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError

from node_types.plan import parse_plan
from platform_api.access.rules import may_manage_any_agent
from platform_api.api.temporal_errors import temporal_problem
from platform_api.auth.caller import Caller
from platform_api.errors import Conflict, Forbidden, ValidationFailed
from platform_core.models import Agent, AgentVersion, Chat, WorkflowExecution
from temporal_workflows import contracts as c

NOT_A_DEBUGGER = "only the agent's developer, or the owner of a sandbox chat, may debug its runs"


def may_debug(caller: Caller, agent: Agent, chat: Chat | None) -> bool:
    """Whether `caller` may set breakpoints on, and step, runs of `agent` (in `chat`)."""
    if may_manage_any_agent(caller) or agent.developer_id == caller.user_id:
        return True
    return chat is not None and chat.is_sandbox and chat.user_id == caller.user_id


def checked_breakpoints(
    caller: Caller,
    agent: Agent,
    version: AgentVersion,
    chat: Chat | None,
    before: list[str],
    after: list[str],
) -> tuple[list[str], list[str]]:
    """The breakpoints, once the caller may set them and each names a node of the version."""
    if not (before or after):
        return [], []
    if not may_debug(caller, agent, chat):
        raise Forbidden(NOT_A_DEBUGGER)
    nodes = {node.name for node in parse_plan(version.execution_plan).nodes}
    errors = [
        {"path": f"/body/breakpoints/{side}/{index}", "message": f"no node named {name!r}"}
        for side, names in (("before", before), ("after", after))
        for index, name in enumerate(names)
        if name not in nodes
    ]
    if errors:
        raise ValidationFailed("a breakpoint names a node the agent does not have", errors=errors)
    return sorted(set(before)), sorted(set(after))


async def ensure_debugger(
    session: AsyncSession, caller: Caller, execution: WorkflowExecution
) -> None:
    """Raise Forbidden unless `caller` may debug this run (they may read it already)."""
    agent = await session.get(Agent, execution.agent_id)
    chat = await session.get(Chat, execution.chat_id) if execution.chat_id else None
    if agent is None or not may_debug(caller, agent, chat):
        raise Forbidden(NOT_A_DEBUGGER)


async def debug_view(*, client: Client, execution: WorkflowExecution) -> dict[str, Any]:
    """Where the run stands: status, step, the breakpoint it is paused at, the whole state."""
    try:
        result: dict[str, Any] = await client.get_workflow_handle(execution.workflow_id).query(
            c.DEBUG_QUERY
        )
    except RPCError as exc:
        raise temporal_problem(exc, ended="the run has ended; its records remain") from exc
    return result


async def edit_state(
    *, client: Client, execution: WorkflowExecution, edits: dict[str, Any]
) -> dict[str, Any]:
    """Set state keys of a paused run; the run validates them against its state schema."""
    try:
        state: dict[str, Any] = await client.get_workflow_handle(
            execution.workflow_id
        ).execute_update(c.EDIT_STATE_UPDATE, edits)
    except WorkflowUpdateFailedError as exc:
        raise _refusal(exc) from exc
    except RPCError as exc:
        raise temporal_problem(exc, ended="the run has ended") from exc
    return state


def _refusal(exc: WorkflowUpdateFailedError) -> Exception:
    cause = exc.cause
    if isinstance(cause, ApplicationError) and cause.type == "InvalidStateEdit":
        details: list[Any] = list(cause.details[0]) if cause.details else []
        errors = [
            {
                "path": "/body/" + str(d.get("path", "")).replace(".", "/", 1),
                "message": str(d.get("message")),
            }
            for d in details
            if isinstance(d, dict)
        ]
        return ValidationFailed(cause.message, errors=errors)
    return Conflict(cause.message if isinstance(cause, ApplicationError) else str(exc))
