"""Enforcing the access rules on every request (``platform_api.access.rules`` holds them).

``enforce_access_policy`` runs app-wide, before any route: it authenticates the caller
(unless the route is public) and refuses with 403 what the route's rule does not allow.
"""

from __future__ import annotations

from fastapi import Request

from platform_api.access.rules import PUBLIC, refusal, rule_for
from platform_api.api.deps import ServicesDep, bearer, get_caller
from platform_api.api.state import AppServices
from platform_api.auth.caller import Caller
from platform_api.errors import Forbidden


def route_template(request: Request) -> str | None:
    """The matched route's full path template (``/api/v1/chats/{chat_id}``)."""
    # FastAPI 0.165 includes routers lazily: for a router included with a prefix at
    # include time, ``scope["route"].path`` lacks that prefix; the effective route
    # context FastAPI records after matching carries the full template.
    fastapi_scope = request.scope.get("fastapi")
    context = fastapi_scope.get("effective_route_context") if fastapi_scope else None
    path = getattr(context, "path", None) or getattr(request.scope.get("route"), "path", None)
    return path if isinstance(path, str) else None


async def _authenticate(request: Request, services: AppServices) -> Caller:
    # Read the bearer header here rather than depending on it, so public routes do
    # not show a security requirement in the OpenAPI document.
    credentials = await bearer(request)
    return await get_caller(request=request, services=services, credentials=credentials)


async def enforce_access_policy(request: Request, services: ServicesDep) -> None:
    """Authenticate (unless public) and check the route's rule; 401, then 403."""
    path = route_template(request)
    rule = None if path is None else rule_for(request.method, path)
    if rule is not None and rule.role == PUBLIC:
        return
    caller = await _authenticate(request, services)
    reason = refusal(caller, rule)
    if reason is not None:
        raise Forbidden(reason)


async def policy_caller(request: Request, services: ServicesDep) -> Caller:
    """The caller ``enforce_access_policy`` authenticated for this request.

    Installed as the override of ``get_caller`` so a request is authenticated
    once (one lookup of the user or key), not once by the policy and again by the
    route; it authenticates itself if the policy has not run.
    """
    cached = getattr(request.state, "caller", None)
    if isinstance(cached, Caller):
        return cached
    return await _authenticate(request, services)
