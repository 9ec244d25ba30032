"""The version lifecycle: draft → submitted → published (or rejected) → archived.

Every transition is recorded in AgentVersionTransition. Publishing makes the version
the agent's current one (exactly one, enforced by a partial unique index) and the
agent visible in the store; chats already open keep the version they locked.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.auth.caller import Caller
from platform_api.errors import Conflict, NotFound
from platform_core.models import Agent, AgentVersion, AgentVersionTransition

# from-status → the statuses it may move to
ALLOWED = {
    "draft": {"submitted", "archived"},
    "rejected": {"submitted", "archived"},
    "submitted": {"published", "rejected"},
    "published": {"archived"},
    "archived": set(),
}


def _record(
    session: AsyncSession,
    caller: Caller,
    version: AgentVersion,
    to_status: str,
    reason: str | None = None,
) -> None:
    if to_status not in ALLOWED.get(version.status, set()):
        raise Conflict(f"a {version.status} version cannot become {to_status}")
    session.add(
        AgentVersionTransition(
            tenant_id=version.tenant_id,
            agent_version_id=version.id,
            from_status=version.status,
            to_status=to_status,
            actor_id=caller.user_id,
            reason=reason,
        )
    )
    version.status = to_status
    session.add(version)


async def submit(*, session: AsyncSession, caller: Caller, version: AgentVersion) -> AgentVersion:
    """Ask a reviewer to publish this version."""
    _record(session, caller, version, "submitted")
    version.submitted_at = datetime.now(UTC)
    return version


async def get_version(*, session: AsyncSession, version_id: uuid.UUID) -> AgentVersion:
    """Any version of the tenant (for reviewers)."""
    version = await session.get(AgentVersion, version_id)
    if version is None:
        raise NotFound("version not found")
    return version


async def get_submission(
    *, session: AsyncSession, version_id: uuid.UUID
) -> tuple[Agent, AgentVersion]:
    """A version waiting for review, with its agent: what a reviewer may try in a sandbox.

    Another tenant's version is not found (row-level security); a version of this tenant
    that is not under review is a conflict, so the reviewer learns why it cannot be tried.
    """
    version = await get_version(session=session, version_id=version_id)
    if version.status != "submitted":
        raise Conflict(
            f"version {version.version} is {version.status}, not submitted for review; "
            "reviewers can try only versions waiting for review"
        )
    agent = await session.get(Agent, version.agent_id)
    if agent is None:
        raise NotFound("agent not found")
    return agent, version


async def published_version(*, session: AsyncSession, agent_id: uuid.UUID) -> AgentVersion | None:
    """The agent's current published version (what users chat with), if any."""
    found = await session.execute(
        select(AgentVersion).where(
            col(AgentVersion.agent_id) == agent_id,
            col(AgentVersion.is_current),
            col(AgentVersion.status) == "published",
        )
    )
    return found.scalars().first()


async def approve(
    *, session: AsyncSession, caller: Caller, version: AgentVersion, note: str | None
) -> AgentVersion:
    """Publish: the version becomes current and the agent appears in the store."""
    agent = await session.get(Agent, version.agent_id)
    if agent is None:
        raise NotFound("agent not found")
    _record(session, caller, version, "published", note)
    now = datetime.now(UTC)
    # Clear the old current version first: the partial unique index allows one.
    await session.execute(
        update(AgentVersion)
        .where(col(AgentVersion.agent_id) == agent.id, col(AgentVersion.is_current))
        .values(is_current=False)
    )
    await session.flush()
    version.is_current = True
    version.published_at = now
    version.reviewed_by = caller.user_id
    version.review_note = note
    agent.status = "published"
    agent.published_at = agent.published_at or now
    agent.updated_at = now
    session.add(agent)
    session.add(version)
    return version


async def reject(
    *, session: AsyncSession, caller: Caller, version: AgentVersion, reason: str
) -> AgentVersion:
    """Send the version back to its developer with a reason."""
    _record(session, caller, version, "rejected", reason)
    version.reviewed_by = caller.user_id
    version.review_note = reason
    return version


async def archive(*, session: AsyncSession, caller: Caller, version: AgentVersion) -> AgentVersion:
    """Retire a version; the current one can be archived only once another is published."""
    if version.is_current:
        others = await session.execute(
            select(AgentVersion.id).where(
                AgentVersion.agent_id == version.agent_id,
                AgentVersion.status == "published",
                AgentVersion.id != version.id,
            )
        )
        if others.first() is None:
            raise Conflict("this is the agent's only published version; archive the agent instead")
    _record(session, caller, version, "archived")
    version.is_current = False
    return version


async def pending_reviews(*, session: AsyncSession) -> list[tuple[AgentVersion, str]]:
    """Versions waiting for a reviewer with their agent's name, oldest first."""
    rows = await session.execute(
        select(AgentVersion, col(Agent.name))
        .join(Agent, col(Agent.id) == col(AgentVersion.agent_id))
        .where(AgentVersion.status == "submitted")
        .order_by(col(AgentVersion.submitted_at), col(AgentVersion.id))
    )
    return [(version, name) for version, name in rows.all()]


async def transitions(
    *, session: AsyncSession, version: AgentVersion
) -> list[AgentVersionTransition]:
    """The version's history of transitions."""
    rows = await session.execute(
        select(AgentVersionTransition)
        .where(AgentVersionTransition.agent_version_id == version.id)
        .order_by(col(AgentVersionTransition.created_at))
    )
    return list(rows.scalars())
