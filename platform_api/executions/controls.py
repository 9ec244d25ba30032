"""Run controls: pause, resume, cancel, and retry a failed run from its failed node."""

from __future__ import annotations

from temporalio.client import Client
from temporalio.service import RPCError

from platform_api.api.temporal_errors import temporal_problem
from platform_api.errors import Conflict
from platform_core.models import WorkflowExecution

ACTIVE = ("running", "paused", "interrupted", "pending")


async def signal_run(*, client: Client, execution: WorkflowExecution, signal: str) -> None:
    """Send pause/resume to a run that is still going."""
    if execution.status not in ACTIVE:
        raise Conflict(f"the run is {execution.status}")
    try:
        await client.get_workflow_handle(execution.workflow_id).signal(signal)
    except RPCError as exc:
        raise temporal_problem(exc, ended="the run has already ended") from exc


async def cancel_run(*, client: Client, execution: WorkflowExecution) -> None:
    """Cancel a run: running activities are cancelled, open tasks closed, status recorded."""
    if execution.status not in ACTIVE:
        raise Conflict(f"the run is {execution.status}")
    try:
        await client.get_workflow_handle(execution.workflow_id).cancel()
    except RPCError as exc:
        raise temporal_problem(exc, ended="the run has already ended") from exc
