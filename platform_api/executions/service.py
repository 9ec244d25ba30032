"""What retrying a run reuses: the recorded outputs of the tasks that finished."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from sqlalchemy import select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_core.models import WorkflowNodeExecution

logger = logging.getLogger(__name__)


RETRYABLE_STATUSES = ("failed", "cancelled")
REUSABLE_NODE_STATUSES = ("completed", "skipped")


async def reusable_updates(
    *, session: AsyncSession, execution_id: uuid.UUID
) -> dict[str, dict[str, Any]]:
    """Outputs of the tasks that completed in a run, by task id (what a retry reuses)."""
    rows = await session.execute(
        select(col(WorkflowNodeExecution.task_id), col(WorkflowNodeExecution.output_state)).where(
            col(WorkflowNodeExecution.execution_id) == execution_id,
            col(WorkflowNodeExecution.status).in_(REUSABLE_NODE_STATUSES),
        )
    )
    return {task_id: output or {} for task_id, output in rows.all()}
