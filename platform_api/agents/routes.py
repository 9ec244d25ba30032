"""Developer routes: agents, versions, and validating a definition."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from platform_api.agents import lifecycle, service, stats
from platform_api.agents.diff import diff_of
from platform_api.agents.schemas import (
    AgentCreate,
    AgentDetail,
    AgentStats,
    AgentSummary,
    AgentUpdate,
    RejectDecision,
    ReviewDecision,
    SubmissionPublic,
    TransitionPublic,
    ValidateRequest,
    ValidateResponse,
    VersionCreate,
    VersionDiff,
    VersionPublic,
    VersionSummary,
)
from platform_api.api.deps import CurrentCaller, ServicesDep, TenantSession
from platform_api.api.pagination import page_params
from platform_api.chats.schemas import ChatPublic
from platform_api.definitions import compile_definition
from platform_api.notifications import events as notification_events
from platform_api.paging import Page, PageParams
from platform_api.replay_checks import service as replay_checks
from platform_api.run_graph.schemas import RunGraph
from platform_api.run_graph.service import graph_of_version
from platform_core.models import Agent, AgentVersion, Chat

router = APIRouter(prefix="/api/v1/developer", tags=["developer"])
review_router = APIRouter(prefix="/api/v1/reviews/versions", tags=["reviews"])


def _detail(agent: Agent, versions: list[AgentVersion]) -> AgentDetail:
    return AgentDetail.model_validate(agent, from_attributes=True).model_copy(
        update={
            "versions": [VersionSummary.model_validate(v, from_attributes=True) for v in versions]
        }
    )


@router.post("/agents", response_model=AgentDetail, status_code=201)
async def create_agent(
    body: AgentCreate, caller: CurrentCaller, session: TenantSession
) -> AgentDetail:
    """Create a draft agent."""
    agent = await service.create_agent(session=session, caller=caller, data=body)
    return _detail(agent, [])


@router.get("/agents", response_model=Page[AgentSummary])
async def list_agents(
    caller: CurrentCaller,
    session: TenantSession,
    page: Annotated[PageParams, Depends(page_params)],
    q: Annotated[
        str | None, Query(max_length=200, description="Part of name or description.")
    ] = None,
    status: Literal["draft", "published", "archived"] | None = None,
) -> Page[AgentSummary]:
    """The caller's agents (an admin's: the tenant's), every status, newest change first."""
    return await service.list_agents(session=session, caller=caller, page=page, q=q, status=status)


@router.get("/agents/{agent_id}", response_model=AgentDetail)
async def get_agent(
    agent_id: uuid.UUID, caller: CurrentCaller, session: TenantSession
) -> AgentDetail:
    """One of the caller's agents with its versions."""
    agent = await service.get_own_agent(session=session, caller=caller, agent_id=agent_id)
    return _detail(agent, await service.list_versions(session=session, agent=agent))


@router.patch("/agents/{agent_id}", response_model=AgentDetail)
async def update_agent(
    agent_id: uuid.UUID, body: AgentUpdate, caller: CurrentCaller, session: TenantSession
) -> AgentDetail:
    """Change an agent's name, description, category or tags."""
    agent = await service.get_own_agent(session=session, caller=caller, agent_id=agent_id)
    agent = await service.update_agent(session=session, agent=agent, data=body)
    return _detail(agent, await service.list_versions(session=session, agent=agent))


@router.post("/agents/{agent_id}/versions", response_model=VersionPublic, status_code=201)
async def create_version(
    agent_id: uuid.UUID, body: VersionCreate, caller: CurrentCaller, session: TenantSession
) -> AgentVersion:
    """Create a version; it is validated and compiled now (422 lists every problem)."""
    agent = await service.get_own_agent(session=session, caller=caller, agent_id=agent_id)
    return await service.create_version(session=session, caller=caller, agent=agent, data=body)


@router.get("/agents/{agent_id}/versions", response_model=list[VersionSummary])
async def list_versions(
    agent_id: uuid.UUID, caller: CurrentCaller, session: TenantSession
) -> list[AgentVersion]:
    """An agent's versions, newest first."""
    agent = await service.get_own_agent(session=session, caller=caller, agent_id=agent_id)
    return await service.list_versions(session=session, agent=agent)


