"""One ASGI middleware per request: request id, HTTP metrics and the access log line.

The request's server span is FastAPI's own (its native OpenTelemetry support, which
continues an incoming ``traceparent``); this middleware runs inside it and tags it with
the request id. Pure ASGI (not BaseHTTPMiddleware) so SSE responses stream through
untouched; the route template is read from the scope after routing, so metrics never
label raw paths.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import MutableMapping
from typing import Any

from fastapi.telemetry import TelemetryConfig
from opentelemetry import trace
from starlette.datastructures import MutableHeaders
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from platform_api.observability.context import REQUEST_ID
from platform_api.observability.metrics import (
    HTTP_LATENCY,
    HTTP_REJECTIONS,
    HTTP_REQUESTS,
    SSE_STREAMS,
)

# Scrapes and health probes arrive every few seconds: no spans, and access lines only
# when they fail.
PROBE_PATHS = frozenset({"/metrics", "/api/v1/health"})


def _is_probe(scope: MutableMapping[str, Any]) -> bool:
    return scope.get("path") in PROBE_PATHS


# FastAPI's native telemetry: the server span only (continuing an incoming traceparent,
# query secrets redacted). Metrics are Prometheus's and logs are ours (JSON, redacted);
# without operation spans the request span is current in handlers, so the ids a run
# start puts on "the current span" land on it.
FASTAPI_TELEMETRY: TelemetryConfig = {
    "tracing": True,
    "operation_spans": False,
    "metrics": False,
    "logs": False,
    "exclude": _is_probe,
}
REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_PROBLEM_SLUG = re.compile(r"^[a-z0-9-]{1,48}$")
UNMATCHED_ROUTE = "<unmatched>"

access_log = logging.getLogger("agentpaas.access")


def route_template(scope: Scope) -> str:
    """The matched route's template (``/api/v1/executions/{execution_id}``), bounded."""
    route = scope.get("route")
    if isinstance(route, Mount):
        return f"{route.path}/{{path}}"
    path = getattr(route, "path", None)
    return path if isinstance(path, str) and path else UNMATCHED_ROUTE


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            candidate = bytes(value).decode("latin-1")
            if _VALID_REQUEST_ID.match(candidate):
                return candidate
    return uuid.uuid4().hex


def _problem_slug(body: bytes) -> str:
    try:
        slug = str(json.loads(body).get("type", "")).rsplit("/", 1)[-1]
    except (ValueError, AttributeError):
        return "unknown"
    return slug if _PROBLEM_SLUG.match(slug) else "unknown"


class RequestObservability:
    """Wraps the whole app: every HTTP request gets an id, metrics and a log line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        token = REQUEST_ID.set(request_id)
        method = scope["method"]
        started = time.perf_counter()
        seen: dict[str, Any] = {"status": 500, "sse": None, "body": None}

        async def send_observed(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
                MutableHeaders(scope=message).append(REQUEST_ID_HEADER, request_id)
                route = route_template(scope)
                HTTP_LATENCY.labels(method, route).observe(time.perf_counter() - started)
                content_type = dict(message.get("headers", ())).get(b"content-type", b"")
                if content_type.startswith(b"text/event-stream"):
                    seen["sse"] = route
                    SSE_STREAMS.labels(route).inc()
                if message["status"] == 429:
                    seen["body"] = bytearray()
            elif message["type"] == "http.response.body" and seen["body"] is not None:
                seen["body"] += message.get("body", b"")[:4096]
            await send(message)

        trace.get_current_span().set_attribute("agentpaas.request_id", request_id)
        try:
            await self.app(scope, receive, send_observed)
        finally:
            self._finish(scope, method, seen, started)
            REQUEST_ID.reset(token)

    @staticmethod
    def _finish(scope: Scope, method: str, seen: dict[str, Any], started: float) -> None:
        route = route_template(scope)
        status = int(seen["status"])
        HTTP_REQUESTS.labels(method, route, str(status)).inc()
        if seen["sse"] is not None:
            SSE_STREAMS.labels(seen["sse"]).dec()
        if seen["body"] is not None:
            HTTP_REJECTIONS.labels(route, _problem_slug(bytes(seen["body"]))).inc()
        quiet = _is_probe(scope) and status < 400
        access_log.log(
            logging.DEBUG if quiet else logging.INFO,
            "%s %s %s",
            method,
            scope["path"],
            status,
            extra={
                "fields": {
                    "method": method,
                    "route": route,
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                }
            },
        )
