"""A thin wrapper on fastmcp's Client for discovery, health checks and tool calls (all on workers).

Every connection goes through the SSRF rules twice: the URL is checked before the
client is built, and the guarded httpx client re-checks every request (redirects too).
"""

from __future__ import annotations

import datetime
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from fastmcp import Client
from fastmcp.client.progress import ProgressHandler
from fastmcp.client.transports import StreamableHttpTransport
from mcp import types as mcp_types

from platform_core.outbound import (
    OutboundPolicy,
    check_outbound_url,
    guarded_httpx_client_factory,
)

# Connecting and listing must not hang a request or a health check.
CONNECT_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class DiscoveredTool:
    """One tool as a server lists it."""

    name: str
    description: str | None
    input_schema: dict[str, Any]
    version: str | None = None
    tags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ToolCallOutcome:
    """A finished call: the content for the model, and whether the tool reported an error."""

    content: Any
    is_error: bool


@asynccontextmanager
async def connect(
    url: str,
    *,
    policy: OutboundPolicy,
    credential: str | None = None,
    timeout: float = CONNECT_TIMEOUT_SECONDS,
    progress_handler: ProgressHandler | None = None,
) -> AsyncIterator[Client[StreamableHttpTransport]]:
    """An open fastmcp client of the server at ``url`` (streamable HTTP).

    Raises ``UnsafeOutboundUrl`` before any connection when the URL is not allowed.
    """
    await check_outbound_url(url, policy)
    transport = StreamableHttpTransport(
        url, auth=credential, httpx_client_factory=guarded_httpx_client_factory(policy)
    )
    client = Client(
        transport,
        timeout=datetime.timedelta(seconds=timeout),
        init_timeout=CONNECT_TIMEOUT_SECONDS,
        progress_handler=progress_handler,
    )
    async with client:
        yield client


def discovered(tool: mcp_types.Tool) -> DiscoveredTool:
    """The registry's view of a listed tool: schema, description, version and tags."""
    meta: dict[str, Any] = dict(tool.meta or {})
    nested = meta.get("fastmcp")
    fastmcp_meta: dict[str, Any] = nested if isinstance(nested, dict) else {}
    tags = [str(t) for t in (meta.get("tags") or fastmcp_meta.get("tags") or [])]
    version = meta.get("version") or fastmcp_meta.get("version")
    return DiscoveredTool(
        name=tool.name,
        description=tool.description,
        input_schema=dict(tool.input_schema or {"type": "object"}),
        version=str(version)[:50] if version else None,
        tags=sorted(set(tags)),
    )


async def list_tools(
    url: str, *, policy: OutboundPolicy, credential: str | None = None
) -> list[DiscoveredTool]:
    """The tools the server offers now."""
    async with connect(url, policy=policy, credential=credential) as client:
        return [discovered(t) for t in await client.list_tools()]


async def ping(url: str, *, policy: OutboundPolicy, credential: str | None = None) -> None:
    """Connect and make one real request (tools/list); raises on any failure.

    Not the protocol's ``ping``: servers speaking the newer protocol versions answer it
    with "method not found", and a server that lists its tools is demonstrably usable.
    """
    async with connect(url, policy=policy, credential=credential) as client:
        await client.list_tools()


def outcome_of(result: Any) -> ToolCallOutcome:
    """Structured content when the tool gave some (unwrapped), else the text blocks."""
    if result.is_error:
        texts = [b.text for b in result.content if isinstance(b, mcp_types.TextContent)]
        return ToolCallOutcome("\n".join(texts) or "the tool reported an error", True)
    if result.structured_content is not None:
        data = result.data
        plain = (
            data
            if isinstance(data, str | int | float | bool | list | dict) or data is None
            else None
        )
        return ToolCallOutcome(plain if plain is not None else result.structured_content, False)
    blocks: list[Any] = []
    for block in result.content:
        if isinstance(block, mcp_types.TextContent):
            blocks.append(block.text)
        else:
            blocks.append(block.model_dump(mode="json", exclude_none=True))
    if len(blocks) == 1 and isinstance(blocks[0], str):
        return ToolCallOutcome(blocks[0], False)
    return ToolCallOutcome(blocks, False)