@router.get("/agents/{agent_id}/versions/{version_id}", response_model=VersionPublic)
async def get_version(
    agent_id: uuid.UUID, version_id: uuid.UUID, caller: CurrentCaller, session: TenantSession
) -> AgentVersion:
    """One version in full."""
    agent = await service.get_own_agent(session=session, caller=caller, agent_id=agent_id)
    return await service.get_version(session=session, agent=agent, version_id=version_id)


@router.get("/agents/{agent_id}/versions/{version_id}/graph", response_model=RunGraph)
async def version_graph(
    agent_id: uuid.UUID, version_id: uuid.UUID, caller: CurrentCaller, session: TenantSession
) -> RunGraph:
    """The version's graph from its compiled plan (template versions too), as runs draw it."""
    agent = await service.get_own_agent(session=session, caller=caller, agent_id=agent_id)
    version = await service.get_version(session=session, agent=agent, version_id=version_id)
    return graph_of_version(version)


@router.get("/agents/{agent_id}/stats", response_model=AgentStats)
async def agent_usage_stats(
    agent_id: uuid.UUID,
    caller: CurrentCaller,
    session: TenantSession,
    days: Annotated[int, Query(ge=1, le=366, description="How many days, today included.")] = 30,
) -> AgentStats:
    """Runs, users, failures, tokens and ratings per day, for the agent's developer."""
    agent = await service.get_own_agent(session=session, caller=caller, agent_id=agent_id)
    return await stats.agent_stats(session=session, agent=agent, days=days)


@router.post("/definitions/validate", response_model=ValidateResponse)
async def validate_definition(body: ValidateRequest, caller: CurrentCaller) -> ValidateResponse:
    """Check a definition without saving it: 200 with its plan hash, or 422 with every problem."""
    plan = compile_definition(body.workflow_definition, prefix="/body/workflow_definition")
    return ValidateResponse(plan_hash=plan.plan_hash, nodes=len(plan.nodes))


@router.post("/agents/{agent_id}/versions/{version_id}/submit", response_model=VersionPublic)
async def submit_version(
    agent_id: uuid.UUID, version_id: uuid.UUID, caller: CurrentCaller, session: TenantSession
) -> AgentVersion:
    """Submit a draft (or rejected) version for review."""
    agent = await service.get_own_agent(session=session, caller=caller, agent_id=agent_id)
    version = await service.get_version(session=session, agent=agent, version_id=version_id)
    return await lifecycle.submit(session=session, caller=caller, version=version)


@router.post("/agents/{agent_id}/versions/{version_id}/archive", response_model=VersionPublic)
async def archive_version(
    agent_id: uuid.UUID, version_id: uuid.UUID, caller: CurrentCaller, session: TenantSession
) -> AgentVersion:
    """Retire a version (not the only published one)."""
    agent = await service.get_own_agent(session=session, caller=caller, agent_id=agent_id)
    version = await service.get_version(session=session, agent=agent, version_id=version_id)
    return await lifecycle.archive(session=session, caller=caller, version=version)


@router.get(
    "/agents/{agent_id}/versions/{version_id}/transitions",
    response_model=list[TransitionPublic],
)
async def version_transitions(
    agent_id: uuid.UUID, version_id: uuid.UUID, caller: CurrentCaller, session: TenantSession
) -> list[object]:
    """Every lifecycle transition of a version, oldest first."""
    agent = await service.get_own_agent(session=session, caller=caller, agent_id=agent_id)
    version = await service.get_version(session=session, agent=agent, version_id=version_id)
    return list(await lifecycle.transitions(session=session, version=version))


@review_router.get("", response_model=list[SubmissionPublic])
async def pending_reviews(caller: CurrentCaller, session: TenantSession) -> list[SubmissionPublic]:
    """Versions waiting for review with their agent's name, oldest first."""
    return [
        SubmissionPublic.model_validate(
            {**VersionPublic.model_validate(version).model_dump(), "agent_name": name}
        )
        for version, name in await lifecycle.pending_reviews(session=session)
    ]


