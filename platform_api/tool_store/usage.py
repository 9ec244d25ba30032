"""Which published agent versions use a server's tools (before it is uninstalled).

A version uses a tool when its ``tool_dependencies`` name it (pinned to this server or
unpinned), when a ``tool`` node is pinned to this server or names one of its tools, or
when an ``llm`` node offers one of its tools to the model. Unpinned names count even if
another server has a tool of the same name: the check errs on the side of asking.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_core.models import Agent, AgentVersion
from platform_core.tool_resolution import split_dependency


async def published_versions_using(
    session: AsyncSession, *, tenant_id: uuid.UUID, server_id: str, tool_names: set[str]
) -> list[dict[str, Any]]:
    """One entry per published version that uses the server: agent, version, tool names."""
    rows = await session.execute(
        select(AgentVersion, col(Agent.name))
        .join(Agent, col(Agent.id) == col(AgentVersion.agent_id))
        .where(
            col(AgentVersion.tenant_id) == tenant_id,
            col(AgentVersion.status) == "published",
        )
        .order_by(col(Agent.name), col(AgentVersion.version))
    )
    found = []
    for version, agent_name in rows.tuples():
        used = tools_used(
            version.tool_dependencies,
            version.execution_plan,
            server_id=server_id,
            tool_names=tool_names,
        )
        if used:
            found.append(
                {
                    "agent_id": version.agent_id,
                    "agent_name": agent_name,
                    "version_id": version.id,
                    "version": version.version,
                    "tools": sorted(used),
                }
            )
    return found


def tools_used(
    tool_dependencies: list[str] | None,
    execution_plan: dict[str, Any] | None,
    *,
    server_id: str,
    tool_names: set[str],
) -> set[str]:
    """The server's tools a version refers to (``*``: any tool of a node pinned to it)."""
    used: set[str] = set()
    for dependency in tool_dependencies or []:
        pinned, name = split_dependency(dependency)
        if pinned == server_id or (pinned is None and name in tool_names):
            used.add(name)
    for node in (execution_plan or {}).get("nodes") or []:
        config = node.get("config") or {}
        if node.get("type") == "tool":
            used |= _tool_node(config, server_id=server_id, tool_names=tool_names)
        elif node.get("type") == "llm":
            used |= {n for n in map(_tool_name, config.get("tools") or []) if n in tool_names}
    return used


def _tool_node(config: dict[str, Any], *, server_id: str, tool_names: set[str]) -> set[str]:
    named = {config.get("tool"), *(config.get("allowed_tools") or [])} - {None}
    if config.get("server") == server_id:
        return {str(n) for n in named} or {"*"}
    if config.get("server") is None:
        return {str(n) for n in named if n in tool_names}
    return set()


def _tool_name(tool: Any) -> str | None:
    if isinstance(tool, str):
        return tool
    if isinstance(tool, dict) and isinstance(tool.get("name"), str):
        return str(tool["name"])
    return None
