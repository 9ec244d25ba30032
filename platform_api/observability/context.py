"""Per-request context that logs carry: the request id (X-Request-ID)."""

from __future__ import annotations

from contextvars import ContextVar

REQUEST_ID: ContextVar[str | None] = ContextVar("agentpaas_request_id", default=None)
