"""Users' grants letting an agent use a tool on their behalf (revocable)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.errors import NotFound
from platform_api.paging import PageParams, paginate
from platform_core.models import Agent, MCPTool, ToolGrant


async def get_mine(
    *, session: AsyncSession, user_id: uuid.UUID, page: PageParams
) -> tuple[list[ToolGrant], int]:
    """The caller's grants, newest first (revoked ones included, marked)."""
    mine = col(ToolGrant.user_id) == user_id
    return await paginate(
        session,
        select(ToolGrant).where(mine).order_by(col(ToolGrant.created_at).desc(), col(ToolGrant.id)),
        page,
    )


async def grant(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    user_id: uuid.UUID,
    agent_id: uuid.UUID,
    tool_id: uuid.UUID,
) -> ToolGrant:
    """Grant (or re-grant after a revocation) the agent use of the tool for this user."""
    agent = await session.get(Agent, agent_id)
    if agent is None or agent.tenant_id != tenant_id:
        raise NotFound("agent not found")
    tool = await session.get(MCPTool, tool_id)
    if tool is None or tool.tenant_id != tenant_id:
        raise NotFound("tool not found")
    now = datetime.now(UTC)
    statement = (
        insert(ToolGrant)
        .values(
            id=uuid.uuid4(),
            tenant_id=tenant_id,
            user_id=user_id,
            agent_id=agent_id,
            tool_id=tool_id,
            created_at=now,
        )
        .on_conflict_do_update(
            constraint="uq_tool_grants_user_agent_tool",
            set_={"revoked_at": None, "created_at": now},
        )
        .returning(col(ToolGrant.id))
    )
    grant_id = (await session.execute(statement)).scalar_one()
    row = await session.get(ToolGrant, grant_id, populate_existing=True)
    assert row is not None  # just written in this transaction
    return row


async def revoke(*, session: AsyncSession, user_id: uuid.UUID, grant_id: uuid.UUID) -> ToolGrant:
    """Revoke one of the caller's grants (idempotent); another user's is not found."""
    row = await session.get(ToolGrant, grant_id)
    if row is None or row.user_id != user_id:
        raise NotFound("tool grant not found")
    if row.revoked_at is None:
        row.revoked_at = datetime.now(UTC)
        await session.flush()
    return row
