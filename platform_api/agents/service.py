"""The developer's side of agents: create, update, version (validated and compiled)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.access.rules import may_manage_any_agent
from platform_api.agents.schemas import AgentCreate, AgentSummary, AgentUpdate, VersionCreate
from platform_api.auth.caller import Caller
from platform_api.definitions import compile_definition, instantiate_template
from platform_api.errors import Conflict, NotFound, ValidationFailed
from platform_api.paging import Page, PageParams, paginate
from platform_api.quotas.service import ensure_agent_slot
from platform_api.templates.service import count_use
from platform_api.tool_store.grants import check_store_grants
from platform_core.models import (
    Agent,
    AgentCategory,
    AgentVersion,
    AgentVersionTransition,
    Chat,
    WorkflowTemplate,
)
from platform_core.tool_resolution import unknown_dependencies


async def _check_category(session: AsyncSession, category_id: uuid.UUID | None) -> None:
    if category_id is not None and await session.get(AgentCategory, category_id) is None:
        raise ValidationFailed(
            "unknown category",
            errors=[{"path": "/body/category_id", "message": "no such category"}],
        )


async def create_agent(*, session: AsyncSession, caller: Caller, data: AgentCreate) -> Agent:
    """A draft agent owned by the calling developer."""
    await _check_category(session, data.category_id)
    await ensure_agent_slot(session=session, tenant_id=caller.tenant_id)
    agent = Agent(
        tenant_id=caller.tenant_id,
        developer_id=caller.user_id,
        name=data.name.strip(),
        description=data.description,
        category_id=data.category_id,
        tags=[t.strip() for t in data.tags],
    )
    session.add(agent)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(f"an agent named {data.name!r} already exists") from exc
    return agent


async def get_own_agent(*, session: AsyncSession, caller: Caller, agent_id: uuid.UUID) -> Agent:
    """An agent the caller develops (admins: any in the tenant); otherwise not found."""
    agent = await session.get(Agent, agent_id)
    if agent is None or not (may_manage_any_agent(caller) or agent.developer_id == caller.user_id):
        raise NotFound("agent not found")
    return agent


async def list_agents(
    *,
    session: AsyncSession,
    caller: Caller,
    page: PageParams,
    q: str | None,
    status: str | None,
) -> Page[AgentSummary]:
    """The agents the caller may build, newest change first (the same rule as getting one).

    A developer sees the agents they develop, an admin every agent of the tenant; the
    tenant's own transaction (row-level security) and the explicit tenant filter keep
    other tenants' agents out either way.
    """
    conditions = [col(Agent.tenant_id) == caller.tenant_id]
    if not may_manage_any_agent(caller):
        conditions.append(col(Agent.developer_id) == caller.user_id)
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(col(Agent.name).ilike(pattern) | col(Agent.description).ilike(pattern))
    if status:
        conditions.append(col(Agent.status) == status)
    agents, total = await paginate(
        session,
        select(Agent).where(*conditions).order_by(col(Agent.updated_at).desc(), col(Agent.id)),
        page,
    )
    current: dict[uuid.UUID, str] = {}
    latest: dict[uuid.UUID, AgentVersion] = {}
    if agents:
        rows = await session.execute(
            select(AgentVersion)
            .where(col(AgentVersion.agent_id).in_([a.id for a in agents]))
            .order_by(col(AgentVersion.created_at).desc(), col(AgentVersion.id))
        )
        for version in rows.scalars():
            latest.setdefault(version.agent_id, version)
            if version.is_current:
                current[version.agent_id] = version.version
    items = [
        AgentSummary(
            id=agent.id,
            name=agent.name,
            description=agent.description,
            tags=list(agent.tags or []),
            status=agent.status,
            current_version=current.get(agent.id),
            latest_version=latest[agent.id].version if agent.id in latest else None,
            latest_status=latest[agent.id].status if agent.id in latest else None,
            created_at=agent.created_at,
            updated_at=agent.updated_at,
        )
        for agent in agents
    ]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


async def update_agent(*, session: AsyncSession, agent: Agent, data: AgentUpdate) -> Agent:
    """Apply the given changes."""
    changes = data.model_dump(exclude_unset=True)
    if "category_id" in changes:
        await _check_category(session, changes["category_id"])
    for key, value in changes.items():
        if value is None and key in ("name", "tags"):
            continue
        setattr(agent, key, value)
    agent.updated_at = datetime.now(UTC)
    session.add(agent)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict("another agent already has that name") from exc
    return agent


async def _template_for(session: AsyncSession, data: VersionCreate) -> WorkflowTemplate:
    if data.workflow_template_id is not None:
        row = await session.get(WorkflowTemplate, data.workflow_template_id)
    else:
        row = (
            (
                await session.execute(
                    select(WorkflowTemplate)
                    .where(col(WorkflowTemplate.name) == data.template_name)
                    .order_by(
                        col(WorkflowTemplate.tenant_id).is_(None),
                        col(WorkflowTemplate.created_at).desc(),
                    )
                )
            )
            .scalars()
            .first()
        )
    if row is None:
        raise NotFound("template not found")
    if row.status == "draft":
        raise ValidationFailed(
            "draft templates cannot be used yet",
            errors=[{"path": "/body/workflow_template_id", "message": "template is a draft"}],
        )
    return row


async def _check_tool_dependencies(
    session: AsyncSession, tenant_id: uuid.UUID, dependencies: list[str] | None
) -> None:
    """Every declared tool must exist in the tenant's registry (``tool`` or ``server/tool``)."""
    missing = await unknown_dependencies(
        session, tenant_id=tenant_id, dependencies=list(dependencies or [])
    )
    if missing:
        raise ValidationFailed(
            "unknown tools in tool_dependencies",
            errors=[
                {
                    "path": f"/body/tool_dependencies/{i}",
                    "message": f"no active tool {(dependencies or [])[i]!r} in the registry",
                }
                for i in missing
            ],
        )


