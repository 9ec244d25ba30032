"""Serving the MCP servers from the API: ``/mcp/agents/`` and ``/mcp/tools/``.

Each fastmcp app has its own lifespan (it runs the streamable-HTTP session manager);
Starlette does not run a mounted app's lifespan, so ``mcp_lifespan`` enters them from
the API's own lifespan.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI
from fastmcp.server.http import StarletteWithLifespan

from platform_api.api.state import AppServices
from platform_api.mcp.agents_server import build_agents_server
from platform_api.mcp.builtin_tools import build_tools_server

AGENTS_PATH = "/mcp/agents"
TOOLS_PATH = "/mcp/tools"


def mount_mcp(app: FastAPI, services: AppServices) -> None:
    """Mount both MCP servers (stateless streamable HTTP) and remember them for the lifespan."""
    apps: list[StarletteWithLifespan] = []
    for prefix, server in (
        (AGENTS_PATH, build_agents_server(services)),
        (TOOLS_PATH, build_tools_server(services)),
    ):
        # Stateless: every request carries its key and is checked again, and any API
        # replica can answer any request (no session affinity behind a load balancer).
        mcp_app = server.http_app(path="/", stateless_http=True)
        app.mount(prefix, mcp_app, name=prefix.strip("/").replace("/", "-"))
        apps.append(mcp_app)
    app.state.mcp_apps = apps


@asynccontextmanager
async def mcp_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Run the mounted MCP apps' lifespans for as long as the API runs."""
    async with AsyncExitStack() as stack:
        for mcp_app in getattr(app.state, "mcp_apps", []):
            await stack.enter_async_context(mcp_app.lifespan(mcp_app))
        yield
