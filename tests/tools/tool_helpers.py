"""Helpers of the tool tests: registration, scripted tool-calling models, sandbox agents."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from activities.scripted_llm import ScriptedReply, register_script
from tests.helpers import Platform


def auth(token: str) -> dict[str, str]:
    """An Authorization header."""
    return {"Authorization": f"Bearer {token}"}


async def register(platform: Platform, token: str, url: str, **fields: Any) -> dict[str, Any]:
    """Register a tool server through the API (201 expected) and return its body."""
    body = {"server_id": f"srv-{uuid.uuid4().hex[:8]}", "name": "test server", "endpoint_url": url}
    response = await platform.client.post(
        "/api/v1/tool-servers", json={**body, **fields}, headers=auth(token)
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def tools_of(platform: Platform, token: str, server_id: str) -> dict[str, dict[str, Any]]:
    """The server's tools by name."""
    response = await platform.client.get(
        "/api/v1/tools", params={"server": server_id, "limit": 200}, headers=auth(token)
    )
    assert response.status_code == 200, response.text
    return {t["name"]: t for t in response.json()["items"]}


def tool_call(name: str, arguments: dict[str, Any], call_id: str = "call_1") -> dict[str, Any]:
    """One function call as a model emits it."""
    return {
        "id": call_id,
        "type": "function",
        "function": {"name": name, "arguments": json.dumps(arguments)},
    }


@dataclass
class ScriptedToolUser:
    """A scripted model that calls one tool, then answers with what the tool said."""

    model: str
    seen_tools: list[list[str]]


def tool_user(
    name: str, arguments: dict[str, Any], answer: Callable[[str], str] | None = None
) -> ScriptedToolUser:
    """Register the script; the answer quotes the tool message unless ``answer`` says else."""
    script = f"tool-user-{uuid.uuid4().hex[:8]}"
    seen: list[list[str]] = []

    def run(messages: list[dict[str, Any]], params: dict[str, Any]) -> ScriptedReply:
        seen.append([t["function"]["name"] for t in params.get("tools") or []])
        last = messages[-1]
        if last.get("role") == "tool":
            content = str(last.get("content"))
            return ScriptedReply(text=answer(content) if answer else f"Tool said: {content}")
        return ScriptedReply(tool_calls=[tool_call(name, arguments)])

    register_script(script, run)
    return ScriptedToolUser(f"scripted/{script}", seen)


@dataclass
class SandboxAgent:
    """A draft agent version built from the tool_agent template, with a sandbox chat."""

    agent_id: str
    version_id: str
    chat_id: str


async def tool_agent(
    platform: Platform,
    token: str,
    *,
    model: str,
    tools: list[str],
    tool_dependencies: list[str] | None = None,
) -> SandboxAgent:
    """Create agent + version (tool_agent template) + sandbox chat through the API."""
    client, headers = platform.client, auth(token)
    agent = await client.post(
        "/api/v1/developer/agents",
        json={"name": f"Tool agent {uuid.uuid4().hex[:8]}"},
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
            "tool_dependencies": tool_dependencies or [],
        },
        headers=headers,
    )
    assert version.status_code == 201, version.text
    version_id = version.json()["id"]
    chat = await client.post(
        f"/api/v1/developer/agents/{agent_id}/versions/{version_id}/sandbox", headers=headers
    )
    assert chat.status_code == 201, chat.text
    return SandboxAgent(agent_id, version_id, chat.json()["id"])
