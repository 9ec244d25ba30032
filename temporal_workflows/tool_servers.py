"""Discovering an MCP server's tools, or pinging it, as a workflow: the call is I/O."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

from temporal_workflows import contracts as c

CHECK_TIMEOUT = timedelta(seconds=60)
# One attempt: a person is waiting, and the server's state is what they asked for.
CHECK_RETRY = RetryPolicy(maximum_attempts=1)


@workflow.defn(name=c.CHECK_TOOL_SERVER_WORKFLOW)
class ToolServerCheckWorkflow:
    """One check activity; its result is the workflow's."""

    @workflow.run
    async def run(self, params: c.ToolServerCheckInput) -> c.ToolServerCheckResult:
        """Discover or ping the server once."""
        result: c.ToolServerCheckResult = await workflow.execute_activity(
            c.CHECK_TOOL_SERVER_ACTIVITY,
            params,
            result_type=c.ToolServerCheckResult,
            start_to_close_timeout=CHECK_TIMEOUT,
            retry_policy=CHECK_RETRY,
            summary=params.mode,
        )
        return result
