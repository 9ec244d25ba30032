"""API key scopes: what a key may do, on top of its owner's role.

Which route needs which scope is written in ``platform_api.access.rules``.
"""

from __future__ import annotations

SCOPES: dict[str, str] = {
    "chat:read": "read chats, messages and runs",
    "chat:write": "send messages and manage chats",
    "agent:execute": "run agents (direct execution, the OpenAI-compatible API, MCP)",
    "agent:manage": "create and version agents and templates",
    "review:complete": "work the reviewer inbox",
    "tools:call": "call the bundled MCP tools (calculator, time, knowledge search, HTTP GET)",
    "tenant:manage": "administer the tenant: users, providers, usage, audit log",
}
