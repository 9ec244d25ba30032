"""Connecting to Temporal the same way from the API, the worker and the CLI."""

from __future__ import annotations

import asyncio
import time

from temporalio.client import Client
from temporalio.runtime import Runtime

from temporal_workflows.tracing import PlatformTracingInterceptor, record_workflow_spans

__all__ = ["connect_temporal", "record_workflow_spans"]

# A server that has just started accepts connections a moment before its frontend serves.
_STARTING = "Frontend is not healthy yet"
STARTING_PATIENCE_SECONDS = 30.0


async def connect_temporal(
    address: str, namespace: str = "default", *, runtime: Runtime | None = None
) -> Client:
    """A Temporal client for ``address`` that traces what it starts (and workers built on it).

    ``runtime`` defaults to the process's (where ``agentpaas`` may have enabled the
    SDK's Prometheus metrics). A server that is still starting (it accepts connections
    before its frontend serves: seen right after a restart) is waited for, up to
    ``STARTING_PATIENCE_SECONDS``.
    """
    give_up_at = time.monotonic() + STARTING_PATIENCE_SECONDS
    while True:
        try:
            return await Client.connect(
                address,
                namespace=namespace,
                interceptors=[PlatformTracingInterceptor()],
                runtime=runtime,
            )
        except RuntimeError as exc:
            # Only a server still starting is waited for: one that is down fails at once.
            if _STARTING not in str(exc) or time.monotonic() > give_up_at:
                raise
            await asyncio.sleep(0.2)
