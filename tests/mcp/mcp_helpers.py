"""Helpers of the MCP tests: API keys, MCP clients, the calculator scripted user."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
from fastmcp import Client
from fastmcp.client.transports import StreamableHttpTransport

from activities.scripted_llm import ScriptedReply, register_script
from tests.helpers import Platform


def auth(token: str) -> dict[str, str]:
    """The bearer header."""
    return {"Authorization": f"Bearer {token}"}


async def new_key(platform: Platform, token: str, scopes: list[str]) -> tuple[str, str]:
    """A new API key of the token's user: (full key, key id)."""
    created = await platform.client.post(
        "/api/v1/api-keys", json={"name": "mcp-test", "scopes": scopes}, headers=auth(token)
    )
    assert created.status_code == 201, created.text
    return str(created.json()["key"]), str(created.json()["id"])


def mcp_client(url: str, key: str | None) -> Client[StreamableHttpTransport]:
    """fastmcp's own client over streamable HTTP, with ``key`` as the bearer token."""
    return Client(StreamableHttpTransport(url, auth=key), timeout=120)


async def initialize_status(url: str, headers: dict[str, str]) -> int:
    """The HTTP status of a bare MCP ``initialize`` POST (to see 401/403 exactly)."""
    body: dict[str, Any] = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "raw", "version": "0"},
        },
    }
    async with httpx.AsyncClient(timeout=30) as client:
        response = await client.post(
            url,
            json=body,
            headers={**headers, "Accept": "application/json, text/event-stream"},
        )
    return response.status_code


def calculator_user(expression: str) -> tuple[str, list[list[str]]]:
    """A scripted model that calls ``calculator`` once, then quotes the tool's answer.

    Returns the model name and the tool names it was offered on each turn.
    """
    script = f"mcp-calculator-{uuid.uuid4().hex[:8]}"
    offered: list[list[str]] = []

    def run(messages: list[dict[str, Any]], params: dict[str, Any]) -> ScriptedReply:
        offered.append([t["function"]["name"] for t in params.get("tools") or []])
        last = messages[-1]
        if last.get("role") == "tool":
            return ScriptedReply(text=f"Tool said: {last.get('content')}")
        call = {
            "id": "call_1",
            "type": "function",
            "function": {"name": "calculator", "arguments": json.dumps({"expression": expression})},
        }
        return ScriptedReply(tool_calls=[call])

    register_script(script, run)
    return f"scripted/{script}", offered


async def tool_agent_chat(platform: Platform, token: str, model: str, tools: list[str]) -> str:
    """A developer agent from the ``tool_agent`` template and a sandbox chat with it."""
    client, headers = platform.client, auth(token)
    agent = await client.post(
        "/api/v1/developer/agents",
        json={"name": f"MCP tool agent {uuid.uuid4().hex[:8]}"},
        headers=headers,
    )
    assert agent.status_code == 201, agent.text
    agent_id = agent.json()["id"]
    version = await client.post(
        f"/api/v1/developer/agents/{agent_id}/versions",
        json={
            "version": "1.0.0",
            "template_name": "tool_agent",
            "template_parameters": {"tools": tools, "model": model, "max_tool_rounds": 2},
        },
        headers=headers,
    )
    assert version.status_code == 201, version.text
    chat = await client.post(
        f"/api/v1/developer/agents/{agent_id}/versions/{version.json()['id']}/sandbox",
        headers=headers,
    )
    assert chat.status_code == 201, chat.text
    return str(chat.json()["id"])