@review_router.get("/{version_id}/graph", response_model=RunGraph)
async def submission_graph(
    version_id: uuid.UUID, caller: CurrentCaller, session: TenantSession
) -> RunGraph:
    """The graph of a version under review, as its runs will draw it."""
    version = await lifecycle.get_version(session=session, version_id=version_id)
    return graph_of_version(version)


@review_router.get("/{version_id}/diff", response_model=VersionDiff)
async def submission_diff(
    version_id: uuid.UUID, caller: CurrentCaller, session: TenantSession
) -> VersionDiff:
    """What a version changes against its agent's published version (all of it if none)."""
    version = await lifecycle.get_version(session=session, version_id=version_id)
    published = await lifecycle.published_version(session=session, agent_id=version.agent_id)
    return diff_of(published, version)


@review_router.post("/{version_id}/approve", response_model=VersionPublic)
async def approve_version(
    version_id: uuid.UUID,
    body: ReviewDecision,
    caller: CurrentCaller,
    session: TenantSession,
    services: ServicesDep,
) -> AgentVersion:
    """Publish a submitted version: it becomes the agent's current version (409 when the
    tenant requires a finished replay check of it and there is none)."""
    version = await lifecycle.get_version(session=session, version_id=version_id)
    await replay_checks.ensure_checked_if_required(session=session, version=version)
    await lifecycle.approve(session=session, caller=caller, version=version, note=body.note)
    await notification_events.version_reviewed(session=session, services=services, version=version)
    return version


@review_router.post("/{version_id}/reject", response_model=VersionPublic)
async def reject_version(
    version_id: uuid.UUID,
    body: RejectDecision,
    caller: CurrentCaller,
    session: TenantSession,
    services: ServicesDep,
) -> AgentVersion:
    """Send a submitted version back with a reason."""
    version = await lifecycle.get_version(session=session, version_id=version_id)
    await lifecycle.reject(session=session, caller=caller, version=version, reason=body.reason)
    await notification_events.version_reviewed(session=session, services=services, version=version)
    return version


@router.post(
    "/agents/{agent_id}/versions/{version_id}/sandbox", response_model=ChatPublic, status_code=201
)
async def open_sandbox(
    agent_id: uuid.UUID, version_id: uuid.UUID, caller: CurrentCaller, session: TenantSession
) -> Chat:
    """A test chat on any version (drafts included), visible only to its developer.

    Send messages to it with POST /api/v1/chat/completions and its chat_id; the full
    event stream is the same as in production.
    """
    agent = await service.get_own_agent(session=session, caller=caller, agent_id=agent_id)
    version = await service.get_version(session=session, agent=agent, version_id=version_id)
    return await service.open_sandbox(session=session, caller=caller, agent=agent, version=version)


@review_router.post("/{version_id}/sandbox", response_model=ChatPublic, status_code=201)
async def open_review_sandbox(
    version_id: uuid.UUID, caller: CurrentCaller, session: TenantSession
) -> Chat:
    """A reviewer's test chat on a version waiting for review (409 for any other version).

    Like the developer's sandbox: visible only to the reviewer who opened it; send messages
    with POST /api/v1/chat/completions and its chat_id.
    """
    agent, version = await lifecycle.get_submission(session=session, version_id=version_id)
    return await service.open_sandbox(session=session, caller=caller, agent=agent, version=version)


@router.get("/agents/{agent_id}/versions/{version_id}/diff/{other_id}", response_model=VersionDiff)
async def diff_versions(
    agent_id: uuid.UUID,
    version_id: uuid.UUID,
    other_id: uuid.UUID,
    caller: CurrentCaller,
    session: TenantSession,
) -> VersionDiff:
    """What changed from one version to another: JSON-pointer changes and the graph's."""
    agent = await service.get_own_agent(session=session, caller=caller, agent_id=agent_id)
    old = await service.get_version(session=session, agent=agent, version_id=version_id)
    new = await service.get_version(session=session, agent=agent, version_id=other_id)
    return diff_of(old, new)
