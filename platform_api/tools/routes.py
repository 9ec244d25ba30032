"""Tool registry routes: topic servers (developers), tools (members), grants (users)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from platform_api.api.deps import (
    CurrentCaller,
    ServicesDep,
    SettingsDep,
    TemporalDep,
    TenantSession,
)
from platform_api.api.pagination import page_params
from platform_api.paging import Page, PageParams, page_of
from platform_api.tools import grants, jobs, service
from platform_api.tools.schemas import (
    DiscoveryResult,
    ToolGrantCreate,
    ToolGrantPublic,
    ToolPublic,
    ToolServerCreate,
    ToolServerPublic,
    ToolServerUpdate,
    ToolStatus,
    ToolUpdate,
)
from platform_core.crypto import key_ring_from_settings
from platform_core.outbound import OutboundPolicy

# Who may call what (developers, members, users): platform_api/access/rules.py.
servers_router = APIRouter(prefix="/api/v1/tool-servers", tags=["tools"])
tools_router = APIRouter(prefix="/api/v1/tools", tags=["tools"])
grants_router = APIRouter(prefix="/api/v1/tool-grants", tags=["tools"])
Paging = Annotated[PageParams, Depends(page_params)]


@servers_router.get("", response_model=Page[ToolServerPublic])
async def list_servers(
    caller: CurrentCaller, session: TenantSession, page: Paging
) -> Page[ToolServerPublic]:
    """The tenant's MCP topic servers with their call statistics."""
    rows, total = await service.get_all_servers(session=session, page=page)
    return page_of(rows, total, page, ToolServerPublic.model_validate)


@servers_router.post("", response_model=ToolServerPublic, status_code=201)
async def create_server(
    body: ToolServerCreate,
    caller: CurrentCaller,
    services: ServicesDep,
    temporal: TemporalDep,
) -> ToolServerPublic:
    """Register an MCP server by its streamable HTTP URL and discover its tools (on a worker)."""
    settings = services.settings
    async with services.database.tenant_session(caller.tenant_id) as session:
        row = await service.create_server(
            session=session,
            tenant_id=caller.tenant_id,
            data=body,
            ring=key_ring_from_settings(settings),
            policy=OutboundPolicy.from_settings(settings),
        )
        server_id = row.id
    if body.discover:
        await jobs.check_server(
            client=temporal,
            settings=settings,
            tenant_id=caller.tenant_id,
            server_id=server_id,
            mode="discover",
        )
    return await _server_now(services, caller, server_id)


async def _server_now(
    services: ServicesDep, caller: CurrentCaller, server_id: uuid.UUID
) -> ToolServerPublic:
    # Read after the worker's check committed what it found.
    async with services.database.tenant_session(caller.tenant_id) as session:
        row = await service.get_server_or_raise(
            session=session, tenant_id=caller.tenant_id, server_id=server_id
        )
        return ToolServerPublic.model_validate(row)


@servers_router.get("/{tool_server_id}", response_model=ToolServerPublic)
async def get_server(
    tool_server_id: uuid.UUID, caller: CurrentCaller, session: TenantSession
) -> ToolServerPublic:
    """One topic server."""
    row = await service.get_server_or_raise(
        session=session, tenant_id=caller.tenant_id, server_id=tool_server_id
    )
    return ToolServerPublic.model_validate(row)


@servers_router.patch("/{tool_server_id}", response_model=ToolServerPublic)
async def update_server(
    tool_server_id: uuid.UUID,
    body: ToolServerUpdate,
    caller: CurrentCaller,
    session: TenantSession,
    settings: SettingsDep,
) -> ToolServerPublic:
    """Change a server's name, URL, status or credential (the credential is write-only)."""
    row = await service.get_server_or_raise(
        session=session, tenant_id=caller.tenant_id, server_id=tool_server_id
    )
    row = await service.update_server(
        session=session,
        row=row,
        data=body,
        ring=key_ring_from_settings(settings),
        policy=OutboundPolicy.from_settings(settings),
    )
    return ToolServerPublic.model_validate(row)


@servers_router.delete("/{tool_server_id}", status_code=204)
async def delete_server(
    tool_server_id: uuid.UUID, caller: CurrentCaller, session: TenantSession
) -> Response:
    """Delete a server with its tools and their grants."""
    row = await service.get_server_or_raise(
        session=session, tenant_id=caller.tenant_id, server_id=tool_server_id
    )
    await service.delete_server(session=session, row=row)
    return Response(status_code=204)


