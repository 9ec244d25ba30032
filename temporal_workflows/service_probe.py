"""The admin's "test connection" as a workflow: the call is I/O, so it runs on a worker."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

from temporal_workflows import contracts as c

PROBE_TIMEOUT = timedelta(seconds=40)
# One attempt: the admin is waiting, and a retry would hide what went wrong.
PROBE_RETRY = RetryPolicy(maximum_attempts=1)


@workflow.defn(name=c.PROBE_SERVICE_CONFIG_WORKFLOW)
class ServiceProbeWorkflow:
    """One probe activity; its result is the workflow's."""

    @workflow.run
    async def run(self, params: c.ServiceProbeInput) -> c.ServiceProbeResult:
        """Try the service config once."""
        result: c.ServiceProbeResult = await workflow.execute_activity(
            c.PROBE_SERVICE_CONFIG_ACTIVITY,
            params,
            result_type=c.ServiceProbeResult,
            start_to_close_timeout=PROBE_TIMEOUT,
            retry_policy=PROBE_RETRY,
            summary="test connection",
        )
        return result
