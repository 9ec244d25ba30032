"""Reading executions with object-level checks."""

from __future__ import annotations

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.api.deps import Principal
from platform_api.errors import NotFound
from platform_core.models import WorkflowExecution


async def get_execution_for(
    *, session: AsyncSession, principal: Principal, execution_id: uuid.UUID
) -> WorkflowExecution:
    """An execution the caller may see: their own, or any in the tenant for admins/reviewers."""
    execution = await session.get(WorkflowExecution, execution_id)
    if execution is None:
        raise NotFound("execution not found")
    if execution.user_id != principal.user_id and not principal.has_role("reviewer", "developer"):
        raise NotFound("execution not found")
    return execution
