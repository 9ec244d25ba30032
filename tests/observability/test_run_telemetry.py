"""One run through a traced client and worker: its trace, its Temporal UI view, SDK metrics.

This module builds its own API, Temporal client (the platform's ``connect_temporal``, so
with the tracing interceptor and a Temporal runtime exporting Prometheus metrics) and
worker on its own task queue; spans go to the in-memory exporter.
"""

from __future__ import annotations

import asyncio
import json
import urllib.request
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig
from temporalio.testing import WorkflowEnvironment

from agentpaas.runtime.ports import free_port
from agentpaas.worker import build_worker
from platform_api.app import create_app
from platform_core.db import Database
from platform_core.settings import Settings
from temporal_workflows.client import connect_temporal, record_workflow_spans
from temporal_workflows.contracts import SEARCH_ATTRIBUTES, run_workflow_id
from tests.helpers import create_agent, login, stream_turn
from tests.observability.graphs import draft_then_review, scripted_model
from tests.observability.promtext import sample_names

DASHBOARD = Path(__file__).resolve().parents[2] / "deploy/grafana/dashboards/agentpaas.json"
SECRET_WORDS = "the-user-secret-words-7f3a"


@dataclass
class TracedStack:
    """An API and a worker wired the way ``agentpaas`` wires them."""

    http: httpx.AsyncClient
    temporal: Client
    sdk_metrics_url: str


@pytest.fixture(scope="module")
async def stack(
    settings: Settings, database_urls: Any, temporal_env: WorkflowEnvironment, seeded: Any
) -> AsyncIterator[TracedStack]:
    """API + traced client + worker on a task queue of their own."""
    port = free_port()
    runtime = Runtime(
        telemetry=TelemetryConfig(
            metrics=PrometheusConfig(bind_address=f"127.0.0.1:{port}", durations_as_seconds=True)
        )
    )
    address = temporal_env.client.service_client.config.target_host
    client = await connect_temporal(address, runtime=runtime)
    own = settings.model_copy(update={"temporal_task_queue": f"traced-{uuid.uuid4().hex[:8]}"})
    database = Database(database_urls.app_url)
    worker = build_worker(client, database, own.temporal_task_queue, max_cached_workflows=0)
    app = create_app(
        own,
        database_url=database_urls.app_url,
        temporal_address=address,
        temporal_client=client,
        ui_dist=None,
    )
    async with (
        worker,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        ) as http,
    ):
        yield TracedStack(http, client, f"http://127.0.0.1:{port}/metrics")
    await app.state.services.database.dispose()
    await database.dispose()


async def _run_two_nodes(stack: TracedStack, seeded: Any, admin_url: str) -> httpx.Response:
    agent = f"traced-{uuid.uuid4().hex[:8]}"
    await create_agent(
        admin_url,
        seeded.tenant_id,
        draft_then_review(scripted_model("a draft"), scripted_model("a review")),
        name=agent,
    )
    token = await login(stack.http, seeded.admin_email)
    response, frames = await stream_turn(
        stack.http, token, {"agent": agent, "message": f"hello {SECRET_WORDS}"}
    )
    assert response.status_code == 200, response.text
    assert frames[-1]["event"] == "done" and frames[-1]["data"]["status"] == "completed"
    # `done` commits with the run's records; the workflow (and its spans) end just after.
    run = run_workflow_id(response.headers["X-Execution-Id"])
    await stack.temporal.get_workflow_handle(run).result()
    return response


def _one(spans: list[ReadableSpan], name: str) -> ReadableSpan:
    found = [s for s in spans if s.name == name]
    assert len(found) == 1, (name, sorted(s.name for s in spans))
    return found[0]


async def test_one_trace_spans_the_request_the_workflow_and_every_node(
    stack: TracedStack, seeded: Any, database_urls: Any, span_exporter: InMemorySpanExporter
) -> None:
    response = await _run_two_nodes(stack, seeded, database_urls.admin_url)
    execution_id = response.headers["X-Execution-Id"]
    spans = list(span_exporter.get_finished_spans())

    request = _one(spans, "POST /api/v1/chat/completions")
    assert request.context is not None
    trace_id = request.context.trace_id
    in_trace = [s for s in spans if s.context is not None and s.context.trace_id == trace_id]
    by_id = {s.context.span_id: s for s in in_trace if s.context is not None}

    start = _one(in_trace, "StartWorkflow:AgentRun")
    run = _one(in_trace, "RunWorkflow:AgentRun")
    nodes = [s for s in in_trace if s.name == "RunActivity:node.llm"]
    assert sorted(str(s.attributes["agentpaas.node"]) for s in nodes) == ["draft", "review"]
    assert _one(in_trace, "RunActivity:records.finish_execution")

    # The request span and the run span name the run; node spans name their node.
    ids = {
        "agentpaas.tenant_id": str(seeded.tenant_id),
        "agentpaas.execution_id": execution_id,
        "agentpaas.chat_id": response.headers["X-Chat-Id"],
    }
    for span in (request, start, run):
        assert span.attributes is not None
        assert {key: span.attributes.get(key) for key in ids} == ids, span.name
        assert span.attributes.get("agentpaas.agent_version_id")
    assert run.attributes is not None and run.attributes["temporalWorkflowID"] == (
        run_workflow_id(execution_id)
    )
    for node in nodes:
        assert node.attributes is not None
        assert node.attributes["agentpaas.execution_id"] == execution_id
        assert node.attributes["agentpaas.node_type"] == "llm"
        # Inside each node: the model call and the node's database writes.
        children = [s for s in in_trace if s.parent and s.parent.span_id == node.context.span_id]
        call = _one(children, "litellm.acompletion")
        assert call.attributes is not None and str(
            call.attributes["gen_ai.request.model"]
        ).startswith("scripted/")
        # Its record: the start with the outcome (a quick node) or the outcome alone.
        writes = {"INSERT workflow_node_executions", "UPDATE workflow_node_executions"}
        assert any(s.name in writes for s in children), [s.name for s in children]

    # Every span of the trace hangs off the request span.
    for span in in_trace:
        root = span
        while root.parent is not None and root.parent.span_id in by_id:
            root = by_id[root.parent.span_id]
        assert root is request, span.name

    # Ids and names only: the user's words are in no attribute of any span.
    for span in spans:
        for attribute in (span.attributes or {}).values():
            assert SECRET_WORDS not in str(attribute), span.name


