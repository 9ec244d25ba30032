"""With PostgreSQL down the API answers every request, on a connection that stays open.

Issue 17 saw `POST /api/v1/chat/completions` and `POST /api/v1/chats` "reset with no
response" while the database was stopped. They came after reads that had answered 500:
uvicorn closes the connection after any exception that escapes the app (Starlette answers
it with the 500 handler, then re-raises), so the next request a client had already sent
on that keep-alive connection found it closed, without a response. Now an outage is a 503
with Retry-After on every route, an unexpected error is a 500 that keeps the connection
(`platform_api.errors.ContainErrors`), and a route's transaction commits before its
response is sent, so a commit lost to an outage is a 503, not a 201 and a dropped line.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI
from pydantic import SecretStr
from starlette.requests import Request
from starlette.responses import Response

from platform_api.api.access_check import enforce_access_policy
from platform_api.api.deps import TenantSession, get_caller
from platform_api.app import create_app
from platform_api.auth.caller import Caller
from platform_api.auth.tokens import issue_access_token
from platform_core.db import DatabaseUnavailable
from platform_core.settings import Settings
from tests.helpers import serve_asgi

UNREACHABLE = "postgresql://nobody@127.0.0.1:1/none"


def _app() -> tuple[FastAPI, Settings]:
    settings = Settings(environment="test", jwt_secret=SecretStr("k" * 40))
    app = create_app(
        settings, database_url=UNREACHABLE, temporal_address="127.0.0.1:1", ui_dist=None
    )
    return app, settings


class _KeepAlive:
    """One HTTP/1.1 connection, requests sent one after another on it."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def request(
        self, method: str, path: str, token: str, body: Any = None
    ) -> tuple[int, dict[str, str], Any]:
        payload = b"" if body is None else json.dumps(body).encode()
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: api\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
        )
        self.writer.write(head.encode() + payload)
        await self.writer.drain()
        try:
            raw = await asyncio.wait_for(self.reader.readuntil(b"\r\n\r\n"), timeout=30)
        except asyncio.IncompleteReadError as exc:
            raise AssertionError(f"{method} {path}: connection closed without a response") from exc
        status_line, *lines = raw.decode("latin-1").split("\r\n")
        headers = {k.lower(): v.strip() for k, _, v in (h.partition(":") for h in lines if h)}
        content = await self.reader.readexactly(int(headers.get("content-length", "0")))
        return int(status_line.split()[1]), headers, json.loads(content) if content else None


async def test_with_the_database_down_every_request_is_answered_on_one_connection() -> None:
    app, settings = _app()

    async def broken(request: Request) -> Response:
        raise RuntimeError("a bug, not an outage")

    app.add_route("/broken", broken)
    token, _ = issue_access_token(
        settings, user_id=uuid.uuid4(), tenant_id=uuid.uuid4(), role="admin", token_version=0
    )
    agent = {"agent_id": str(uuid.uuid4())}
    answered_500: dict[str, str] = {}
    async with serve_asgi(app) as url:
        host, port = url.removeprefix("http://").split(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        connection = _KeepAlive(reader, writer)
        try:
            for method, path, body in (
                ("GET", "/api/v1/chats", None),
                ("POST", "/api/v1/chats", agent),
                ("POST", "/api/v1/chat/completions", {**agent, "message": "hello"}),
                ("POST", "/api/auth/login", {"email": "a@b.example", "password": "x" * 12}),
                ("GET", "/broken", None),  # a 500 here used to close the connection
                ("POST", "/api/v1/chats", agent),
                ("POST", "/api/v1/chat/completions", {**agent, "message": "again"}),
            ):
                status, headers, problem = await connection.request(method, path, token, body)
                assert headers["content-type"].startswith("application/problem+json")
                assert headers.get("connection", "keep-alive") != "close", (path, headers)
                if path == "/broken":
                    assert status == 500 and problem["title"] == "Internal error"
                    assert "a bug" not in json.dumps(problem)  # logged, not shown
                    answered_500 = headers
                    continue
                assert status == 503, (method, path, status, problem)
                assert headers["retry-after"].isdigit() and problem["status"] == 503
        finally:
            writer.close()
    # Answered inside the observability middleware: the 500 carries its request id.
    assert "x-request-id" in answered_500


class _CommitLost:
    """A database whose transactions open but cannot commit (it went away meanwhile)."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine  # the rate limiter and audit trail reach it and fail open

    @asynccontextmanager
    async def tenant_session(self, tenant_id: object) -> AsyncIterator[object]:
        yield object()
        raise DatabaseUnavailable("the database is unreachable: ConnectionResetError")


async def test_a_commit_lost_to_an_outage_is_a_503_not_a_201() -> None:
    app, _ = _app()
    services = app.state.services
    services.database = _CommitLost(services.database.engine)
    caller = Caller(user_id=uuid.uuid4(), tenant_id=uuid.uuid4(), role="admin", email="a@b.c")
    app.dependency_overrides[enforce_access_policy] = lambda: None
    app.dependency_overrides[get_caller] = lambda: caller

    @app.post("/api/v1/probe", status_code=201)
    async def probe(session: TenantSession) -> dict[str, bool]:
        return {"created": True}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.post("/api/v1/probe")
    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"].isdigit()


async def test_health_with_its_services_down_is_a_503_that_says_which_and_when() -> None:
    app, _settings = _app()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
        response = await client.get("/api/v1/health")
    await app.state.services.database.dispose()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.json() == {"status": "degraded", "database": "down", "temporal": "down"}
