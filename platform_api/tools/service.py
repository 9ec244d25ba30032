"""Topic servers and tools of a tenant (RLS scopes every query; services filter too)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.errors import Conflict, NotFound, ValidationFailed
from platform_api.paging import PageParams, paginate
from platform_api.tools.schemas import ToolServerCreate, ToolServerUpdate, ToolUpdate
from platform_core.crypto import KeyRing
from platform_core.models import AgentVersion, MCPTool, MCPTopicServer
from platform_core.outbound import OutboundPolicy, UnsafeOutboundUrl, check_outbound_url
from platform_core.tool_credentials import seal


async def check_endpoint(url: str, policy: OutboundPolicy, *, path: str) -> None:
    """422 with the field's path when the URL breaks the SSRF rules."""
    try:
        await check_outbound_url(url, policy)
    except UnsafeOutboundUrl as exc:
        raise ValidationFailed(
            f"endpoint refused: {exc}", errors=[{"path": path, "message": str(exc)}]
        ) from None


async def get_all_servers(
    *, session: AsyncSession, page: PageParams
) -> tuple[list[MCPTopicServer], int]:
    """The tenant's topic servers by server_id, and their count."""
    return await paginate(
        session, select(MCPTopicServer).order_by(col(MCPTopicServer.server_id)), page
    )


async def get_server_or_raise(
    *, session: AsyncSession, tenant_id: uuid.UUID, server_id: uuid.UUID
) -> MCPTopicServer:
    """One of the tenant's servers (another tenant's is simply not found)."""
    row = await session.get(MCPTopicServer, server_id)
    if row is None or row.tenant_id != tenant_id:
        raise NotFound("tool server not found")
    return row


async def create_server(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    data: ToolServerCreate,
    ring: KeyRing,
    policy: OutboundPolicy,
) -> MCPTopicServer:
    """Register a server after checking its URL (SSRF) and its agent version."""
    await check_endpoint(data.endpoint_url, policy, path="/body/endpoint_url")
    if data.agent_version_id is not None:
        version = await session.get(AgentVersion, data.agent_version_id)
        if version is None or version.tenant_id != tenant_id:
            raise ValidationFailed(
                "agent version not found",
                errors=[{"path": "/body/agent_version_id", "message": "no such agent version"}],
            )
    row = MCPTopicServer(
        tenant_id=tenant_id,
        server_id=data.server_id,
        name=data.name,
        description=data.description,
        agent_version_id=data.agent_version_id,
        endpoint_url=data.endpoint_url,
    )
    if data.credential is not None:
        seal(row, ring, data.credential.get_secret_value())
    session.add(row)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(f"a tool server with server_id {data.server_id!r} exists") from exc
    return row


async def update_server(
    *,
    session: AsyncSession,
    row: MCPTopicServer,
    data: ToolServerUpdate,
    ring: KeyRing,
    policy: OutboundPolicy,
) -> MCPTopicServer:
    """Apply the fields that were sent (a new URL passes the SSRF check first)."""
    changes = data.model_dump(exclude_unset=True, exclude={"credential", "clear_credential"})
    if changes.get("endpoint_url"):
        await check_endpoint(changes["endpoint_url"], policy, path="/body/endpoint_url")
    for name, value in changes.items():
        if value is None and name in ("name", "endpoint_url", "status"):
            continue  # not nullable: null means "leave as is"
        setattr(row, name, value)
    if data.clear_credential:
        row.credentials = None
        row.credentials_hint = None
    if data.credential is not None:
        seal(row, ring, data.credential.get_secret_value())
    row.updated_at = datetime.now(UTC)
    await session.flush()
    return row


async def delete_server(*, session: AsyncSession, row: MCPTopicServer) -> None:
    """Delete a server and (cascade) its tools and their grants."""
    await session.delete(row)
    await session.flush()


async def get_all_tools(
    *,
    session: AsyncSession,
    page: PageParams,
    q: str | None = None,
    server_id: uuid.UUID | None = None,
    status: str | None = None,
    tag: str | None = None,
) -> tuple[list[MCPTool], int]:
    """The tenant's tools, filtered by text (name/description), server, status and tag."""
    conditions = []
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(
            or_(col(MCPTool.name).ilike(pattern), col(MCPTool.description).ilike(pattern))
        )
    if server_id is not None:
        conditions.append(col(MCPTool.topic_server_id) == server_id)
    if status is not None:
        conditions.append(col(MCPTool.status) == status)
    if tag is not None:
        conditions.append(col(MCPTool.tags).any(tag))  # type: ignore[arg-type]
    return await paginate(
        session,
        select(MCPTool).where(*conditions).order_by(col(MCPTool.name), col(MCPTool.id)),
        page,
    )


async def get_tool_or_raise(
    *, session: AsyncSession, tenant_id: uuid.UUID, tool_id: uuid.UUID
) -> MCPTool:
    """One of the tenant's tools."""
    row = await session.get(MCPTool, tool_id)
    if row is None or row.tenant_id != tenant_id:
        raise NotFound("tool not found")
    return row


async def update_tool(*, session: AsyncSession, row: MCPTool, data: ToolUpdate) -> MCPTool:
    """Apply the fields that were sent (null means "leave as is")."""
    for name, value in data.model_dump(exclude_unset=True).items():
        if value is not None:
            setattr(row, name, value)
    row.updated_at = datetime.now(UTC)
    await session.flush()
    return row