async def test_with_spans_exported_nowhere_the_workflow_makes_none_and_nodes_keep_the_trace(
    stack: TracedStack, seeded: Any, database_urls: Any, span_exporter: InMemorySpanExporter
) -> None:
    """The workflow's own spans cost ≈ 5 ms before a run's first token; made for nobody
    they are not made. The nodes still run in the request's trace: the worker's log lines
    name the request's trace id. (The exporter here stands in for "nowhere" only for the
    workflow: the request's and the nodes' spans show where they belong.)"""
    record_workflow_spans(False)
    try:
        await _run_two_nodes(stack, seeded, database_urls.admin_url)
    finally:
        record_workflow_spans(True)
    spans = list(span_exporter.get_finished_spans())
    request = _one(spans, "POST /api/v1/chat/completions")
    assert request.context is not None
    in_trace = [s for s in spans if s.context and s.context.trace_id == request.context.trace_id]
    workflow_spans = ("RunWorkflow:", "CompleteWorkflow:", "StartActivity:")
    assert [s.name for s in spans if s.name.startswith(workflow_spans)] == []
    nodes = [s for s in in_trace if s.name == "RunActivity:node.llm"]
    assert sorted(str(s.attributes["agentpaas.node"]) for s in nodes if s.attributes) == [
        "draft",
        "review",
    ]
    start = _one(in_trace, "StartWorkflow:AgentRun")
    assert start.context is not None
    # With no workflow span between them, the nodes hang off the start of the run.
    assert {n.parent.span_id for n in nodes if n.parent} == {start.context.span_id}


async def test_runs_are_findable_in_the_temporal_ui(
    stack: TracedStack, seeded: Any, database_urls: Any
) -> None:
    response = await _run_two_nodes(stack, seeded, database_urls.admin_url)
    handle = stack.temporal.get_workflow_handle(run_workflow_id(response.headers["X-Execution-Id"]))
    description = await handle.describe()
    attributes = {
        key.name: description.typed_search_attributes.get(key) for key in SEARCH_ATTRIBUTES
    }
    assert attributes["TenantId"] == str(seeded.tenant_id)
    assert attributes["ChatId"] == response.headers["X-Chat-Id"]
    assert attributes["AgentId"] and attributes["AgentVersionId"]
    assert attributes["RunStatus"] == "completed"

    converter = stack.temporal.data_converter.payload_converter
    summaries = [
        converter.from_payload(event.user_metadata.summary, str)
        async for event in handle.fetch_history_events()
        if event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
    ]
    assert summaries == ["llm: draft", "llm: review"]


async def test_the_dashboards_temporal_panels_use_metrics_the_sdk_exports(
    stack: TracedStack, seeded: Any, database_urls: Any
) -> None:
    response = await _run_two_nodes(stack, seeded, database_urls.admin_url)
    run = stack.temporal.get_workflow_handle(run_workflow_id(response.headers["X-Execution-Id"]))
    await run.result()
    exported = await _sdk_metric_names(stack, having="temporal_workflow_completed")
    dashboard = json.loads(DASHBOARD.read_text())
    used = {
        name
        for panel in dashboard["panels"]
        for target in panel.get("targets", [])
        for name in _metric_names(target["expr"])
        if name.startswith("temporal_")
    }
    assert used, "the dashboard shows none of the Temporal SDK's worker metrics"
    assert used <= exported, sorted(used - exported)


async def _sdk_metric_names(stack: TracedStack, *, having: str) -> set[str]:
    """What the SDK exports, once ``having`` is among it (the SDK records as it goes)."""
    exported: set[str] = set()
    for _ in range(100):
        exported = sample_names(urllib.request.urlopen(stack.sdk_metrics_url).read().decode())
        if having in exported:
            return exported
        await asyncio.sleep(0.1)
    raise AssertionError(f"the SDK never exported {having}: {sorted(exported)}")


def _metric_names(expr: str) -> set[str]:
    import re

    return set(re.findall(r"\b(?:agentpaas|temporal)_[a-z0-9_]+", expr))
