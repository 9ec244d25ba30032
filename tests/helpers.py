"""Helpers shared by the tests (fixtures live in conftest.py)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import asyncpg
import httpx
import uvicorn
from temporalio.client import Client

from agentpaas.runtime.ports import free_port
from platform_api.app import create_app
from platform_core.db import Database, to_plain_url
from platform_core.settings import Settings

if TYPE_CHECKING:
    from agentpaas.seed import SeedResult

DEMO_PASSWORD = "demo-password-123"


@dataclass
class Platform:
    """Everything an API test needs."""

    client: httpx.AsyncClient
    settings: Settings
    seeded: SeedResult
    db: Database
    temporal: Client


async def fresh_tenant_admin_token(platform: Platform, admin_url: str, prefix: str = "fuzz") -> str:
    """A fresh tenant of its own (seeded like the demo one); its admin's access token.

    Tests that send hostile or random traffic use one, so what they create never shows in the
    demo tenant other tests count on.
    """
    import uuid

    from pydantic import SecretStr

    from agentpaas.seed import seed_demo_tenant

    suffix = uuid.uuid4().hex[:6]
    tenant_settings = platform.settings.model_copy(
        update={
            "demo_tenant": f"{prefix}-{suffix}",
            "demo_admin_email": f"admin@{prefix}{suffix}.agentpaas.dev",
            "demo_admin_password": SecretStr(DEMO_PASSWORD),
        }
    )
    database = Database(admin_url, connections=2)
    async with database.system_session() as session:
        await seed_demo_tenant(session, tenant_settings)
    await database.dispose()
    return await login(platform.client, tenant_settings.demo_admin_email)


async def login(client: httpx.AsyncClient, email: str, password: str = DEMO_PASSWORD) -> str:
    """Log in and return an access token."""
    response = await client.post("/api/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def parse_sse(body: str) -> list[dict[str, object]]:
    """Frames of an SSE body as dicts with id, event and the decoded data."""
    frames = []
    for block in body.split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith(":")]
        if not lines:
            continue
        frame: dict[str, object] = {}
        for line in lines:
            field, _, value = line.partition(": ")
            frame[field] = json.loads(value) if field == "data" else value
        frames.append(frame)
    return frames


async def create_agent(
    admin_url: str,
    tenant_id: object,
    definition: dict[str, object],
    *,
    name: str | None = None,
) -> str:
    """Insert a published agent with one current version built from an inline definition.

    The store API arrives with its own issue; until then tests create agents directly
    as the table owner, compiled by the real compiler.
    """
    import uuid as _uuid
    from datetime import UTC, datetime

    from sqlalchemy import select
    from sqlmodel import col

    from node_types.compiler import compile_plan
    from platform_core.models import Agent, AgentVersion, User

    database = Database(admin_url, connections=2)
    try:
        async with database.system_session() as session:
            developer = (
                (await session.execute(select(User).where(col(User.tenant_id) == tenant_id)))
                .scalars()
                .first()
            )
            assert developer is not None
            plan = compile_plan(definition)
            agent = Agent(
                tenant_id=developer.tenant_id,
                name=name or f"agent-{_uuid.uuid4().hex[:8]}",
                developer_id=developer.id,
                status="published",
                published_at=datetime.now(UTC),
            )
            session.add(agent)
            await session.flush()
            session.add(
                AgentVersion(
                    tenant_id=developer.tenant_id,
                    agent_id=agent.id,
                    version="1.0.0",
                    status="published",
                    workflow_definition=definition,
                    execution_plan=plan.model_dump(mode="json"),
                    plan_hash=plan.plan_hash,
                    is_current=True,
                )
            )
            return str(agent.id)
    finally:
        await database.dispose()


def one_llm_node(model: str, *, max_attempts: int = 3) -> dict[str, object]:
    """A chat agent of one LLM node using ``model``, with a fast retry policy."""
    return {
        "state": {"messages": {"reducer": "add_messages"}},
        "nodes": [
            {
                "name": "answer",
                "type": "llm",
                "config": {"model": model},
                "retry": {
                    "max_attempts": max_attempts,
                    "initial_interval_seconds": 0.1,
                    "backoff_coefficient": 1.0,
                },
            }
        ],
        "edges": [
            {"source": "__start__", "target": "answer"},
            {"source": "answer", "target": "__end__"},
        ],
    }


async def stream_turn(
    client: httpx.AsyncClient, token: str, body: dict[str, object]
) -> tuple[httpx.Response, list[dict[str, object]]]:
    """POST a chat turn and return the response with its parsed SSE frames."""
    response = await client.post(
        "/api/v1/chat/completions",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
        timeout=120,
    )
    return response, parse_sse(response.text) if response.status_code == 200 else []


async def wait_for_open_task(
    client: httpx.AsyncClient,
    token: str,
    execution_id: str | None = None,
    timeout: float = 30,
    agent_id: str | None = None,
) -> dict[str, object]:
    """Poll the reviewer inbox until a task of ``execution_id`` / ``agent_id`` is open.

    Tests share one tenant, so always narrow it: another test's cancelled run may still
    show its task as open for a moment while its workflow winds down.
    """
    import asyncio

    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        response = await client.get(
            "/api/v1/reviews/tasks", headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 200, response.text
        for task in response.json()["items"]:
            if execution_id is not None and task["execution_id"] != execution_id:
                continue
            if agent_id is not None and task["agent_id"] != agent_id:
                continue
            return dict(task)
        await asyncio.sleep(0.1)
    raise AssertionError("no open task appeared")


def approval_agent(deadline: dict[str, object] | None = None) -> dict[str, object]:
    """Ask a reviewer to approve; route on the answer to one of two transform nodes."""
    return {
        "state": {
            "messages": {"reducer": "add_messages"},
            "decision": {"type": "object"},
            "outcome": {"type": "string"},
        },
        "nodes": [
            {
                "name": "ask",
                "type": "human",
                "config": {
                    "instruction": "Approve: {{ last(messages).content }}?",
                    "output_key": "decision",
                    "priority": 6,
                    "deadline": deadline,
                },
            },
            {
                "name": "approved",
                "type": "transform",
                "config": {"assign": {"outcome": "'approved'"}},
            },
            {
                "name": "rejected",
                "type": "transform",
                "config": {"assign": {"outcome": "'rejected'"}},
            },
        ],
        "edges": [
            {"source": "__start__", "target": "ask"},
            {
                "type": "conditional",
                "source": "ask",
                "condition": "decision.approved == true",
                "mapping": {"true": "approved", "false": "rejected"},
                "default": "rejected",
            },
            {"source": "approved", "target": "__end__"},
            {"source": "rejected", "target": "__end__"},
        ],
        "output": "outcome",
    }


@contextlib.asynccontextmanager
async def serve_asgi(app: Any, path: str = "", port: int | None = None) -> AsyncIterator[str]:
    """Serve an ASGI app with uvicorn on a free port in this loop; yields its URL + ``path``."""
    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()  # surface a failed start-up
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}{path}"
    finally:
        server.should_exit = True
        await task


@contextlib.asynccontextmanager
async def serve(
    platform: Platform,
    database_url: str,
    settings: Settings | None = None,
    port: int | None = None,
) -> AsyncIterator[str]:
    """The API under a real uvicorn server (for real streaming and MCP clients).

    Its lifespan runs, so the mounted MCP apps work.
    """
    app = create_app(
        settings or platform.settings,
        database_url=database_url,
        temporal_address="unused",
        temporal_client=platform.temporal,
        ui_dist=None,
    )
    async with serve_asgi(app, port=port) as url:
        yield url


def fake_dns(monkeypatch: Any, name: str, *answers: str) -> list[str]:
    """Make ``name`` resolve to ``answers`` in turn (the last one from then on; none: it
    does not resolve).

    Every resolver in the process (asyncio's, anyio's, httpcore's) ends in
    ``socket.getaddrinfo``; other names resolve as usual. Returns the answers given.
    """
    import socket

    real = socket.getaddrinfo
    given: list[str] = []

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if (host.decode() if isinstance(host, bytes) else host) != name:
            return real(host, port, *args, **kwargs)
        if not answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        address = answers[min(len(given), len(answers) - 1)]
        given.append(address)
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, int(port or 0)))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return given


async def make_tenant_with_user(
    admin_url: str, name: str, *, token_version: int = 0
) -> tuple[uuid.UUID, uuid.UUID]:
    """A tenant with one active user (``someone@<name>.test``), written as the owner;
    their ids."""
    conn = await asyncpg.connect(to_plain_url(admin_url))
    try:
        tenant_id, user_id = uuid.uuid4(), uuid.uuid4()
        await conn.execute(
            "INSERT INTO tenants (id, name, display_name, plan, status, settings) "
            "VALUES ($1, $2, $2, 'free', 'active', '{}')",
            tenant_id,
            name,
        )
        await conn.execute(
            "INSERT INTO users (id, tenant_id, email, password_hash, role, status, "
            "token_version, preferences) VALUES ($1, $2, $3, 'x', 'user', 'active', $4, '{}')",
            user_id,
            tenant_id,
            f"someone@{name}.test",
            token_version,
        )
        return tenant_id, user_id
    finally:
        await conn.close()
