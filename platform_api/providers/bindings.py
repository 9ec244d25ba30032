"""Which ServiceConfig each node of a run uses, resolved (and checked) before the run starts.

A node that needs ``llm_service`` is bound, in order, to: the config its agent version
names for it in ``service_dependencies``; nothing, when it names an offline scripted
model; the tenant's default LLM config; else nothing (the platform's default model).
Only config ids go into the run: the activity loads and decrypts credentials itself.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.errors import ValidationFailed
from platform_core.models import Provider, ServiceConfig

LLM_SERVICE = "llm_service"
SCRIPTED_PREFIX = "scripted/"
_UNSET: Any = object()


def nodes_needing(plan: dict[str, Any], service: str) -> list[dict[str, Any]]:
    """The plan's nodes that require ``service``."""
    return [
        node
        for node in plan.get("nodes") or []
        if isinstance(node, dict) and service in (node.get("required_services") or [])
    ]


async def _problem_with(session: AsyncSession, config_id: object) -> str | None:
    if not isinstance(config_id, int) or isinstance(config_id, bool):
        return "must be a service config id (an integer)"
    row = (
        await session.execute(
            select(ServiceConfig, Provider)
            .join(Provider, col(Provider.provider_id) == col(ServiceConfig.provider_id))
            .where(col(ServiceConfig.config_id) == config_id)
        )
    ).first()
    if row is None:
        return f"service config {config_id} does not exist"
    config, provider = row
    if config.service_type != "llm":
        return f"service config {config_id} is a {config.service_type!r} service, not llm"
    if not config.is_active or not provider.is_active:
        return f"service config {config_id} (or its provider) is inactive"
    return None


async def _tenant_default(session: AsyncSession) -> int | None:
    row = (
        await session.execute(
            select(col(ServiceConfig.config_id))
            .join(Provider, col(Provider.provider_id) == col(ServiceConfig.provider_id))
            .where(
                col(ServiceConfig.service_type) == "llm",
                col(ServiceConfig.is_default).is_(True),
                col(ServiceConfig.is_active).is_(True),
                col(Provider.is_active).is_(True),
            )
            .order_by(col(ServiceConfig.updated_at).desc(), col(ServiceConfig.config_id))
            .limit(1)
        )
    ).first()
    return int(row[0]) if row else None


async def resolve_service_bindings(
    *, session: AsyncSession, plan: dict[str, Any], service_dependencies: dict[str, Any]
) -> dict[str, dict[str, int]]:
    """Node name -> {"llm_service": config id}; ValidationFailed lists every unusable binding."""
    bindings: dict[str, dict[str, int]] = {}
    errors: list[dict[str, str]] = []
    default: Any = _UNSET
    for node in nodes_needing(plan, LLM_SERVICE):
        name = str(node.get("name"))
        named = service_dependencies.get(name)
        explicit = named.get(LLM_SERVICE) if isinstance(named, dict) else None
        if explicit is not None:
            problem = await _problem_with(session, explicit)
            if problem:
                path = f"/service_dependencies/{name}/{LLM_SERVICE}"
                errors.append({"path": path, "message": problem})
            else:
                bindings[name] = {LLM_SERVICE: int(explicit)}
            continue
        model = (node.get("config") or {}).get("model")
        if isinstance(model, str) and model.startswith(SCRIPTED_PREFIX):
            continue
        if default is _UNSET:
            default = await _tenant_default(session)
        if default is not None:
            bindings[name] = {LLM_SERVICE: default}
    if errors:
        raise ValidationFailed(
            "the agent version's service bindings cannot be used; fix them before running",
            errors=errors,
        )
    return bindings
