"""Testing a service config: the call is I/O, so a worker makes it (activities.service_probe)."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import timedelta

from temporalio.client import Client, WorkflowFailureError
from temporalio.service import RPCError

from platform_api.api.temporal_errors import temporal_problem
from platform_api.errors import ServiceUnavailable
from platform_api.providers.schemas import ServiceConfigTestResult
from platform_core.settings import Settings
from temporal_workflows import contracts as c

PROBE_DEADLINE = timedelta(seconds=60)


async def test_connection(
    *, client: Client, settings: Settings, tenant_id: uuid.UUID, config_id: int
) -> ServiceConfigTestResult:
    """Run the probe workflow and wait for its answer (503 while Temporal is away)."""
    try:
        result: c.ServiceProbeResult = await client.execute_workflow(
            c.PROBE_SERVICE_CONFIG_WORKFLOW,
            c.ServiceProbeInput(tenant_id=str(tenant_id), config_id=config_id),
            id=f"probe-{config_id}-{uuid.uuid4()}",
            task_queue=settings.temporal_task_queue,
            result_type=c.ServiceProbeResult,
            execution_timeout=PROBE_DEADLINE,
        )
    except RPCError as exc:
        raise temporal_problem(exc, ended="the test could not run") from exc
    except WorkflowFailureError as exc:  # no worker picked it up in time
        raise ServiceUnavailable("no worker could run the test in time; try again") from exc
    # The same fields; validating checks the worker's reason is one the API documents.
    return ServiceConfigTestResult.model_validate(asdict(result))
