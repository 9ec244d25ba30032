"""Connecting to Temporal the same way from the API, the worker and the CLI."""

from __future__ import annotations

from temporalio.client import Client
from temporalio.runtime import Runtime

from temporal_workflows.tracing import PlatformTracingInterceptor, record_workflow_spans

__all__ = ["connect_temporal", "record_workflow_spans"]


async def connect_temporal(
    address: str, namespace: str = "default", *, runtime: Runtime | None = None
) -> Client:
    """A Temporal client for ``address`` that traces what it starts (and workers built on it).

    ``runtime`` defaults to the process's (where ``agentpaas`` may have enabled the
    SDK's Prometheus metrics).
    """
    return await Client.connect(
        address,
        namespace=namespace,
        interceptors=[PlatformTracingInterceptor()],
        runtime=runtime,
    )
