"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI
from qdrant_client import AsyncQdrantClient
from temporalio.client import Client

from platform_api.agents.routes import review_router as version_review_router
from platform_api.agents.routes import router as developer_router
from platform_api.api.access_check import enforce_access_policy, policy_caller
from platform_api.api.deps import get_caller
from platform_api.api.input_policy import InputPolicy
from platform_api.api.problem_responses import PROBLEM_RESPONSES, document_problem_codes
from platform_api.api.state import AppServices
from platform_api.apikeys.routes import router as apikeys_router
from platform_api.audit.middleware import AuditTrail
from platform_api.audit.routes import router as audit_router
from platform_api.auth.oidc_admin_routes import router as identity_provider_router
from platform_api.auth.oidc_routes import router as oidc_router
from platform_api.auth.routes import router as auth_router
from platform_api.chats.routes import chats_router
from platform_api.chats.routes import router as chat_router
from platform_api.errors import ContainErrors, install_error_handlers
from platform_api.executions.routes import agents_router as execute_router
from platform_api.executions.routes import router as executions_router
from platform_api.groups.routes import people_router
from platform_api.groups.routes import router as groups_router
from platform_api.health.routes import router as health_router
from platform_api.human_tasks.routes import router as human_tasks_router
from platform_api.knowledge.routes import router as knowledge_router
from platform_api.mcp.mount import mcp_lifespan, mount_mcp
from platform_api.node_catalog.routes import router as node_types_router
from platform_api.notifications.routes import router as notifications_router
from platform_api.notifications.routes import settings_router as notification_settings_router
from platform_api.notifications.routes import webhooks_router
from platform_api.observability.metrics import router as metrics_router
from platform_api.observability.middleware import FASTAPI_TELEMETRY, RequestObservability
from platform_api.openai_compat.routes import router as openai_router
from platform_api.personal_keys.routes import policy_router as personal_keys_policy_router
from platform_api.personal_keys.routes import router as personal_keys_router
from platform_api.preferences.routes import router as preferences_router
from platform_api.providers.routes import router as providers_router
from platform_api.quotas.budgets.routes import router as budgets_router
from platform_api.quotas.routes import router as usage_router
from platform_api.ratelimit.middleware import RateLimiter
from platform_api.replay_checks.routes import developer_router as replay_developer_router
from platform_api.replay_checks.routes import review_router as replay_review_router
from platform_api.run_graph.routes import chats_router as chat_graph_router
from platform_api.run_graph.routes import executions_router as execution_graph_router
from platform_api.store.routes import router as store_router
from platform_api.templates.routes import router as templates_router
from platform_api.tenancy.routes import platform_router as tenants_router
from platform_api.tenancy.routes import users_router
from platform_api.tool_store.catalog import check_catalog
from platform_api.tool_store.routes import router as tool_store_router
from platform_api.tools.routes import grants_router as tool_grants_router
from platform_api.tools.routes import servers_router as tool_servers_router
from platform_api.tools.routes import tools_router
from platform_api.web.spa import SinglePageApp
from platform_core.db import Database
from platform_core.settings import Settings

UI_DIST = Path(__file__).resolve().parent.parent / "ui" / "dist"


def create_app(
    settings: Settings,
    *,
    database_url: str,
    temporal_address: str,
    temporal_client: Client | None = None,
    qdrant: AsyncQdrantClient | None = None,
    ui_dist: Path | None = UI_DIST,
) -> FastAPI:
    """Build the API: routers, error handlers, shared services and (if built) the web UI."""
    check_catalog(settings)  # a bad tool catalogue stops the start, naming entry and field
    services = AppServices(
        settings=settings,
        database=Database(database_url),
        temporal_address=temporal_address,
    )
    services.qdrant = qdrant
    if temporal_client is not None:
        services.set_temporal(temporal_client)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with mcp_lifespan(app):
            yield
        await services.run_events.close()
        await services.standing_monitor.close()
        await services.database.dispose()

    app = FastAPI(
        title="AgentPaaS API",
        version="0.1.0",
        description=(
            "Build agents as graph workflows, publish them to the AgentStore and chat with "
            "them. Every run is a durable Temporal workflow. Errors are RFC 9457 problem "
            "documents."
        ),
        lifespan=lifespan,
        telemetry=FASTAPI_TELEMETRY,
        # Every route: authenticate unless public, then its role and scope rule.
        dependencies=[Depends(enforce_access_policy)],
        responses=PROBLEM_RESPONSES,
    )
    app.state.services = services
    # Routes asking for the caller get the one the policy authenticated.
    app.dependency_overrides[get_caller] = policy_caller
    install_error_handlers(app)
    document_problem_codes(app)
    # Added inner to outer: the audit trail sits inside the rate limiter (a refused flood
    # writes nothing), and observability wraps both so its request id is set for them.
    app.add_middleware(InputPolicy)  # innermost: a refused input is still audited and rate-limited
    app.add_middleware(AuditTrail, services=services)
    app.add_middleware(RateLimiter, services=services)
    # Just inside observability (which adds the request id to its answer): an exception
    # that escaped every handler is answered here and the connection stays open.
    app.add_middleware(ContainErrors)
    app.add_middleware(RequestObservability)
    app.include_router(metrics_router)
    for router in (
        health_router,
        auth_router,
        chat_router,
        chats_router,
        store_router,
        node_types_router,
        templates_router,
        developer_router,
        human_tasks_router,
        groups_router,
        people_router,
        version_review_router,
        executions_router,
        execution_graph_router,
        chat_graph_router,
        execute_router,
        apikeys_router,
        openai_router,
        providers_router,
        knowledge_router,
        tenants_router,
        users_router,
        usage_router,
        budgets_router,
        audit_router,
        tool_servers_router,
        tools_router,
        tool_grants_router,
        tool_store_router,
        oidc_router,
        identity_provider_router,
        notifications_router,
        notification_settings_router,
        preferences_router,
        webhooks_router,
        replay_developer_router,
        replay_review_router,
        personal_keys_router,
        personal_keys_policy_router,
    ):
        app.include_router(router)
    mount_mcp(app, services)  # before the UI, which is mounted at "/"
    if ui_dist is not None and (ui_dist / "index.html").exists():
        app.mount("/", SinglePageApp(directory=ui_dist, html=True), name="ui")
    return app
