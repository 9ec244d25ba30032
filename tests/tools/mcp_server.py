"""A real fastmcp server over streamable HTTP for the tests, with its own call counter.

The counter is kept by fastmcp middleware, which sees every ``tools/call`` request the
server receives before the tool's own argument validation: a call the platform refused
never shows up here.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from fastmcp import Context, FastMCP
from fastmcp.exceptions import ToolError
from fastmcp.server.middleware import Middleware, MiddlewareContext

from tests.helpers import serve_asgi

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class CallCounter(Middleware):
    """Counts tools/call requests by tool name, as the server receives them."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()

    async def on_call_tool(self, context: MiddlewareContext[Any], call_next: Any) -> Any:
        """Count, then let the server validate and run the call."""
        self.calls[context.message.name] += 1
        return await call_next(context)


def build_server(name: str = "test-tools") -> tuple[FastMCP, CallCounter]:
    """The test tools: arithmetic, search, e-mail, slow with progress, big and failing."""
    mcp = FastMCP(name)
    counter = CallCounter()
    mcp.add_middleware(counter)

    @mcp.tool(tags={"math"}, meta={"version": "2.1.0"})
    def add(a: int, b: int) -> int:
        """Add two integers."""
        return a + b

    @mcp.tool(tags={"search"})
    def web_search(query: str, max_results: int = 5) -> dict[str, Any]:
        """Search a fixed corpus (deterministic)."""
        hits = [
            {"title": f"Result {i + 1} for {query}", "url": f"https://example.org/{i}"}
            for i in range(min(max_results, 3))
        ]
        return {"query": query, "hits": hits}

    @mcp.tool
    def send_email(to: str = "team@example.org", subject: str = "", body: str = "") -> str:
        """Pretend to send an e-mail (nothing leaves the test)."""
        return f"sent to {to}"

    @mcp.tool
    async def slow(ctx: Context, seconds: float = 1.0, steps: int = 3) -> str:
        """Sleep in steps, reporting progress after each."""
        for step in range(steps):
            await asyncio.sleep(seconds / steps)
            await ctx.report_progress(step + 1, steps, f"step {step + 1} of {steps}")
        return f"slept {seconds} s"

    @mcp.tool
    def big(size: int) -> str:
        """A text of ``size`` characters."""
        return "x" * size

    @mcp.tool
    def fail(reason: str = "broken") -> str:
        """Always reports a tool error."""
        raise ToolError(f"tool failed: {reason}")

    return mcp, counter


def bearer_required(app: Any, token: str) -> Any:
    """Wrap an ASGI app so requests without ``Authorization: Bearer <token>`` get 401."""

    async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = dict(scope.get("headers") or [])
            if headers.get(b"authorization") != f"Bearer {token}".encode():
                await send({"type": "http.response.start", "status": 401, "headers": []})
                await send({"type": "http.response.body", "body": b"unauthorized"})
                return
        await app(scope, receive, send)

    return guarded


def redirect_to(location: str) -> Any:
    """An ASGI app answering every request with a 307 to ``location``."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        await send(
            {
                "type": "http.response.start",
                "status": 307,
                "headers": [(b"location", location.encode())],
            }
        )
        await send({"type": "http.response.body", "body": b""})

    return app


@dataclass
class RunningServer:
    """A server listening on 127.0.0.1."""

    url: str
    counter: CallCounter | None = None
    mcp: FastMCP | None = None

    @property
    def calls(self) -> Counter[str]:
        """Calls received by tool name."""
        assert self.counter is not None
        return self.counter.calls


@contextlib.asynccontextmanager
async def running_tool_server(
    name: str = "test-tools", *, token: str | None = None
) -> AsyncIterator[RunningServer]:
    """The test tools served over streamable HTTP (optionally behind a bearer token)."""
    mcp, counter = build_server(name)
    http_app = mcp.http_app()
    app = bearer_required(http_app, token) if token else http_app
    # The guard passes lifespan events through: the MCP session manager must start.
    async with serve_asgi(app, path="/mcp") as url:
        yield RunningServer(url=url, counter=counter, mcp=mcp)


async def register_tool_server(
    database: Any,
    settings: Any,
    tenant_id: Any,
    url: str,
    *,
    server_id: str,
    agent_version_id: Any = None,
    credential: str | None = None,
) -> Any:
    """Register and discover a server for a tenant through the registry's own services."""
    from pydantic import SecretStr

    from activities import tool_discovery as discovery
    from platform_api.tools import service
    from platform_api.tools.schemas import ToolServerCreate
    from platform_core.crypto import key_ring_from_settings
    from platform_core.outbound import OutboundPolicy

    ring = key_ring_from_settings(settings)
    policy = OutboundPolicy.from_settings(settings)
    async with database.tenant_session(tenant_id) as session:
        row = await service.create_server(
            session=session,
            tenant_id=tenant_id,
            data=ToolServerCreate(
                server_id=server_id,
                name=server_id,
                endpoint_url=url,
                agent_version_id=agent_version_id,
                credential=SecretStr(credential) if credential else None,
            ),
            ring=ring,
            policy=policy,
        )
        await discovery.discover(session=session, row=row, ring=ring, policy=policy)
        assert row.status == "active", row.last_error
        return row
