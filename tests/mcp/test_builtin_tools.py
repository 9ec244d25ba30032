"""The bundled tool server over HTTP with fastmcp's own Client: every tool, and its limits."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
import uvicorn
from fastmcp.exceptions import ToolError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from agentpaas.runtime.ports import free_port
from tests.conftest import HASHING_MODEL
from tests.helpers import Platform, serve
from tests.knowledge_helpers import create_kb, new_tenant, upload, wait_settled
from tests.mcp.mcp_helpers import auth, initialize_status, mcp_client, new_key

PAGE = "Plain text from the allow-listed test server.\n"


@contextlib.asynccontextmanager
async def web_server() -> AsyncIterator[int]:
    """A local HTTP server with text, JSON, a binary body and a redirect to the metadata IP."""

    async def hello(_: Request) -> Response:
        return PlainTextResponse(PAGE)

    async def big(_: Request) -> Response:
        return PlainTextResponse("x" * 50_000)

    async def data(_: Request) -> Response:
        return JSONResponse({"answer": 42})

    async def image(_: Request) -> Response:
        return Response(b"\x89PNG\r\n\x1a\n" + bytes(64), media_type="image/png")

    async def to_metadata(_: Request) -> Response:
        return RedirectResponse("http://169.254.169.254/latest/meta-data/", status_code=302)

    app = Starlette(
        routes=[
            Route("/hello", hello),
            Route("/big", big),
            Route("/data", data),
            Route("/image", image),
            Route("/redirect", to_metadata),
        ]
    )
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    try:
        yield port
    finally:
        server.should_exit = True
        await task


async def test_calculator_and_current_time(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    key, _ = await new_key(platform, admin_token, ["tools:call"])
    async with serve(platform, database_urls.app_url) as base:
        async with mcp_client(f"{base}/mcp/tools/", key) as client:
            tools = {t.name: t for t in await client.list_tools()}
            assert set(tools) == {"calculator", "current_time", "search_knowledge", "http_get"}
            assert all(t.description and t.annotations for t in tools.values())
            assert tools["calculator"].annotations.readOnlyHint is True
            assert tools["http_get"].annotations.openWorldHint is True
            assert tools["search_knowledge"].inputSchema["required"] == ["query"]

            async def calc(expression: str) -> Any:
                result = await client.call_tool("calculator", {"expression": expression})
                assert result.structured_content is not None
                return result.structured_content["result"]

            assert await calc("2 * (3 + 4) ** 2") == 98
            assert await calc("-2 ** 2 + 7 // 2 + 7 % 4") == 2
            assert await calc("round(sqrt(16) + cos(0) * pi, 4)") == 7.1416
            assert await calc("log(e) + abs(-1.5)") == 2.5
            for bad in (
                "__import__('os')",
                "().__class__",
                "open('/etc/passwd')",
                "1/0",
                "9**9**9",
            ):
                with pytest.raises(ToolError):
                    await calc(bad)

            shanghai = await client.call_tool("current_time", {"timezone": "Asia/Shanghai"})
            assert shanghai.structured_content is not None
            assert shanghai.structured_content["utc_offset"] == "+08:00"
            assert shanghai.structured_content["iso"].endswith("+08:00")
            utc = await client.call_tool("current_time", {})
            assert utc.structured_content and utc.structured_content["timezone"] == "UTC"
            with pytest.raises(ToolError, match="unknown time zone"):
                await client.call_tool("current_time", {"timezone": "Mars/Olympus_Mons"})


async def test_tools_need_a_key_with_the_tools_scope(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    good, _ = await new_key(platform, admin_token, ["tools:call"])
    agents_only, _ = await new_key(platform, admin_token, ["agent:execute"])
    async with serve(platform, database_urls.app_url) as base:
        url = f"{base}/mcp/tools/"
        assert await initialize_status(url, auth(good)) == 200
        assert await initialize_status(url, {}) == 401
        assert await initialize_status(url, auth("apk_not-a-real-key")) == 401
        assert await initialize_status(url, auth(agents_only)) == 403


async def test_http_get_obeys_the_ssrf_rules_and_the_allow_list(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    key, _ = await new_key(platform, admin_token, ["tools:call"])
    async with web_server() as port:
        local = f"http://127.0.0.1:{port}"
        # Without an allow-list: loopback, metadata and private ranges are refused.
        strict = platform.settings.model_copy(update={"outbound_allow_list": []})
        async with serve(platform, database_urls.app_url, strict) as base:
            async with mcp_client(f"{base}/mcp/tools/", key) as client:
                for url in (
                    f"{local}/hello",
                    "http://169.254.169.254/latest/meta-data/",
                    "http://10.1.2.3/",
                    "http://192.168.0.1/",
                    "http://localhost:1/",
                    "file:///etc/passwd",
                ):
                    with pytest.raises(ToolError, match="refused"):
                        await client.call_tool("http_get", {"url": url})

        allowed = platform.settings.model_copy(
            update={"outbound_allow_list": [f"127.0.0.1:{port}"]}
        )
        async with serve(platform, database_urls.app_url, allowed) as base:
            async with mcp_client(f"{base}/mcp/tools/", key) as client:
                progress: list[float] = []

                async def on_progress(value: float, total: float | None, _: str | None) -> None:
                    progress.append(value)

                page = await client.call_tool(
                    "http_get", {"url": f"{local}/hello"}, progress_handler=on_progress
                )
                assert page.structured_content is not None
                assert page.structured_content["text"] == PAGE
                assert page.structured_content["status_code"] == 200
                assert page.structured_content["truncated"] is False
                assert progress and progress[-1] == len(PAGE)

                data = await client.call_tool("http_get", {"url": f"{local}/data"})
                assert data.structured_content and '"answer":42' in data.structured_content["text"]

                cut = await client.call_tool("http_get", {"url": f"{local}/big", "max_bytes": 1000})
                assert cut.structured_content is not None
                assert cut.structured_content["truncated"] is True
                assert len(cut.structured_content["text"]) == 1000

                with pytest.raises(ToolError, match="only text"):
                    await client.call_tool("http_get", {"url": f"{local}/image"})
                # The allow-listed server cannot bounce the fetch to the metadata address.
                with pytest.raises(ToolError, match="refused.*metadata"):
                    await client.call_tool("http_get", {"url": f"{local}/redirect"})
                # The allow-list names this port only: the API's own port stays refused.
                with pytest.raises(ToolError, match="refused"):
                    await client.call_tool("http_get", {"url": f"{base}/api/v1/health"})
                with pytest.raises(ToolError):
                    await client.call_tool("http_get", {"url": f"{local}/hello", "max_bytes": 0})


async def test_search_knowledge_sees_only_the_callers_tenant(
    platform: Platform, database_urls: Any
) -> None:
    client = platform.client
    _, token_a = await new_tenant(database_urls.admin_url, client)
    _, token_b = await new_tenant(database_urls.admin_url, client)
    settings = {"embedding_model": HASHING_MODEL, "embedding_dimension": 512}
    kb_a = await create_kb(client, token_a, name="handbook", **settings)
    kb_b = await create_kb(client, token_b, name="handbook", **settings)
    await upload(client, token_a, kb_a["id"], "a.txt", b"Tenant A stores the lighthouse keys.")
    await upload(client, token_b, kb_b["id"], "b.txt", b"Tenant B stores the lighthouse keys.")
    await wait_settled(client, token_a, kb_a["id"])
    await wait_settled(client, token_b, kb_b["id"])
    key_a, _ = await new_key(platform, token_a, ["tools:call"])

    async with serve(platform, database_urls.app_url) as base:
        async with mcp_client(f"{base}/mcp/tools/", key_a) as mcp:
            everywhere = await mcp.call_tool(
                "search_knowledge", {"query": "lighthouse keys", "top_k": 50}
            )
            named = await mcp.call_tool(
                "search_knowledge", {"query": "lighthouse keys", "knowledge_base": "handbook"}
            )
            by_id = await mcp.call_tool(
                "search_knowledge", {"query": "lighthouse keys", "knowledge_base": kb_a["id"]}
            )
            with pytest.raises(ToolError, match="no knowledge base"):
                await mcp.call_tool(
                    "search_knowledge", {"query": "lighthouse keys", "knowledge_base": kb_b["id"]}
                )
    for result in (everywhere, named, by_id):
        passages = (result.structured_content or {})["passages"]
        assert [p["source"] for p in passages] == ["a.txt"]
        assert "Tenant A" in passages[0]["text"]
        assert passages[0]["metadata"]["knowledge_base_id"] == kb_a["id"]
