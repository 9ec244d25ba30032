"""Fixtures of the tool tests (helpers live in tool_helpers.py)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from tests.helpers import Platform
from tests.tools.mcp_server import RunningServer, running_tool_server


@pytest.fixture
async def tool_server(platform: Platform, admin_token: str) -> AsyncIterator[RunningServer]:
    """The test tools on a server of this test's own (its call counter starts at zero).

    Registrations of it are deleted afterwards, so the demo tenant's shared tools stay
    the session's demo server's for every other test.
    """
    async with running_tool_server(f"tools-{uuid.uuid4().hex[:6]}") as server:
        yield server
    headers = {"Authorization": f"Bearer {admin_token}"}
    listed = await platform.client.get(
        "/api/v1/tool-servers", params={"limit": 200}, headers=headers
    )
    for row in listed.json()["items"]:
        if row["endpoint_url"] == server.url:
            await platform.client.delete(f"/api/v1/tool-servers/{row['id']}", headers=headers)
