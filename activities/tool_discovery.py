"""Discovery and health checks: what a topic server offers now, recorded on its rows.

They talk to tenants' MCP servers, so they run on workers (``ToolServerCheck`` workflow);
the API only starts them and reads the rows they wrote.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession
from temporalio import activity

from activities import mcp_client as client
from platform_core.crypto import KeyRing
from platform_core.db import Database
from platform_core.models import MCPTool, MCPTopicServer
from platform_core.outbound import OutboundPolicy, UnsafeOutboundUrl
from platform_core.tool_credentials import open_credential, scrub
from temporal_workflows import contracts as c

MAX_ERROR_CHARS = 500


@dataclass
class DiscoveryChanges:
    """Tool names added, updated and deactivated by one discovery."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)


def failure_text(exc: BaseException, secret: str | None) -> str:
    """A short, secret-free description of why talking to a server failed."""
    if isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        return failure_text(exc.exceptions[0], secret)
    text = str(exc) or type(exc).__name__
    return scrub(f"{type(exc).__name__}: {text}", secret)[:MAX_ERROR_CHARS]


def _mark(row: MCPTopicServer, error: str | None) -> None:
    now = datetime.now(UTC)
    row.last_health_check = now
    row.updated_at = now
    row.last_error = error
    if error is not None:
        row.status = "error"
    elif row.status == "error":
        row.status = "active"


async def discover(
    *, session: AsyncSession, row: MCPTopicServer, ring: KeyRing, policy: OutboundPolicy
) -> DiscoveryChanges:
    """List the server's tools into MCPTool rows; tools that vanished become inactive.

    A server that cannot be reached is marked ``error`` (with the reason) and its tools
    are left as they were: one failed check must not unbind every agent's tools.
    """
    secret = open_credential(row, ring)
    changes = DiscoveryChanges()
    try:
        listed = await client.list_tools(row.endpoint_url, policy=policy, credential=secret)
    except UnsafeOutboundUrl as exc:
        _mark(row, str(exc))
        await session.flush()
        return changes
    except Exception as exc:  # any transport or protocol failure is the server's state
        _mark(row, failure_text(exc, secret))
        await session.flush()
        return changes
    existing = {
        t.name: t
        for t in (
            await session.execute(select(MCPTool).where(col(MCPTool.topic_server_id) == row.id))
        ).scalars()
    }
    now = datetime.now(UTC)
    for tool in listed:
        manifest = {"input_schema": tool.input_schema}
        current = existing.pop(tool.name, None)
        if current is None:
            session.add(
                MCPTool(
                    tenant_id=row.tenant_id,
                    name=tool.name,
                    version=tool.version or "1.0.0",
                    description=tool.description,
                    tool_type="mcp",
                    manifest=manifest,
                    server_endpoint=row.endpoint_url,
                    topic_server_id=row.id,
                    tags=tool.tags,
                )
            )
            changes.added.append(tool.name)
            continue
        current.manifest = manifest
        current.description = tool.description
        current.version = tool.version or current.version
        current.server_endpoint = row.endpoint_url
        # Developer-set tags survive; the server's own are merged in.
        current.tags = sorted(set(current.tags or []) | set(tool.tags))
        if current.status == "inactive":
            current.status = "active"
        current.updated_at = now
        changes.updated.append(tool.name)
    for gone in existing.values():
        if gone.status != "inactive":
            gone.status = "inactive"
            gone.updated_at = now
            changes.deactivated.append(gone.name)
    row.tool_count = len(listed)
    _mark(row, None)
    await session.flush()
    return changes


async def check_health(
    *, session: AsyncSession, row: MCPTopicServer, ring: KeyRing, policy: OutboundPolicy
) -> MCPTopicServer:
    """Ping the server and record the outcome (status, last_health_check, last_error)."""
    secret = open_credential(row, ring)
    try:
        await client.ping(row.endpoint_url, policy=policy, credential=secret)
    except Exception as exc:  # unreachable, refused, unsafe: all mean "not healthy"
        _mark(row, failure_text(exc, secret))
    else:
        _mark(row, None)
    await session.flush()
    return row


class ToolDiscoveryActivities:
    """Built once by the worker with the database, the key ring and the outbound policy."""

    def __init__(self, database: Database, ring: KeyRing, policy: OutboundPolicy) -> None:
        self._db = database
        self._ring = ring
        self._policy = policy

    @activity.defn(name=c.CHECK_TOOL_SERVER_ACTIVITY)
    async def check_server(self, params: c.ToolServerCheckInput) -> c.ToolServerCheckResult:
        """Discover the server's tools or ping it, and record the outcome on its rows."""
        async with self._db.tenant_session(params.tenant_id) as session:
            row = await session.get(MCPTopicServer, uuid.UUID(params.server_id))
            if row is None:
                return c.ToolServerCheckResult(error="the server no longer exists")
            if params.mode == "health":
                await check_health(session=session, row=row, ring=self._ring, policy=self._policy)
                return c.ToolServerCheckResult(error=row.last_error)
            changes = await discover(session=session, row=row, ring=self._ring, policy=self._policy)
            return c.ToolServerCheckResult(
                added=changes.added,
                updated=changes.updated,
                deactivated=changes.deactivated,
                error=row.last_error if row.status == "error" else None,
            )
