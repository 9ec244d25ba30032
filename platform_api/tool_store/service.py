"""Installing and uninstalling store entries for a tenant (RLS scopes every query).

An entry installs as a tenant-wide tool server whose ``server_id`` is the entry's id, so
an entry is installed once per tenant and its tools can be pinned as ``<entry id>/<tool>``.
The ``tool_installations`` row records the parameters, the installer and the roles granted.
"""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import SecretStr
from sqlalchemy import select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.apikeys.schemas import ApiKeyCreate
from platform_api.apikeys.service import create_key
from platform_api.errors import Conflict, NotFound, ValidationFailed
from platform_api.mcp.builtin_tools import TOOLS_SCOPE
from platform_api.tool_store.schemas import (
    DEFAULT_GRANTED_ROLES,
    InstallationPublic,
    InstalledTool,
    InstallRequest,
)
from platform_api.tool_store.usage import published_versions_using
from platform_api.tools import service as registry
from platform_api.tools.schemas import ToolServerCreate, ToolServerPublic
from platform_core.crypto import KeyRing
from platform_core.models import MCPTool, MCPTopicServer, ToolInstallation
from platform_core.outbound import OutboundPolicy
from platform_core.tool_catalog import CatalogEntry


async def installations(
    session: AsyncSession, *, entry_ids: list[str]
) -> dict[str, InstallationPublic]:
    """The tenant's installed entries among ``entry_ids``, by entry id."""
    servers = (
        (
            await session.execute(
                select(MCPTopicServer).where(
                    col(MCPTopicServer.server_id).in_(entry_ids),
                    col(MCPTopicServer.agent_version_id).is_(None),
                )
            )
        )
        .scalars()
        .all()
    )
    if not servers:
        return {}
    ids = [s.id for s in servers]
    rows = (
        await session.execute(
            select(ToolInstallation).where(col(ToolInstallation.tool_server_id).in_(ids))
        )
    ).scalars()
    by_server = {row.tool_server_id: row for row in rows}
    tools = (
        await session.execute(
            select(MCPTool)
            .where(col(MCPTool.topic_server_id).in_(ids))
            .order_by(col(MCPTool.name), col(MCPTool.id))
        )
    ).scalars()
    tools_of: dict[uuid.UUID, list[InstalledTool]] = {}
    for tool in tools:
        tools_of.setdefault(tool.topic_server_id, []).append(InstalledTool.model_validate(tool))
    found = {}
    for server in servers:
        row = by_server.get(server.id)
        found[server.server_id] = InstallationPublic(
            entry_id=server.server_id,
            installation_id=row.id if row else None,
            server=ToolServerPublic.model_validate(server),
            tools=tools_of.get(server.id, []),
            parameters=row.parameters if row else {},
            granted_roles=row.granted_roles if row else [],
            installed_by=row.installed_by if row else None,
            installed_at=row.created_at if row else None,
        )
    return found


def matches(entry: CatalogEntry, *, q: str | None, tag: str | None) -> bool:
    """Whether the entry matches the text (id, names, descriptions, tags) and the tag."""
    if tag is not None and tag not in entry.tags:
        return False
    if not q:
        return True
    text = " ".join(
        [
            entry.id,
            entry.name.zh_cn,
            entry.name.en,
            entry.description.zh_cn,
            entry.description.en,
            *entry.tags,
        ]
    )
    return q.casefold() in text.casefold()


async def install(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    user_id: uuid.UUID,
    entry: CatalogEntry,
    data: InstallRequest,
    ring: KeyRing,
    policy: OutboundPolicy,
) -> uuid.UUID:
    """Register the entry's server for the tenant and record the installation; its row id."""
    url, problems = entry.render_url(data.parameters)
    if problems:
        raise ValidationFailed(
            "invalid parameters",
            errors=[{"path": f"/body/parameters/{n}", "message": m} for n, m in problems.items()],
        )
    secret = _credential(entry, data)
    await registry.check_endpoint(url, policy, path="/body/parameters")
    if await installations(session, entry_ids=[entry.id]):
        raise Conflict(f"{entry.id!r} is installed already")
    if entry.bundled:
        _, secret = await create_key(
            session=session,
            tenant_id=tenant_id,
            user_id=user_id,
            data=ApiKeyCreate(name=f"tool store: {entry.id}", scopes=[TOOLS_SCOPE]),
        )
    server = await registry.create_server(
        session=session,
        tenant_id=tenant_id,
        data=ToolServerCreate(
            server_id=entry.id,
            name=entry.name.en,
            description=entry.description.en,
            endpoint_url=url,
            credential=SecretStr(secret) if secret else None,
        ),
        ring=ring,
        policy=policy,
    )
    filled = {p.name: data.parameters.get(p.name) or p.default or "" for p in entry.parameters}
    session.add(
        ToolInstallation(
            tenant_id=tenant_id,
            entry_id=entry.id,
            tool_server_id=server.id,
            installed_by=user_id,
            parameters=filled,
            granted_roles=list(data.granted_roles or DEFAULT_GRANTED_ROLES),
        )
    )
    await session.flush()
    return server.id


async def uninstall(
    *, session: AsyncSession, tenant_id: uuid.UUID, entry: CatalogEntry, force: bool
) -> None:
    """Remove the entry's server (its tools, their grants, the installation).

    Refused (409, the versions listed in ``errors``) while a published agent version
    uses its tools, unless ``force``.
    """
    server = (
        await session.execute(
            select(MCPTopicServer).where(
                col(MCPTopicServer.server_id) == entry.id,
                col(MCPTopicServer.agent_version_id).is_(None),
            )
        )
    ).scalar_one_or_none()
    if server is None or server.tenant_id != tenant_id:
        raise NotFound(f"{entry.id!r} is not installed")
    names = set(
        (
            await session.execute(
                select(col(MCPTool.name)).where(col(MCPTool.topic_server_id) == server.id)
            )
        ).scalars()
    )
    users = await published_versions_using(
        session, tenant_id=tenant_id, server_id=entry.id, tool_names=names
    )
    if users and not force:
        raise Conflict(
            f"{len(users)} published agent version(s) use the tools of {entry.id!r}; "
            "uninstall with force=true to remove it anyway",
            errors=[_usage_error(i, u) for i, u in enumerate(users)],
        )
    await registry.delete_server(session=session, row=server)


def _credential(entry: CatalogEntry, data: InstallRequest) -> str | None:
    """The one bearer secret the entry needs, or 422 naming the missing or unknown field."""
    wanted = [] if entry.bundled else entry.credentials
    errors = [
        {"path": f"/body/credentials/{name}", "message": "no such credential"}
        for name in sorted(set(data.credentials) - {c.name for c in wanted})
    ]
    secret = None
    for credential in wanted:
        given = data.credentials.get(credential.name)
        value = given.get_secret_value().strip() if given is not None else ""
        if value:
            secret = value
        elif credential.required:
            errors.append({"path": f"/body/credentials/{credential.name}", "message": "required"})
    if errors:
        raise ValidationFailed("invalid credentials", errors=errors)
    return secret


def _usage_error(index: int, use: dict[str, Any]) -> dict[str, Any]:
    return {
        "path": f"/agents/{index}",
        "message": f"{use['agent_name']} {use['version']} uses {', '.join(use['tools'])}",
        "agent_id": str(use["agent_id"]),
        "agent_name": use["agent_name"],
        "version_id": str(use["version_id"]),
        "version": use["version"],
        "tools": use["tools"],
    }
