"""Which ServiceConfig each node of a run uses, resolved (and checked) before the run starts.

A node that needs ``llm_service`` is bound, in order, to: the config its agent version
names for it in ``service_dependencies``; nothing, when it names an offline scripted
model; the tenant's default LLM config; else nothing (the platform's default model).
Only config ids go into the run: the activity loads and decrypts credentials itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import col

from platform_api.errors import ValidationFailed
from platform_core.models import Provider, ServiceConfig

LLM_SERVICE = "llm_service"
SCRIPTED_PREFIX = "scripted/"


def nodes_needing(plan: dict[str, Any], service: str) -> list[dict[str, Any]]:
    """The plan's nodes that require ``service``."""
    return [
        node
        for node in plan.get("nodes") or []
        if isinstance(node, dict) and service in (node.get("required_services") or [])
    ]


@dataclass(frozen=True)
class ConfigState:
    """What a binding needs to know of a named service config."""

    service_type: str
    active: bool  # the config and its provider


def named_config_ids(plan: dict[str, Any], service_dependencies: dict[str, Any]) -> list[int]:
    """The config ids the version binds its nodes to by name (well-formed ones only)."""
    ids = []
    for node in nodes_needing(plan, LLM_SERVICE):
        named = service_dependencies.get(str(node.get("name")))
        explicit = named.get(LLM_SERVICE) if isinstance(named, dict) else None
        if isinstance(explicit, int) and not isinstance(explicit, bool):
            ids.append(explicit)
    return sorted(set(ids))


def configs_read(config_ids: Any) -> Any:
    """A scalar subquery: the named configs' states as a JSON array (``[]`` for none), for
    :func:`config_states`. The tenant's row-level security scopes it. ``config_ids``: the
    ids, or an expanding bound parameter (a statement built once)."""
    entry = func.jsonb_build_object(
        "id",
        col(ServiceConfig.config_id),
        "type",
        col(ServiceConfig.service_type),
        "active",
        col(ServiceConfig.is_active) & col(Provider.is_active),
    )
    return (
        select(func.coalesce(func.jsonb_agg(entry), text("'[]'::jsonb"), type_=JSONB))
        .select_from(ServiceConfig)
        .join(Provider, col(Provider.provider_id) == col(ServiceConfig.provider_id))
        .where(col(ServiceConfig.config_id).in_(config_ids))
        .scalar_subquery()
    )


def config_states(read: list[dict[str, Any]] | None) -> dict[int, ConfigState]:
    """:func:`configs_read`'s answer by config id."""
    return {
        int(entry["id"]): ConfigState(str(entry["type"]), bool(entry["active"]))
        for entry in read or []
    }


def tenant_default_read() -> Any:
    """A scalar subquery: the tenant's default LLM config (active, with an active provider;
    the most recently updated), or NULL."""
    return (
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
        .scalar_subquery()
    )


def _problem_with(config_id: object, states: dict[int, ConfigState]) -> str | None:
    if not isinstance(config_id, int) or isinstance(config_id, bool):
        return "must be a service config id (an integer)"
    state = states.get(config_id)
    if state is None:
        return f"service config {config_id} does not exist"
    if state.service_type != "llm":
        return f"service config {config_id} is a {state.service_type!r} service, not llm"
    if not state.active:
        return f"service config {config_id} (or its provider) is inactive"
    return None


def service_bindings(
    plan: dict[str, Any],
    service_dependencies: dict[str, Any],
    *,
    states: dict[int, ConfigState],
    tenant_default: int | None,
) -> dict[str, dict[str, int]]:
    """Node name -> {"llm_service": config id}, from what :func:`configs_read` and
    :func:`tenant_default_read` read; ValidationFailed lists every unusable binding."""
    bindings: dict[str, dict[str, int]] = {}
    errors: list[dict[str, str]] = []
    for node in nodes_needing(plan, LLM_SERVICE):
        name = str(node.get("name"))
        named = service_dependencies.get(name)
        explicit = named.get(LLM_SERVICE) if isinstance(named, dict) else None
        if explicit is not None:
            problem = _problem_with(explicit, states)
            if problem:
                path = f"/service_dependencies/{name}/{LLM_SERVICE}"
                errors.append({"path": path, "message": problem})
            else:
                bindings[name] = {LLM_SERVICE: int(explicit)}
            continue
        model = (node.get("config") or {}).get("model")
        if isinstance(model, str) and model.startswith(SCRIPTED_PREFIX):
            continue
        if tenant_default is not None:
            bindings[name] = {LLM_SERVICE: tenant_default}
    if errors:
        raise ValidationFailed(
            "the agent version's service bindings cannot be used; fix them before running",
            errors=errors,
        )
    return bindings
