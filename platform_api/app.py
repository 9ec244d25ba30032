"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from qdrant_client import AsyncQdrantClient
from temporalio.client import Client

from platform_api.agents.routes import review_router as version_review_router
from platform_api.agents.routes import router as developer_router
from platform_api.api.state import AppServices
from platform_api.apikeys.routes import router as apikeys_router
from platform_api.auth.routes import router as auth_router
from platform_api.chats.manage_routes import router as chats_router
from platform_api.chats.routes import router as chat_router
from platform_api.db import Database
from platform_api.errors import install_error_handlers
from platform_api.executions.routes import agents_router as execute_router
from platform_api.executions.routes import router as executions_router
from platform_api.health.routes import router as health_router
from platform_api.knowledge.routes import router as knowledge_router
from platform_api.node_catalog.routes import router as node_types_router
from platform_api.observability.metrics import router as metrics_router
from platform_api.observability.middleware import FASTAPI_TELEMETRY, RequestObservability
from platform_api.openai_compat.routes import router as openai_router
from platform_api.providers.routes import router as providers_router
from platform_api.reviews.routes import router as reviews_router
from platform_api.settings import Settings
from platform_api.store.routes import router as store_router
from platform_api.templates.routes import router as templates_router

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
        yield
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
    )
    app.state.services = services
    install_error_handlers(app)
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
        reviews_router,
        version_review_router,
        executions_router,
        execute_router,
        apikeys_router,
        openai_router,
        providers_router,
        knowledge_router,
    ):
        app.include_router(router)
    if ui_dist is not None and (ui_dist / "index.html").exists():
        app.mount("/", StaticFiles(directory=ui_dist, html=True), name="ui")
    return app
