"""Helpers shared by the tests (fixtures live in conftest.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import httpx
from temporalio.client import Client

from platform_api.db import Database
from platform_api.seed import SeedResult
from platform_api.settings import Settings

DEMO_PASSWORD = "demo-password-123"


@dataclass
class Platform:
    """Everything an API test needs."""

    client: httpx.AsyncClient
    settings: Settings
    seeded: SeedResult
    db: Database
    temporal: Client


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
