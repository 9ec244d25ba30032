"""Helpers of the knowledge tests: fresh tenants, knowledge bases, uploads, waiting, search."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import asyncpg
import httpx

from platform_api.auth.passwords import hash_password_sync
from platform_core.db import to_plain_url
from tests.helpers import DEMO_PASSWORD, login

BUSY = ("pending", "processing", "deleting")


async def new_tenant(admin_url: str, client: httpx.AsyncClient) -> tuple[uuid.UUID, str]:
    """A new tenant with one admin; returns its id and the admin's access token."""
    tenant_id, name = uuid.uuid4(), f"kb-{uuid.uuid4().hex[:8]}"
    email = f"admin@{name}.example.com"
    conn = await asyncpg.connect(to_plain_url(admin_url))
    try:
        await conn.execute(
            "INSERT INTO tenants (id, name, display_name, plan, status, settings) "
            "VALUES ($1, $2, $2, 'pro', 'active', '{}')",
            tenant_id,
            name,
        )
        await conn.execute(
            "INSERT INTO users (id, tenant_id, email, password_hash, role, status, "
            "token_version, preferences) VALUES ($1, $2, $3, $4, 'admin', 'active', 0, '{}')",
            uuid.uuid4(),
            tenant_id,
            email,
            hash_password_sync(DEMO_PASSWORD, 4),
        )
    finally:
        await conn.close()
    return tenant_id, await login(client, email)


def auth(token: str) -> dict[str, str]:
    """The bearer header."""
    return {"Authorization": f"Bearer {token}"}


async def create_kb(client: httpx.AsyncClient, token: str, **body: Any) -> dict[str, Any]:
    """Create a knowledge base (201 expected)."""
    body.setdefault("name", f"kb-{uuid.uuid4().hex[:8]}")
    response = await client.post("/api/v1/knowledge-bases", json=body, headers=auth(token))
    assert response.status_code == 201, response.text
    return dict(response.json())


async def upload(
    client: httpx.AsyncClient,
    token: str,
    kb_id: str,
    filename: str,
    content: bytes,
    metadata: dict[str, Any] | None = None,
) -> httpx.Response:
    """Upload one file (multipart)."""
    data = {"metadata": json.dumps(metadata)} if metadata is not None else None
    return await client.post(
        f"/api/v1/knowledge-bases/{kb_id}/documents",
        files={"file": (filename, content)},
        data=data,
        headers=auth(token),
    )


async def documents(client: httpx.AsyncClient, token: str, kb_id: str) -> list[dict[str, Any]]:
    """Every document of a knowledge base."""
    response = await client.get(
        f"/api/v1/knowledge-bases/{kb_id}/documents?limit=200", headers=auth(token)
    )
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def wait_settled(
    client: httpx.AsyncClient, token: str, kb_id: str, timeout: float = 300
) -> list[dict[str, Any]]:
    """Poll until no document is pending, processing or deleting; returns them."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        docs = await documents(client, token, kb_id)
        if not any(d["status"] in BUSY for d in docs):
            return docs
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"ingestion did not settle: {[d['status'] for d in docs]}")
        await asyncio.sleep(0.2)


async def search(
    client: httpx.AsyncClient, token: str, kb_id: str, query: str, **options: Any
) -> list[dict[str, Any]]:
    """The passages of the debugging search endpoint."""
    response = await client.post(
        f"/api/v1/knowledge-bases/{kb_id}/search",
        json={"query": query, **options},
        headers=auth(token),
        timeout=120,
    )
    assert response.status_code == 200, response.text
    return list(response.json()["passages"])
