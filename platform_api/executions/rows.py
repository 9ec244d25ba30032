"""Registering a run: the one place a WorkflowExecution row is made."""

from __future__ import annotations

import uuid
from typing import Any

from platform_core.models import WorkflowExecution
from temporal_workflows.contracts import run_workflow_id


def new_execution(
    *,
    tenant_id: uuid.UUID,
    user_id: uuid.UUID,
    agent_id: uuid.UUID,
    version_id: uuid.UUID,
    input_data: dict[str, Any],
    chat_id: uuid.UUID | None = None,
    message_id: uuid.UUID | None = None,
) -> WorkflowExecution:
    """A running execution whose workflow id is ``exec-<execution_id>``.

    The seeds key LangGraph threads per chat; here each run is its own thread, so the
    thread id is the workflow id and (chat, thread) stays unique.
    ``input_data`` holds everything needed to run it again (retry from a failed node).
    """
    execution_id = uuid.uuid4()
    workflow_id = run_workflow_id(str(execution_id))
    return WorkflowExecution(
        execution_id=execution_id,
        tenant_id=tenant_id,
        chat_id=chat_id,
        message_id=message_id,
        agent_id=agent_id,
        agent_version_id=version_id,
        user_id=user_id,
        workflow_id=workflow_id,
        thread_id=workflow_id,
        status="running",
        input_data=input_data,
    )
