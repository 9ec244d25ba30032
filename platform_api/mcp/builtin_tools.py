"""The bundled MCP tool server: calculator, current time, knowledge search and HTTP GET.

Served by the API itself under ``/mcp/tools/`` and registered for the demo tenant by
``agentpaas dev``, so tool-using templates work out of the box. Every call carries a
tenant's API key (scope ``tools:call``); ``search_knowledge`` searches that tenant's
knowledge bases only, through the same search workflow a ``rag`` node runs, and
``http_get`` obeys the platform's SSRF rules, redirects included.
"""

from __future__ import annotations

import asyncio
import uuid
import zoneinfo
from datetime import UTC, datetime
from typing import Annotated, Any

import httpx
from fastmcp import Context, FastMCP
from fastmcp.exceptions import ToolError
from mcp.types import ToolAnnotations
from pydantic import BaseModel, Field
from sqlmodel import col, select

from platform_api.api.state import AppServices
from platform_api.errors import DomainError
from platform_api.knowledge import jobs
from platform_api.mcp.auth import ApiKeyVerifier, current_caller
from platform_api.mcp.calculator import CalculationError, calculate
from platform_core.models import KnowledgeBase
from platform_core.outbound import (
    OutboundPolicy,
    UnsafeOutboundUrl,
    check_outbound_url,
    guarded_httpx_client_factory,
)
from temporal_workflows import contracts as c

TOOLS_SCOPE = "tools:call"
HTTP_TIMEOUT_SECONDS = 15.0
HTTP_MAX_BYTES = 1_000_000
HTTP_MAX_REDIRECTS = 5
# Bodies an agent can read as text; images, archives and binaries are refused.
TEXT_TYPES = ("text/", "application/json", "application/xml", "application/xhtml+xml")
TEXT_SUFFIXES = ("+json", "+xml")

READ_ONLY = ToolAnnotations(
    readOnlyHint=True, destructiveHint=False, idempotentHint=True, openWorldHint=False
)


class Calculation(BaseModel):
    """An expression and its value."""

    expression: str
    result: int | float


class CurrentTime(BaseModel):
    """The current time in one zone."""

    timezone: str
    iso: str = Field(description="ISO 8601 with the zone's UTC offset.")
    utc_offset: str
    weekday: str
    unix: float


class KnowledgePassage(BaseModel):
    """A retrieved chunk with where it comes from."""

    text: str
    source: str | None
    title: str | None
    score: float | None
    metadata: dict[str, Any]


class KnowledgeHits(BaseModel):
    """Passages best first."""

    query: str
    passages: list[KnowledgePassage]


class HttpPage(BaseModel):
    """A fetched text resource."""

    url: str = Field(description="The final URL, after redirects.")
    status_code: int
    content_type: str
    text: str
    bytes_read: int
    truncated: bool


def calculator(
    expression: Annotated[
        str,
        Field(
            min_length=1,
            max_length=500,
            description="Arithmetic such as '2 * (3 + 4) ** 2' or 'sqrt(2) * pi'.",
        ),
    ],
) -> Calculation:
    """Evaluate an arithmetic expression exactly and safely.

    Numbers, + - * / // % **, parentheses, unary minus, the functions sqrt, log, log10,
    exp, sin, cos, tan, abs, round, floor, ceil, min, max and the constants pi, e, tau.
    Anything else (names, attributes, strings) is refused.
    """
    try:
        return Calculation(expression=expression, result=calculate(expression))
    except CalculationError as exc:
        raise ToolError(str(exc)) from exc


def current_time(
    timezone: Annotated[
        str,
        Field(
            min_length=1,
            max_length=64,
            description="An IANA time zone such as 'UTC', 'Europe/Paris' or 'Asia/Shanghai'.",
        ),
    ] = "UTC",
) -> CurrentTime:
    """The current date and time in an IANA time zone."""
    try:
        zone = zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ToolError(
            f"unknown time zone {timezone!r}; use an IANA name such as 'Europe/Paris'"
        ) from exc
    now = datetime.now(UTC).astimezone(zone)
    offset = now.strftime("%z")
    return CurrentTime(
        timezone=timezone,
        iso=now.isoformat(),
        utc_offset=f"{offset[:3]}:{offset[3:]}" if offset else "+00:00",
        weekday=now.strftime("%A"),
        unix=now.timestamp(),
    )


