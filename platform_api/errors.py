"""Domain errors and their one mapping to RFC 9457 problem responses.

Services raise these; routes never build error responses themselves, so every
route answers errors in the same shape: ``type``, ``title``, ``status``,
``detail`` and, for validation, ``errors`` (a list of ``{path, message}``; a
definition's problems add their ``code`` and ``params``, see platform_api.definitions).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from platform_core.db import DatabaseUnavailable, is_connection_failure

logger = logging.getLogger(__name__)
# What a 503 for a database outage asks clients to wait before trying again.
DATABASE_RETRY_AFTER_SECONDS = 5
PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://agentpaas.dev/problems/"


class DomainError(Exception):
    """Base of errors a client caused or must know about; maps to a 4xx problem."""

    status = 400
    slug = "bad-request"
    title = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


class Unauthorized(DomainError):
    status, slug, title = 401, "unauthorized", "Authentication required"

    def __init__(self, detail: str = "missing or invalid credentials") -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(DomainError):
    status, slug, title = 403, "forbidden", "Not allowed"


class NotFound(DomainError):
    status, slug, title = 404, "not-found", "Not found"


class Conflict(DomainError):
    status, slug, title = 409, "conflict", "Conflict"


class ValidationFailed(DomainError):
    status, slug, title = 422, "validation-failed", "Invalid input"


class QuotaExceeded(DomainError):
    status, slug, title = 429, "quota-exceeded", "Quota exceeded"


class ServiceUnavailable(DomainError):
    status, slug, title = 503, "service-unavailable", "A backing service is unavailable"


def problem(
    status: int,
    title: str,
    detail: str,
    *,
    slug: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    instance: str | None = None,
) -> JSONResponse:
    """Build one problem+json response."""
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _pointer(loc: tuple[Any, ...]) -> str:
    # FastAPI prefixes locations with body/query/path; keep it, it tells where to look.
    return "/" + "/".join(str(part) for part in loc)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that turn every error into a problem document."""

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        return problem(
            exc.status,
            exc.title,
            exc.detail,
            slug=exc.slug,
            errors=exc.errors,
            headers=exc.headers,
            instance=request.url.path,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"path": _pointer(tuple(err.get("loc", ()))), "message": str(err.get("msg", ""))}
            for err in exc.errors()
        ]
        return problem(
            422,
            "Invalid input",
            "the request did not match the expected shape",
            slug="validation-failed",
            errors=errors,
            instance=request.url.path,
        )

    @app.exception_handler(DatabaseUnavailable)
    async def _database_down(request: Request, exc: DatabaseUnavailable) -> JSONResponse:
        # An outage, not a bug: say so, and when to come back, instead of a 500.
        logger.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc)
        return database_unavailable(request.url.path)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        titles = {404: "Not found", 405: "Method not allowed", 401: "Authentication required"}
        return problem(
            exc.status_code,
            titles.get(exc.status_code, "HTTP error"),
            str(exc.detail),
            slug=f"http-{exc.status_code}",
            headers=getattr(exc, "headers", None),
            instance=request.url.path,
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        logger.exception("unhandled error on %s %s", request.method, request.url.path)
        return internal_error(request.url.path)


def database_unavailable(path: str) -> JSONResponse:
    """The 503 for a database outage, with when to come back."""
    return problem(
        503,
        "A backing service is unavailable",
        "the database cannot be reached right now; try again shortly",
        slug="service-unavailable",
        headers={"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)},
        instance=path,
    )


def internal_error(path: str) -> JSONResponse:
    """The 500 for a bug (logged, never described to the client)."""
    return problem(
        500,
        "Internal error",
        "an unexpected error occurred; it has been logged",
        slug="internal",
        instance=path,
    )


class ContainErrors:
    """Answers an exception that escaped every handler, and keeps the connection open.

    Starlette's outermost middleware answers such an exception with the 500 handler above,
    then re-raises it (so servers can log it), and uvicorn closes the connection after any
    exception: a client that had already sent its next request on that keep-alive
    connection saw it reset with no response. Installed just inside the observability
    middleware, this answers it instead (503 + Retry-After when the database is the
    cause, else 500), logs it and does not re-raise. Once a response has started there is
    nothing left to answer, and the exception goes on.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, send_tracked)
        except Exception as exc:
            if started:
                raise
            path = str(scope.get("path", ""))
            if is_connection_failure(exc):
                logger.warning("database unavailable on %s %s: %s", scope["method"], path, exc)
                response = database_unavailable(path)
            else:
                logger.exception("unhandled error on %s %s", scope["method"], path)
                response = internal_error(path)
            await response(scope, receive, send)
