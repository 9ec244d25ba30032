"""The registry as the worker uses it: resolve a run's tools, check grants, call, count.

Built once by the worker (the composition root) and handed to the ``llm`` and ``tool``
activities, which see it only through the small protocol in ``activities.tool_runtime``.
The rules it shares with the API (grants, resolution, sealed credentials, the MCP client)
live in ``platform_core``.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from fastmcp.client.progress import ProgressHandler
from sqlalchemy import update
from sqlmodel import col

from activities import mcp_client
from platform_core.crypto import CredentialError, KeyRing
from platform_core.db import Database
from platform_core.models import AgentVersion, MCPTopicServer, WorkflowExecution
from platform_core.outbound import OutboundPolicy, UnsafeOutboundUrl
from platform_core.tool_credentials import open_credential, scrub
from platform_core.tool_grants import is_granted
from platform_core.tool_resolution import ResolvedTool, available_tools

# The MCP session's own request-timeout code (fastmcp raises MCPError with it).
MCP_REQUEST_TIMEOUT = -32001
MAX_ERROR_CHARS = 500
Progress = ProgressHandler
CallStatus = Literal["ok", "tool_error", "refused", "failed"]


class ToolSetupError(ValueError):
    """The run's tools cannot be resolved (a missing record, an unreadable credential)."""


@dataclass(frozen=True)
class ToolTarget:
    """One callable tool, detached from the database session."""

    tool_id: uuid.UUID
    name: str
    input_schema: dict[str, Any]
    max_execution_time: int
    acts_on_behalf_of_user: bool
    server_row_id: uuid.UUID
    server_id: str
    endpoint_url: str
    # Opened only in the worker's memory; never logged, recorded or returned.
    credential: str | None
    function_spec: dict[str, Any]


@dataclass(frozen=True)
class RunTools:
    """Who runs which agent, and the tools its version may call by name."""

    agent_id: uuid.UUID
    user_id: uuid.UUID | None
    tools: dict[str, ToolTarget]


@dataclass(frozen=True)
class CallOutcome:
    """How one call ended: ``ok``, ``tool_error`` (the tool said so), ``refused`` (never
    sent: SSRF) or ``failed`` (unreachable, timed out: worth a retry)."""

    status: CallStatus
    content: Any


class McpToolRuntime:
    """Resolves a run's tools (tenant, agent version, tool_dependencies) and calls them."""

    def __init__(self, database: Database, ring: KeyRing, policy: OutboundPolicy) -> None:
        self._db = database
        self._ring = ring
        self._policy = policy

    async def for_run(
        self, tenant_id: str, execution_id: str, *, server_id: str | None = None
    ) -> RunTools:
        """The tools the run's agent version may use (its own servers first, then shared)."""
        async with self._db.tenant_session(tenant_id) as session:
            execution = await session.get(WorkflowExecution, uuid.UUID(execution_id))
            if execution is None:
                raise ToolSetupError("the run's execution record is missing")
            version = await session.get(AgentVersion, execution.agent_version_id)
            resolved = await available_tools(
                session,
                tenant_id=uuid.UUID(tenant_id),
                agent_version_id=execution.agent_version_id,
                dependencies=list(version.tool_dependencies or []) if version else [],
                server_id=server_id,
            )
            tools = {name: self._target(r) for name, r in resolved.items()}
            return RunTools(execution.agent_id, execution.user_id, tools)

    def _target(self, resolved: ResolvedTool) -> ToolTarget:
        try:
            credential = open_credential(resolved.server, self._ring)
        except CredentialError:
            raise ToolSetupError(
                f"the credential of tool server {resolved.server.server_id!r} cannot be opened"
            ) from None
        return ToolTarget(
            tool_id=resolved.tool.id,
            name=resolved.tool.name,
            input_schema=resolved.input_schema,
            max_execution_time=resolved.tool.max_execution_time,
            acts_on_behalf_of_user=resolved.tool.acts_on_behalf_of_user,
            server_row_id=resolved.server.id,
            server_id=resolved.server.server_id,
            endpoint_url=resolved.server.endpoint_url,
            credential=credential,
            function_spec=resolved.function_spec(),
        )

    async def function_specs(self, tenant_id: str, execution_id: str) -> dict[str, Any]:
        """OpenAI function specs of every tool the run may use, by name."""
        run = await self.for_run(tenant_id, execution_id)
        return {name: target.function_spec for name, target in run.tools.items()}

    async def is_granted(
        self, tenant_id: str, *, user_id: uuid.UUID, agent_id: uuid.UUID, tool_id: uuid.UUID
    ) -> bool:
        """True when the user lets the agent use the tool on their behalf."""
        async with self._db.tenant_session(tenant_id) as session:
            return await is_granted(session, user_id=user_id, agent_id=agent_id, tool_id=tool_id)

    async def call(
        self, tenant_id: str, target: ToolTarget, arguments: dict[str, Any], progress: Progress
    ) -> CallOutcome:
        """Call the tool over streamable HTTP with its time limit; count it on its server."""
        started = time.monotonic()
        try:
            async with mcp_client.connect(
                target.endpoint_url, policy=self._policy, credential=target.credential
            ) as client:
                result = await client.call_tool(
                    target.name,
                    arguments,
                    timeout=target.max_execution_time,
                    progress_handler=progress,
                    raise_on_error=False,
                )
            parsed = mcp_client.outcome_of(result)
            outcome = CallOutcome("tool_error" if parsed.is_error else "ok", parsed.content)
        except Exception as exc:
            unsafe = _find(exc, UnsafeOutboundUrl)
            if unsafe is not None:
                return CallOutcome("refused", f"tool {target.name!r} refused: {unsafe}")
            outcome = CallOutcome("failed", _failure(exc, target))
        await self._count(
            tenant_id, target.server_row_id, ok=outcome.status == "ok", started=started
        )
        return outcome

    async def _count(
        self, tenant_id: str, server_row_id: uuid.UUID, *, ok: bool, started: float
    ) -> None:
        # Atomic in SQL: concurrent calls from many workers never lose a count.
        elapsed_ms = round((time.monotonic() - started) * 1000, 3)
        total = col(MCPTopicServer.total_calls)
        async with self._db.tenant_session(tenant_id) as session:
            await session.execute(
                update(MCPTopicServer)
                .where(col(MCPTopicServer.id) == server_row_id)
                .values(
                    total_calls=total + 1,
                    success_calls=col(MCPTopicServer.success_calls) + (1 if ok else 0),
                    # Every right-hand side reads the row before the update: a running mean.
                    average_response_time=(
                        col(MCPTopicServer.average_response_time) * total + elapsed_ms
                    )
                    / (total + 1),
                )
            )


def _find(exc: BaseException, kind: type[BaseException]) -> BaseException | None:
    """``exc`` or the first exception of ``kind`` among its causes and group members."""
    seen: set[int] = set()
    stack = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, kind):
            return current
        if isinstance(current, BaseExceptionGroup):
            stack.extend(current.exceptions)
        stack.extend(e for e in (current.__cause__, current.__context__) if e is not None)
    return None


def _failure(exc: BaseException, target: ToolTarget) -> str:
    code = getattr(getattr(exc, "error", None), "code", None)
    if code == MCP_REQUEST_TIMEOUT or isinstance(exc, TimeoutError):
        return (
            f"tool {target.name!r} timed out after {target.max_execution_time} s "
            "(its max_execution_time)"
        )
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    detail = scrub(str(exc) or type(exc).__name__, target.credential)[:MAX_ERROR_CHARS]
    return f"tool server {target.server_id!r} is unavailable: {detail}"