class TenantTools:
    """The tools that need the platform's services and the caller's tenant."""

    def __init__(self, services: AppServices) -> None:
        self._services = services

    async def search_knowledge(
        self,
        query: Annotated[str, Field(min_length=1, max_length=4000, description="What to find.")],
        knowledge_base: Annotated[
            str | None,
            Field(
                max_length=255,
                description="A knowledge base name or id; all of the tenant's when omitted.",
            ),
        ] = None,
        top_k: Annotated[int, Field(ge=1, le=50, description="How many passages.")] = 5,
    ) -> KnowledgeHits:
        """Search the caller's knowledge bases; passages best first, with their sources."""
        caller = current_caller()
        ids = await self._knowledge_base_ids(caller.tenant_id, knowledge_base)
        try:
            result = await jobs.run_search(
                client=await self._services.temporal(),
                settings=self._services.settings,
                request=c.KnowledgeSearchInput(
                    tenant_id=str(caller.tenant_id),
                    query=query,
                    knowledge_base_ids=ids,
                    top_k=top_k,
                ),
            )
        except DomainError as exc:
            raise ToolError(exc.detail) from exc
        return KnowledgeHits(
            query=query,
            passages=[KnowledgePassage.model_validate(p) for p in result.passages],
        )

    async def _knowledge_base_ids(self, tenant_id: uuid.UUID, named: str | None) -> list[str]:
        """The named base's id in the caller's tenant (RLS), or [] for all of them."""
        if named is None or not named.strip():
            return []
        condition = col(KnowledgeBase.name) == named.strip()
        try:
            condition = condition | (col(KnowledgeBase.id) == uuid.UUID(named.strip()))
        except ValueError:
            pass
        async with self._services.database.tenant_session(tenant_id) as session:
            found = (await session.execute(select(KnowledgeBase.id).where(condition))).first()
        if found is None:
            raise ToolError(f"no knowledge base {named!r}")
        return [str(found[0])]

    async def http_get(
        self,
        url: Annotated[
            str, Field(min_length=1, max_length=2048, description="An http(s) URL to fetch.")
        ],
        ctx: Context,
        max_bytes: Annotated[
            int, Field(ge=1, le=HTTP_MAX_BYTES, description="Stop reading after this many bytes.")
        ] = 100_000,
    ) -> HttpPage:
        """Fetch a text resource (HTML, plain text, JSON, XML) over HTTP(S).

        Private, loopback, link-local and cloud-metadata addresses are refused unless the
        operator allow-lists them, on every redirect hop too.
        """
        policy = OutboundPolicy.from_settings(self._services.settings)
        try:
            await check_outbound_url(url, policy)
            async with asyncio.timeout(HTTP_TIMEOUT_SECONDS):
                return await self._fetch(url, policy, max_bytes, ctx)
        except UnsafeOutboundUrl as exc:
            raise ToolError(f"refused: {exc}") from exc
        except TimeoutError as exc:
            raise ToolError(f"no complete answer within {HTTP_TIMEOUT_SECONDS:.0f} s") from exc
        except httpx.HTTPError as exc:
            raise ToolError(f"the request failed: {type(exc).__name__}") from exc

    async def _fetch(
        self, url: str, policy: OutboundPolicy, max_bytes: int, ctx: Context
    ) -> HttpPage:
        factory = guarded_httpx_client_factory(policy, client_class=httpx.AsyncClient)
        client: httpx.AsyncClient = factory(
            timeout=httpx.Timeout(HTTP_TIMEOUT_SECONDS), max_redirects=HTTP_MAX_REDIRECTS
        )
        async with (
            client,
            client.stream(
                "GET", url, headers={"Accept": "text/*, application/json, application/xml;q=0.9"}
            ) as response,
        ):
            content_type = response.headers.get("content-type", "")
            media = content_type.split(";", 1)[0].strip().lower()
            if not (media.startswith(TEXT_TYPES) or media.endswith(TEXT_SUFFIXES)):
                raise ToolError(f"only text content is fetched, not {media or 'unknown'!r}")
            declared = response.headers.get("content-length", "")
            total = min(int(declared), max_bytes) if declared.isdigit() else max_bytes
            body = bytearray()
            truncated = False
            async for chunk in response.aiter_bytes():
                room = max_bytes - len(body)
                if len(chunk) > room:
                    body += chunk[:room]
                    truncated = True
                    break
                body += chunk
                await ctx.report_progress(len(body), total, "downloading")
            text = bytes(body).decode(response.charset_encoding or "utf-8", errors="replace")
            return HttpPage(
                url=str(response.url),
                status_code=response.status_code,
                content_type=content_type,
                text=text,
                bytes_read=len(body),
                truncated=truncated,
            )


def build_tools_server(services: AppServices) -> FastMCP:
    """The bundled tool server, answering only API keys with the ``tools:call`` scope."""
    server = FastMCP(
        "agentpaas-tools",
        instructions="Utility tools of AgentPaaS: arithmetic, time, knowledge search, HTTP GET.",
        auth=ApiKeyVerifier(database=services.database, required_scopes=[TOOLS_SCOPE]),
        mask_error_details=True,
    )
    tenant_tools = TenantTools(services)
    server.tool(calculator, annotations=READ_ONLY)
    server.tool(current_time, annotations=READ_ONLY.model_copy(update={"idempotentHint": False}))
    server.tool(tenant_tools.search_knowledge, annotations=READ_ONLY)
    server.tool(
        tenant_tools.http_get,
        annotations=ToolAnnotations(
            readOnlyHint=True, destructiveHint=False, idempotentHint=True, openWorldHint=True
        ),
    )
    return server
