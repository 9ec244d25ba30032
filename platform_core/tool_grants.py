"""Whether a user has let an agent use a tool: a rule the API and the run's tool calls share."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_core.models import ToolGrant


async def is_granted(
    session: AsyncSession, *, user_id: uuid.UUID, agent_id: uuid.UUID, tool_id: uuid.UUID
) -> bool:
    """True when the user has a live grant for the agent to use the tool."""
    found = await session.execute(
        select(col(ToolGrant.id)).where(
            col(ToolGrant.user_id) == user_id,
            col(ToolGrant.agent_id) == agent_id,
            col(ToolGrant.tool_id) == tool_id,
            col(ToolGrant.revoked_at).is_(None),
        )
    )
    return found.first() is not None
