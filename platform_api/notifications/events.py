"""Notification events caused by API writes: a submission approved or rejected, and a
newer version published for the people who chat with the agent.

Written in the request's own transaction (``platform_core.notifications``); the dispatch
workflow for e-mails and webhooks is started in it too (it waits for the commit). If
Temporal is unreachable the review still succeeds and the in-app notifications stand;
that event's e-mails and webhook deliveries wait, and the stranded-notifications sweep
(a retention schedule, every two minutes) starts their dispatch once Temporal is back.
"""

from __future__ import annotations

import logging
import uuid

from sqlalchemy import select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from platform_api.api.state import AppServices
from platform_core import notifications as n
from platform_core.models import Agent, AgentVersion, Chat
from temporal_workflows.contracts import NOTIFICATION_DISPATCH_WORKFLOW, NotificationDispatchInput

log = logging.getLogger(__name__)


async def version_reviewed(
    *, session: AsyncSession, services: AppServices, version: AgentVersion
) -> None:
    """Tell the submitter the verdict; when published, tell the agent's chatting users."""
    agent = await session.get(Agent, version.agent_id)
    if agent is None or version.status not in ("published", "rejected"):
        return
    data = {
        "agent_id": str(agent.id),
        "agent_name": agent.name,
        "version_id": str(version.id),
        "version": version.version,
    }
    approved = version.status == "published"
    verdict = n.NotificationEvent(
        tenant_id=version.tenant_id,
        kind=n.SUBMISSION_APPROVED if approved else n.SUBMISSION_REJECTED,
        dedupe_key=f"version_reviewed:{version.id}:{version.status}",
        data={**data, "reason": version.review_note or ""},
        link=f"/studio/agents/{agent.id}",
    )
    submitter = version.created_by or agent.developer_id
    await _record_and_dispatch(session, services, verdict, [submitter])
    if approved:
        published = n.NotificationEvent(
            tenant_id=version.tenant_id,
            kind=n.AGENT_VERSION_PUBLISHED,
            dedupe_key=f"version_published:{version.id}",
            data=data,
            link=f"/store/{agent.id}",
        )
        await _record_and_dispatch(session, services, published, await _chatters(session, version))


async def _chatters(session: AsyncSession, version: AgentVersion) -> list[uuid.UUID]:
    """Users with a chat on an older version of the agent."""
    found = await session.execute(
        select(col(Chat.user_id))
        .where(col(Chat.agent_id) == version.agent_id, col(Chat.agent_version_id) != version.id)
        .distinct()
        .limit(n.MAX_RECIPIENTS)
    )
    return list(found.scalars())


async def _record_and_dispatch(
    session: AsyncSession,
    services: AppServices,
    event: n.NotificationEvent,
    recipients: list[uuid.UUID],
) -> None:
    recorded = await n.record_event(session, event, recipients)
    if not recorded.needs_dispatch:
        return
    try:
        client = await services.temporal()
        await client.start_workflow(
            NOTIFICATION_DISPATCH_WORKFLOW,
            NotificationDispatchInput(str(event.tenant_id), str(recorded.event_id)),
            id=f"notify-{recorded.event_id}",
            task_queue=services.settings.temporal_task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        )
    except WorkflowAlreadyStartedError:
        pass
    except Exception as exc:  # Temporal down: the review must not fail for its e-mails
        log.warning("notification %s not dispatched: %s", recorded.event_id, exc)
