"""``agentpaas dev``: the bundled tool server, registered for the demo tenant out of the box.

The demo tenant gets a ``tools:call`` API key (owned by its admin, sealed as the
server's credential) and a topic server ``agentpaas-tools`` pointing at the API's own
``/mcp/tools/``. Its tools are discovered once the API answers, so the ``tool_agent``
template can call the calculator, the clock, the knowledge search and HTTP GET.
A later start reuses the key while it still works and issues a new one otherwise.
"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import Callable

from pydantic import SecretStr
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from activities import tool_discovery as discovery
from platform_api.apikeys.schemas import ApiKeyCreate
from platform_api.apikeys.service import authenticate_key, create_key
from platform_api.errors import DomainError
from platform_api.mcp.builtin_tools import TOOLS_SCOPE
from platform_api.mcp.mount import TOOLS_PATH
from platform_api.tools import service
from platform_api.tools.schemas import ToolServerCreate
from platform_core.crypto import KeyRing, key_ring_from_settings
from platform_core.db import Database
from platform_core.models import MCPTopicServer, User
from platform_core.outbound import OutboundPolicy
from platform_core.settings import Settings
from platform_core.tool_credentials import open_credential, seal

logger = logging.getLogger(__name__)

SERVER_ID = "agentpaas-tools"
KEY_NAME = "bundled MCP tools (agentpaas dev)"
ALLOW_LIST_ENV = "AGENTPAAS_OUTBOUND_ALLOW_LIST"


def bundled_tools_url(settings: Settings) -> str:
    """Where the API serves the bundled tools, as the worker reaches it (loopback)."""
    return f"http://127.0.0.1:{settings.api_port}{TOOLS_PATH}/"


def allow_bundled_tools(settings: Settings) -> None:
    """Allow-list the API's own loopback port, and nothing else of loopback, for outbound calls.

    The worker reads the process-wide settings (``get_settings()``, the object ``dev`` runs
    with) and the environment, so both are updated.
    """
    entry = f"127.0.0.1:{settings.api_port}"
    if entry not in settings.outbound_allow_list:
        settings.outbound_allow_list = [*settings.outbound_allow_list, entry]
    os.environ[ALLOW_LIST_ENV] = ",".join(settings.outbound_allow_list)


async def prepare_bundled_tools(
    *, admin_url: str, settings: Settings, tenant_id: uuid.UUID
) -> bool:
    """In development: allow-list and register the bundled tools; False when not done."""
    if settings.environment != "development":
        return False
    allow_bundled_tools(settings)
    try:
        await register_bundled_tools(admin_url=admin_url, settings=settings, tenant_id=tenant_id)
    except DomainError as exc:  # the platform runs on without them; say why
        logger.warning("bundled tools not registered: %s", exc.detail)
        return False
    return True


async def register_bundled_tools(
    *, admin_url: str, settings: Settings, tenant_id: uuid.UUID
) -> None:
    """Create (or repair) the demo tenant's key and topic server for the bundled tools."""
    ring = key_ring_from_settings(settings)
    database = Database(admin_url, connections=2)
    try:
        async with database.tenant_session(tenant_id) as session:
            row = await _server(session, tenant_id)
            if row is None:
                key = await _new_key(session, settings, tenant_id)
                await service.create_server(
                    session=session,
                    tenant_id=tenant_id,
                    data=ToolServerCreate(
                        server_id=SERVER_ID,
                        name="AgentPaaS bundled tools",
                        description="calculator, current_time, search_knowledge, http_get",
                        endpoint_url=bundled_tools_url(settings),
                        credential=SecretStr(key),
                    ),
                    ring=ring,
                    policy=OutboundPolicy.from_settings(settings),
                )
                return
            row.endpoint_url = bundled_tools_url(settings)  # the API port may have moved
            if not await _key_still_works(database, row, ring):
                seal(row, ring, await _new_key(session, settings, tenant_id))
            session.add(row)
    finally:
        await database.dispose()


async def discover_when_serving(
    *,
    admin_url: str,
    settings: Settings,
    tenant_id: uuid.UUID,
    is_serving: Callable[[], bool],
    timeout: float = 60.0,
) -> None:
    """Once the API answers, list the bundled tools into the demo tenant's registry."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not is_serving():
        if loop.time() > deadline:
            logger.warning("the API did not start; bundled tools were not discovered")
            return
        await asyncio.sleep(0.1)
    database = Database(admin_url, connections=2)
    try:
        async with database.tenant_session(tenant_id) as session:
            row = await _server(session, tenant_id)
            if row is None:
                return
            changes = await discovery.discover(
                session=session,
                row=row,
                ring=key_ring_from_settings(settings),
                policy=OutboundPolicy.from_settings(settings),
            )
            if row.status == "error":
                logger.warning("bundled tools not discovered: %s", row.last_error)
            else:
                logger.info("bundled tools discovered: %s", changes.added + changes.updated)
    finally:
        await database.dispose()


async def _server(session: AsyncSession, tenant_id: uuid.UUID) -> MCPTopicServer | None:
    found: MCPTopicServer | None = (
        await session.execute(
            select(MCPTopicServer).where(
                col(MCPTopicServer.tenant_id) == tenant_id,
                col(MCPTopicServer.server_id) == SERVER_ID,
            )
        )
    ).scalar_one_or_none()
    return found


async def _new_key(session: AsyncSession, settings: Settings, tenant_id: uuid.UUID) -> str:
    """A ``tools:call`` key of the demo admin (the tenant the tools act for)."""
    admin = (
        await session.execute(
            select(User).where(
                col(User.tenant_id) == tenant_id, col(User.email) == settings.demo_admin_email
            )
        )
    ).scalar_one()
    _, key = await create_key(
        session=session,
        tenant_id=tenant_id,
        user_id=admin.id,
        data=ApiKeyCreate(name=KEY_NAME, scopes=[TOOLS_SCOPE]),
    )
    return key


async def _key_still_works(database: Database, row: MCPTopicServer, ring: KeyRing) -> bool:
    try:
        key = open_credential(row, ring)
    except Exception:  # sealed under a master key this process no longer has
        return False
    if key is None:
        return False
    try:
        _, scopes = await authenticate_key(database=database, token=key)
    except DomainError:
        return False
    return TOOLS_SCOPE in scopes
