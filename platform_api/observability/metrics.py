"""The API's Prometheus metrics, the ``/metrics`` route and the worker's metrics endpoints.

Everything registers on prometheus-client's default registry, so in ``agentpaas dev``
(API and worker in one process) ``/metrics`` shows both; a split worker serves the same
registry on ``AGENTPAAS_WORKER_METRICS_PORT``. Labels are bounded: route templates, never
raw paths; agent names, never ids.
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
    start_http_server,
)

# A `_created` sample per series doubles every counter and histogram; nothing reads them.
disable_created_metrics()  # type: ignore[no-untyped-call]

HTTP_REQUESTS = Counter(
    "agentpaas_http_requests",
    "HTTP requests answered, by method, route template and status code.",
    ["method", "route", "status"],
)
HTTP_LATENCY = Histogram(
    "agentpaas_http_request_duration_seconds",
    "Time until the response headers were sent (for SSE: until the stream opened).",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
SSE_STREAMS = Gauge(
    "agentpaas_sse_streams_active",
    "Server-Sent Event streams open right now, by route template.",
    ["route"],
)
HTTP_REJECTIONS = Counter(
    "agentpaas_http_rejections",
    "Requests refused with 429 by a quota or a rate limit, by route and problem type.",
    ["route", "reason"],
)
RUNS_STARTED = Counter(
    "agentpaas_runs_started",
    "Agent runs started on Temporal, by agent name.",
    ["agent"],
)

router = APIRouter(include_in_schema=False)


@router.get("/metrics")
async def metrics() -> Response:
    """Prometheus exposition of every metric this process records."""
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)


def record_run_started(agent_name: str) -> None:
    """Count a run that Temporal accepted."""
    RUNS_STARTED.labels(agent=agent_name or "unnamed").inc()


def serve_worker_metrics(host: str, port: int) -> None:
    """Serve the default registry on ``host:port`` (a split worker's ``/metrics``)."""
    start_http_server(port, addr=host)


def install_temporal_sdk_metrics(host: str, port: int) -> None:
    """Expose the Temporal SDK's own metrics (pollers, slots, latencies) on ``host:port``.

    Sets the process's default Temporal runtime, so it must run before any client connects.
    """
    from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig

    runtime = Runtime(
        telemetry=TelemetryConfig(
            metrics=PrometheusConfig(bind_address=f"{host}:{port}", durations_as_seconds=True)
        )
    )
    Runtime.set_default(runtime, error_if_already_set=True)