@servers_router.post("/{tool_server_id}/discover", response_model=DiscoveryResult)
async def discover_tools(
    tool_server_id: uuid.UUID,
    caller: CurrentCaller,
    services: ServicesDep,
    temporal: TemporalDep,
) -> DiscoveryResult:
    """List the server's tools now: new ones are added, vanished ones become inactive."""
    await _server_now(services, caller, tool_server_id)  # 404 before any work
    changes = await jobs.check_server(
        client=temporal,
        settings=services.settings,
        tenant_id=caller.tenant_id,
        server_id=tool_server_id,
        mode="discover",
    )
    return DiscoveryResult(
        server=await _server_now(services, caller, tool_server_id),
        added=changes.added,
        updated=changes.updated,
        deactivated=changes.deactivated,
    )


@servers_router.post("/{tool_server_id}/health", response_model=ToolServerPublic)
async def check_health(
    tool_server_id: uuid.UUID,
    caller: CurrentCaller,
    services: ServicesDep,
    temporal: TemporalDep,
) -> ToolServerPublic:
    """Ping the server now and record its status and the time of the check."""
    await _server_now(services, caller, tool_server_id)  # 404 before any work
    await jobs.check_server(
        client=temporal,
        settings=services.settings,
        tenant_id=caller.tenant_id,
        server_id=tool_server_id,
        mode="health",
    )
    return await _server_now(services, caller, tool_server_id)


@tools_router.get("", response_model=Page[ToolPublic])
async def list_tools(
    caller: CurrentCaller,
    session: TenantSession,
    page: Paging,
    q: Annotated[
        str | None, Query(max_length=200, description="Text in name or description.")
    ] = None,
    server: Annotated[uuid.UUID | None, Query(description="A topic server's id.")] = None,
    status: Annotated[ToolStatus | None, Query()] = None,
    tag: Annotated[str | None, Query(max_length=64)] = None,
) -> Page[ToolPublic]:
    """Search the tenant's tools."""
    rows, total = await service.get_all_tools(
        session=session, page=page, q=q, server_id=server, status=status, tag=tag
    )
    return page_of(rows, total, page, ToolPublic.model_validate)


@tools_router.get("/{tool_id}", response_model=ToolPublic)
async def get_tool(tool_id: uuid.UUID, caller: CurrentCaller, session: TenantSession) -> ToolPublic:
    """One tool with its input schema."""
    row = await service.get_tool_or_raise(
        session=session, tenant_id=caller.tenant_id, tool_id=tool_id
    )
    return ToolPublic.model_validate(row)


@tools_router.patch("/{tool_id}", response_model=ToolPublic)
async def update_tool(
    tool_id: uuid.UUID, body: ToolUpdate, caller: CurrentCaller, session: TenantSession
) -> ToolPublic:
    """Change a tool's status, tags, time limit or whether it acts on a user's behalf."""
    row = await service.get_tool_or_raise(
        session=session, tenant_id=caller.tenant_id, tool_id=tool_id
    )
    return ToolPublic.model_validate(await service.update_tool(session=session, row=row, data=body))


@grants_router.get("", response_model=Page[ToolGrantPublic])
async def list_grants(
    caller: CurrentCaller, session: TenantSession, page: Paging
) -> Page[ToolGrantPublic]:
    """The caller's tool grants."""
    rows, total = await grants.get_mine(session=session, user_id=caller.user_id, page=page)
    return page_of(rows, total, page, ToolGrantPublic.model_validate)


@grants_router.post("", response_model=ToolGrantPublic, status_code=201)
async def create_grant(
    body: ToolGrantCreate, caller: CurrentCaller, session: TenantSession
) -> ToolGrantPublic:
    """Let an agent use a tool on the caller's behalf."""
    row = await grants.grant(
        session=session,
        tenant_id=caller.tenant_id,
        user_id=caller.user_id,
        agent_id=body.agent_id,
        tool_id=body.tool_id,
    )
    return ToolGrantPublic.model_validate(row)


@grants_router.delete("/{tool_grant_id}", response_model=ToolGrantPublic)
async def revoke_grant(
    tool_grant_id: uuid.UUID, caller: CurrentCaller, session: TenantSession
) -> ToolGrantPublic:
    """Revoke one of the caller's grants; the agent's next call of the tool is refused."""
    row = await grants.revoke(session=session, user_id=caller.user_id, grant_id=tool_grant_id)
    return ToolGrantPublic.model_validate(row)
