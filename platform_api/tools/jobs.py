"""Starting a tool server's discovery or health check on a worker and waiting for it."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Literal

from temporalio.client import Client, WorkflowFailureError
from temporalio.service import RPCError

from platform_api.api.temporal_errors import temporal_problem
from platform_api.errors import ServiceUnavailable
from platform_core.settings import Settings
from temporal_workflows import contracts as c

CHECK_DEADLINE = timedelta(seconds=90)


async def check_server(
    *,
    client: Client,
    settings: Settings,
    tenant_id: uuid.UUID,
    server_id: uuid.UUID,
    mode: Literal["discover", "health"],
) -> c.ToolServerCheckResult:
    """Run the check on a worker; the rows it wrote are committed when this returns."""
    try:
        result: c.ToolServerCheckResult = await client.execute_workflow(
            c.CHECK_TOOL_SERVER_WORKFLOW,
            c.ToolServerCheckInput(tenant_id=str(tenant_id), server_id=str(server_id), mode=mode),
            id=f"tool-server-{mode}-{server_id}-{uuid.uuid4().hex[:8]}",
            task_queue=settings.temporal_task_queue,
            result_type=c.ToolServerCheckResult,
            execution_timeout=CHECK_DEADLINE,
        )
    except RPCError as exc:
        raise temporal_problem(exc, ended="the check could not run") from exc
    except WorkflowFailureError as exc:
        raise ServiceUnavailable("no worker could run the check in time; try again") from exc
    return result
