"""The roles an installation grants its tools to, enforced when a version is created.

A version whose graph or ``tool_dependencies`` use tools of a server installed from the
store may be created only by a member of a granted role (admins always may). Servers
registered outside the store carry no installation and are not limited here.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.errors import ValidationFailed
from platform_api.tool_store.usage import tools_used
from platform_core.models import MCPTool, MCPTopicServer, ToolInstallation


async def check_store_grants(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    role: str,
    tool_dependencies: list[str] | None,
    execution_plan: dict[str, Any],
) -> None:
    """422 naming each installed server whose tools the version uses without a grant to ``role``."""
    if role == "admin":
        return
    rows = await session.execute(
        select(ToolInstallation, col(MCPTopicServer.server_id))
        .join(MCPTopicServer, col(MCPTopicServer.id) == col(ToolInstallation.tool_server_id))
        .where(col(ToolInstallation.tenant_id) == tenant_id)
    )
    errors = []
    for installation, server_id in rows.tuples():
        if role in installation.granted_roles:
            continue
        names = set(
            (
                await session.execute(
                    select(col(MCPTool.name)).where(
                        col(MCPTool.topic_server_id) == installation.tool_server_id
                    )
                )
            ).scalars()
        )
        used = tools_used(tool_dependencies, execution_plan, server_id=server_id, tool_names=names)
        if used:
            errors.append(
                {
                    "path": "/body",
                    "message": f"the tools of {server_id!r} ({', '.join(sorted(used))}) are "
                    f"granted to {', '.join(installation.granted_roles)}, not to {role}",
                }
            )
    if errors:
        raise ValidationFailed("tools not granted to your role", errors=errors)