async def create_version(
    *, session: AsyncSession, caller: Caller, agent: Agent, data: VersionCreate
) -> AgentVersion:
    """A draft version, validated and compiled now; immutable from here on."""
    template: WorkflowTemplate | None = None
    if data.workflow_definition is not None:
        plan = compile_definition(data.workflow_definition, prefix="/body/workflow_definition")
    else:
        template = await _template_for(session, data)
        _, plan = instantiate_template(
            template, data.template_parameters or {}, prefix="/body/template_parameters"
        )
    await _check_tool_dependencies(session, caller.tenant_id, data.tool_dependencies)
    # Tools installed from the tool store: only the roles the installation granted them to.
    await check_store_grants(
        session,
        tenant_id=caller.tenant_id,
        role=caller.role,
        tool_dependencies=data.tool_dependencies,
        execution_plan=plan.model_dump(mode="json"),
    )
    version = AgentVersion(
        tenant_id=caller.tenant_id,
        agent_id=agent.id,
        version=data.version,
        status="draft",
        workflow_definition=data.workflow_definition,
        workflow_template_id=template.id if template else None,
        template_parameters=(data.template_parameters or {}) if template else None,
        execution_plan=plan.model_dump(mode="json"),
        plan_hash=plan.plan_hash,
        system_prompt=data.system_prompt,
        tool_dependencies=data.tool_dependencies,
        rag_enabled=data.rag_enabled,
        model_params_override=data.model_params_override,
        service_dependencies=data.service_dependencies,
        input_schema=data.input_schema,
        changelog=data.changelog,
        created_by=caller.user_id,
    )
    session.add(version)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(f"version {data.version!r} already exists for this agent") from exc
    session.add(
        AgentVersionTransition(
            tenant_id=caller.tenant_id,
            agent_version_id=version.id,
            from_status="none",
            to_status="draft",
            actor_id=caller.user_id,
        )
    )
    if template is not None:
        await count_use(session, template.id)
    return version


async def list_versions(*, session: AsyncSession, agent: Agent) -> list[AgentVersion]:
    """An agent's versions, newest first."""
    rows = await session.execute(
        select(AgentVersion)
        .where(col(AgentVersion.agent_id) == agent.id)
        .order_by(col(AgentVersion.created_at).desc(), col(AgentVersion.id))
    )
    return list(rows.scalars())


async def get_version(
    *, session: AsyncSession, agent: Agent, version_id: uuid.UUID
) -> AgentVersion:
    """One version of the agent."""
    version = await session.get(AgentVersion, version_id)
    if version is None or version.agent_id != agent.id:
        raise NotFound("version not found")
    return version


async def open_sandbox(
    *, session: AsyncSession, caller: Caller, agent: Agent, version: AgentVersion
) -> Chat:
    """A test chat of the caller on ``version`` (drafts included), visible only to the caller.

    Developers try their own versions with it, reviewers the versions they review; the
    route decides who may open one on which version. Messages go through the ordinary
    chat launcher, so the run and its event stream are exactly those of production.
    """
    chat = Chat(
        tenant_id=caller.tenant_id,
        user_id=caller.user_id,
        agent_id=agent.id,
        agent_version_id=version.id,
        title=f"Sandbox: {agent.name} {version.version}",
        is_sandbox=True,
    )
    session.add(chat)
    await session.flush()
    return chat
