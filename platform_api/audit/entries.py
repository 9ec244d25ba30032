"""What an audit row says about a request: action, target and outcome, from the ASGI scope.

Only the route template, the path parameters (ids) and, for creations, the new
object's ``id`` are used — never the request body, the query string or headers, so
passwords, tokens and keys cannot reach ``details``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from starlette.routing import Route
from starlette.types import Scope

from platform_api.observability.middleware import UNMATCHED_ROUTE, route_template

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
AUDITED_PREFIXES = ("/api/", "/v1/")


@dataclass
class AuditEntry:
    """One row to write to ``audit_logs``."""

    tenant_id: uuid.UUID
    actor_id: uuid.UUID | None
    actor_type: str
    action: str
    target_type: str | None
    target_id: str | None
    outcome: str
    status_code: int
    request_id: str | None
    ip_address: str | None
    details: dict[str, Any] = field(default_factory=dict)


def is_audited(scope: Scope) -> bool:
    """State-changing API requests (reads are not audited)."""
    return (
        scope["type"] == "http"
        and scope.get("method") in STATE_CHANGING
        and str(scope.get("path", "")).startswith(AUDITED_PREFIXES)
    )


def outcome_of(status: int) -> str:
    """success (2xx/3xx), denied (401/403) or failed (any other error)."""
    if status < 400:
        return "success"
    return "denied" if status in (401, 403) else "failed"


def template_of(scope: Scope) -> str | None:
    """The matched route's full path template; None when no route matched."""
    # FastAPI records the effective route (with the prefix it was included under) here;
    # the route object alone may lack that prefix.
    context = (scope.get("fastapi") or {}).get("effective_route_context")
    path = getattr(context, "path", None)
    if isinstance(path, str) and path:
        return path
    template = route_template(scope)
    return None if template == UNMATCHED_ROUTE else template


def action_of(scope: Scope) -> str | None:
    """``METHOD /route/{template}``; None when no route matched."""
    template = template_of(scope)
    return None if template is None else f"{scope['method']} {template}"[:100]


def route_name(scope: Scope) -> str | None:
    """The endpoint's name (its function), for readers of ``details``."""
    route = scope.get("route")
    return route.name if isinstance(route, Route) else None


def path_ids(scope: Scope) -> dict[str, str]:
    """The path parameters, in template order."""
    params = scope.get("path_params") or {}
    # PostgreSQL text cannot hold NUL: a path that smuggles one is still recorded.
    return {str(k): str(v).replace("\x00", "")[:255] for k, v in params.items()}


def _singular(segment: str) -> str:
    if segment.endswith("ies"):
        return segment[:-3] + "y"  # categories → category
    return segment[:-1] if segment.endswith("s") and not segment.endswith("ss") else segment


def target_of(scope: Scope, created_id: str | None) -> tuple[str | None, str | None]:
    """(type, id) of what the request acted on: the last id in the path, else what it made.

    The type is the collection the id sits in (``/api-keys/{key_id}`` → ``api-key``), so
    creating and deleting one thing name it alike.
    """
    segments = [s for s in (template_of(scope) or "").split("/") if s]
    ids = path_ids(scope)
    for index in range(len(segments) - 1, -1, -1):
        name = segments[index]
        if name.startswith("{") and name[1:-1] in ids:
            before = segments[index - 1] if index > 0 else ""
            kind = _singular(before) if before and not before.startswith("{") else name[1:-4]
            return kind[:64] or None, ids[name[1:-1]]
    statics = [s for s in segments if not s.startswith("{")]
    return (_singular(statics[-1])[:64] if statics else None), created_id
