"""Helpers of the LLM-provider tests: a tenant of their own, bound agents, provider configs."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import update

from platform_api.auth.passwords import hash_password
from platform_core.db import Database
from platform_core.models import AgentVersion, Tenant, TenantQuota, User
from tests.helpers import DEMO_PASSWORD, Platform, create_agent, login


@dataclass
class TenantAdmin:
    """A fresh tenant and a logged-in admin of it."""

    tenant_id: uuid.UUID
    email: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        """The admin's authorization header."""
        return {"Authorization": f"Bearer {self.token}"}


async def create_tenant(
    platform: Platform, admin_url: str, *, max_tokens_per_month: int = 1_000_000
) -> TenantAdmin:
    """A tenant with one admin and a quota row, so tests here never touch the demo tenant."""
    suffix = uuid.uuid4().hex[:8]
    email = f"admin-{suffix}@llm-tests.example"
    database = Database(admin_url, connections=2)
    try:
        async with database.system_session() as session:
            tenant = Tenant(name=f"llm-{suffix}", display_name=f"LLM tests {suffix}")
            session.add(tenant)
            await session.flush()
            session.add(TenantQuota(tenant_id=tenant.id, max_tokens_per_month=max_tokens_per_month))
            session.add(
                User(
                    tenant_id=tenant.id,
                    email=email,
                    role="admin",
                    password_hash=await hash_password(DEMO_PASSWORD, 4),
                )
            )
            tenant_id = tenant.id
    finally:
        await database.dispose()
    return TenantAdmin(tenant_id, email, await login(platform.client, email))


async def bind_agent(
    admin_url: str,
    tenant_id: uuid.UUID,
    definition: dict[str, Any],
    *,
    service_dependencies: dict[str, Any] | None = None,
    model_params_override: dict[str, Any] | None = None,
) -> str:
    """A published agent whose version carries service bindings and parameter overrides."""
    agent_id = await create_agent(admin_url, tenant_id, definition)
    database = Database(admin_url, connections=2)
    try:
        async with database.system_session() as session:
            await session.execute(
                update(AgentVersion)
                .where(AgentVersion.agent_id == uuid.UUID(agent_id))  # type: ignore[arg-type]
                .values(
                    service_dependencies=service_dependencies or {},
                    model_params_override=model_params_override,
                )
            )
    finally:
        await database.dispose()
    return agent_id


async def add_service(
    client: httpx.AsyncClient,
    admin: TenantAdmin,
    *,
    base_url: str,
    api_key: str | None,
    model: str = "gpt-4o-mini",
    is_default: bool = False,
    **extra: Any,
) -> int:
    """An openai_compatible provider at ``base_url`` and one service config; its id."""
    provider = await client.post(
        "/api/v1/providers",
        json={
            "provider_name": f"local-{uuid.uuid4().hex[:6]}",
            "kind": "openai_compatible",
            "base_url": base_url,
        },
        headers=admin.headers,
    )
    assert provider.status_code == 201, provider.text
    body: dict[str, Any] = {
        "provider_id": provider.json()["provider_id"],
        "service_name": f"svc-{uuid.uuid4().hex[:6]}",
        "model": model,
        "is_default": is_default,
        **extra,
    }
    if api_key is not None:
        body["api_key"] = api_key
    config = await client.post("/api/v1/service-configs", json=body, headers=admin.headers)
    assert config.status_code == 201, config.text
    return int(config.json()["config_id"])


def llm_agent(
    *,
    model: str | None = None,
    max_tokens: int | None = None,
    tools: list[Any] | None = None,
    json_schema: dict[str, Any] | None = None,
    output_key: str | None = None,
    max_attempts: int = 1,
) -> dict[str, Any]:
    """A chat agent of one ``llm`` node called ``answer``."""
    config: dict[str, Any] = {"model": model}
    if max_tokens is not None:
        config["max_tokens"] = max_tokens
    if tools is not None:
        config["tools"] = tools
    if json_schema is not None:
        config["json_schema"] = json_schema
    state: dict[str, Any] = {"messages": {"reducer": "add_messages"}}
    if output_key is not None:
        config["output_key"] = output_key
        state[output_key] = {"type": "object"}
    return {
        "state": state,
        "nodes": [
            {
                "name": "answer",
                "type": "llm",
                "config": config,
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
        **({"output": output_key} if output_key else {}),
    }
