"""Which tools an agent version may use, by name: its own topic servers first, then shared.

Used by the API (``tool_dependencies`` are checked when a version is created) and by
the worker (the ``llm`` activity shows the model these tools; the ``tool`` activity
calls them). A dependency is ``tool`` or ``server_id/tool``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, case, or_, select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_core.models import MCPTool, MCPTopicServer


@dataclass(frozen=True)
class ResolvedTool:
    """A callable tool with what a call needs (the credential stays sealed on the server)."""

    tool: MCPTool
    server: MCPTopicServer

    @property
    def input_schema(self) -> dict[str, Any]:
        """The tool's JSON Schema for its arguments."""
        schema = (self.tool.manifest or {}).get("input_schema")
        return schema if isinstance(schema, dict) else {"type": "object"}

    def function_spec(self) -> dict[str, Any]:
        """The OpenAI function-tool spec the model sees."""
        return {
            "type": "function",
            "function": {
                "name": self.tool.name,
                "description": self.tool.description or self.tool.name,
                "parameters": self.input_schema,
            },
        }


def split_dependency(name: str) -> tuple[str | None, str]:
    """``server_id/tool`` → (server_id, tool); ``tool`` → (None, tool)."""
    server, sep, tool = name.partition("/")
    return (server, tool) if sep else (None, name)


async def available_tools(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    agent_version_id: uuid.UUID | None,
    dependencies: list[str] | None = None,
    server_id: str | None = None,
) -> dict[str, ResolvedTool]:
    """Active tools on active servers the version may use, by tool name.

    Servers dedicated to the version shadow the tenant's shared ones (a name resolves
    to the dedicated server's tool); with ``dependencies`` only those tools are
    available, each optionally pinned to a server; ``server_id`` narrows to one server.
    """
    scope: ColumnElement[bool] = col(MCPTopicServer.agent_version_id).is_(None)
    if agent_version_id is not None:
        scope = or_(scope, col(MCPTopicServer.agent_version_id) == agent_version_id)
    conditions = [
        col(MCPTool.tenant_id) == tenant_id,
        col(MCPTopicServer.tenant_id) == tenant_id,
        col(MCPTool.status) == "active",
        col(MCPTopicServer.status) != "inactive",
        scope,
    ]
    if server_id:
        conditions.append(col(MCPTopicServer.server_id) == server_id)
    dedicated_first = case((col(MCPTopicServer.agent_version_id).is_(None), 1), else_=0)
    rows = await session.execute(
        select(MCPTool, MCPTopicServer)
        .join(MCPTopicServer, col(MCPTool.topic_server_id) == col(MCPTopicServer.id))
        .where(*conditions)
        .order_by(dedicated_first, col(MCPTopicServer.server_id), col(MCPTool.name))
    )
    wanted = [split_dependency(d) for d in dependencies or []]
    found: dict[str, ResolvedTool] = {}
    for tool, server in rows.tuples():
        if tool.name in found:
            continue
        if wanted and not any(
            name == tool.name and pinned in (None, server.server_id) for pinned, name in wanted
        ):
            continue
        found[tool.name] = ResolvedTool(tool=tool, server=server)
    return found


async def unknown_dependencies(
    session: AsyncSession, *, tenant_id: uuid.UUID, dependencies: list[str]
) -> list[int]:
    """Indexes of dependencies no tool of the tenant matches (any server, any version)."""
    rows = await session.execute(
        select(col(MCPTool.name), col(MCPTopicServer.server_id))
        .join(MCPTopicServer, col(MCPTool.topic_server_id) == col(MCPTopicServer.id))
        .where(col(MCPTool.tenant_id) == tenant_id, col(MCPTool.status) == "active")
    )
    known = {(name, server) for name, server in rows.tuples()}
    missing = []
    for index, dependency in enumerate(dependencies):
        pinned, name = split_dependency(dependency)
        if not any(n == name and pinned in (None, s) for n, s in known):
            missing.append(index)
    return missing
