"""The platform as an MCP server: each published agent of the caller's tenant is a tool.

Tools are listed per request from the database (a ``Provider``), so an agent appears
as soon as it is published and tenants only ever see their own. Calling a tool runs
the agent's current published version (see ``agent_runs``) and answers with the run's
execution id, status and answer as structured content; finished nodes are reported as
MCP progress notifications. The credential is the caller's API key with the
``agent:execute`` scope.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import Annotated, Any

from fastmcp import FastMCP
from fastmcp.exceptions import ToolError
from fastmcp.server.dependencies import get_context
from fastmcp.server.providers import Provider
from fastmcp.tools import Tool, ToolResult
from fastmcp.utilities.versions import VersionSpec
from mcp.types import TextContent, ToolAnnotations
from pydantic import BaseModel, Field
from sqlmodel import col, select

from platform_api.api.state import AppServices
from platform_api.errors import DomainError
from platform_api.mcp.agent_runs import follow_run, start_agent_run
from platform_api.mcp.auth import ApiKeyVerifier, caller_or_none, current_caller
from platform_core.models import Agent, AgentVersion

EXECUTE_SCOPE = "agent:execute"
MAX_TOOL_NAME = 64
AGENT_TOOL_ANNOTATIONS = ToolAnnotations(
    readOnlyHint=False, destructiveHint=False, idempotentHint=False, openWorldHint=True
)


class AgentAnswer(BaseModel):
    """The outcome of one agent run started through MCP."""

    execution_id: uuid.UUID
    chat_id: uuid.UUID | None = None
    status: str = Field(
        description="completed, failed, cancelled, waiting_for_human or running (still going)."
    )
    answer: str | None = None
    error: str | None = None
    waiting_for: dict[str, Any] | None = Field(
        default=None, description="The human-review step the run waits for, if any."
    )


def tool_names(agents: Sequence[Agent]) -> dict[str, Agent]:
    """Safe, stable, unique MCP tool names for agents (``[a-z0-9_-]``, at most 64 chars).

    A name with no usable characters (e.g. all CJK) or shared by two agents after
    slugging gets the agent id's first 8 hex digits, so names never depend on order.
    """
    slugs = {
        agent.id: re.sub(r"[^a-z0-9_-]+", "_", agent.name.lower()).strip("_-")[: MAX_TOOL_NAME - 9]
        for agent in agents
    }
    counts: dict[str, int] = {}
    for slug in slugs.values():
        counts[slug] = counts.get(slug, 0) + 1
    named: dict[str, Agent] = {}
    for agent in agents:
        slug = slugs[agent.id] or "agent"
        if not slugs[agent.id] or counts[slug] > 1:
            slug = f"{slug}_{agent.id.hex[:8]}"
        named[slug] = agent
    return named


class PublishedAgents(Provider):
    """Lists the caller's tenant's published agents as tools and runs them on call."""

    def __init__(self, services: AppServices) -> None:
        super().__init__()
        self._services = services

    async def _list_tools(self) -> Sequence[Tool]:
        caller = caller_or_none()
        if caller is None:  # fastmcp's start-up asks too: no caller, no agents
            return []
        async with self._services.database.tenant_session(caller.tenant_id) as session:
            rows = await session.execute(
                select(Agent)
                .join(AgentVersion, col(AgentVersion.agent_id) == col(Agent.id))
                .where(
                    col(Agent.status) == "published",
                    col(AgentVersion.is_current).is_(True),
                    col(AgentVersion.status) == "published",
                )
                .order_by(col(Agent.name), col(Agent.id))
            )
            agents = list(rows.scalars())
        return [self._tool(name, agent) for name, agent in tool_names(agents).items()]

    async def _get_tool(self, name: str, version: VersionSpec | None = None) -> Tool | None:
        return next((t for t in await self._list_tools() if t.name == name), None)

    def _tool(self, name: str, agent: Agent) -> Tool:
        services, agent_id = self._services, agent.id

        async def run_agent(
            message: Annotated[
                str, Field(min_length=1, max_length=32_000, description="The user's message.")
            ],
            chat_id: Annotated[
                uuid.UUID | None,
                Field(description="Continue this chat (one of the caller's, with this agent)."),
            ] = None,
        ) -> ToolResult:
            caller = current_caller()
            context = get_context()
            try:
                started = await start_agent_run(
                    services=services,
                    caller=caller,
                    agent_id=agent_id,
                    message=message,
                    chat_id=chat_id,
                )
            except DomainError as exc:
                raise ToolError(exc.detail) from exc

            async def on_node(finished: int, node: str) -> None:
                await context.report_progress(finished, None, f"node {node} finished")

            outcome = await follow_run(
                hub=services.run_events,
                tenant_id=str(caller.tenant_id),
                workflow_id=started.workflow_id,
                on_node=on_node,
            )
            result = AgentAnswer(
                execution_id=started.execution_id,
                chat_id=started.chat_id,
                status=outcome.status,
                answer=outcome.answer,
                error=outcome.error,
                waiting_for=outcome.waiting,
            )
            return ToolResult(
                content=[TextContent(type="text", text=_summary(result))],
                structured_content=result.model_dump(mode="json"),
            )

        return Tool.from_function(
            run_agent,
            name=name,
            title=agent.name,
            description=agent.description or f"Run the agent {agent.name!r}.",
            annotations=AGENT_TOOL_ANNOTATIONS,
            output_schema=AgentAnswer.model_json_schema(),
            meta={"agent_id": str(agent.id)},
        )


def _summary(result: AgentAnswer) -> str:
    """The text an LLM client reads: the answer, or plainly what happened instead."""
    if result.status == "completed":
        return result.answer or ""
    if result.status == "waiting_for_human":
        return f"waiting for human review, execution id {result.execution_id}"
    if result.status == "running":
        return f"still running, execution id {result.execution_id}"
    detail = result.error or "no detail"
    return f"the run {result.status}: {detail} (execution id {result.execution_id})"


def build_agents_server(services: AppServices) -> FastMCP:
    """The agents server, answering only API keys with the ``agent:execute`` scope."""
    return FastMCP(
        "agentpaas-agents",
        instructions="Each tool runs one published agent of your tenant and returns its answer.",
        auth=ApiKeyVerifier(database=services.database, required_scopes=[EXECUTE_SCOPE]),
        providers=[PublishedAgents(services)],
        mask_error_details=True,
    )
