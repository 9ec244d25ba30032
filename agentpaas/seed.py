"""Idempotent seeding: node types, the template catalog, categories and the demo tenant.

Runs as the table owner (RLS does not apply), so it can write shared rows and
create the first tenant. Every step is an upsert: running it twice changes nothing.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from agentpaas.demo_knowledge import seed_demo_knowledge
from node_types.compiler import compile_plan
from node_types.registry import all_node_types
from platform_api.auth.passwords import hash_password
from platform_api.templates.service import write_structure
from platform_core.db import Database
from platform_core.models import (
    Agent,
    AgentCategory,
    AgentVersion,
    NodeType,
    Tenant,
    TenantQuota,
    User,
    WorkflowTemplate,
)
from platform_core.settings import Settings
from templates_catalog import instantiate, load_catalog

logger = logging.getLogger(__name__)

CATEGORIES: dict[str, list[str]] = {
    "Productivity": ["Writing", "Research", "Assistants"],
    "Engineering": ["Code review", "DevOps"],
    "Customer support": ["Triage", "Knowledge base"],
    "Operations": ["Approvals"],
}
DEMO_USERS = (("developer", "Demo Developer"), ("reviewer", "Demo Reviewer"), ("user", "Demo User"))


@dataclass(frozen=True)
class SeedResult:
    """What the demo tenant looks like after seeding."""

    tenant_id: uuid.UUID
    admin_email: str
    agent_id: uuid.UUID


async def seed_node_types(session: AsyncSession) -> None:
    """Upsert every node type the engine knows."""
    for entry in all_node_types():
        spec = entry.spec
        values = {
            "type_name": spec.type_name,
            "display_name": spec.display_name,
            "description": spec.description,
            "config_schema": spec.config_schema,
            "input_schema": spec.input_schema,
            "output_schema": spec.output_schema,
            "required_services": list(spec.required_services),
            "default_config": spec.default_config,
            "category": spec.category,
            "tags": list(spec.tags),
            "execution": spec.execution,
            "is_active": True,
            "updated_at": datetime.now(UTC),
        }
        await session.execute(
            insert(NodeType)
            .values(id=uuid.uuid4(), **values)
            .on_conflict_do_update(index_elements=["type_name"], set_=values)
        )


async def seed_templates(session: AsyncSession) -> None:
    """Upsert the shared template catalog with its denormalised nodes and edges."""
    for template in load_catalog():
        existing = (
            await session.execute(
                select(WorkflowTemplate).where(
                    col(WorkflowTemplate.tenant_id).is_(None),
                    col(WorkflowTemplate.name) == template.name,
                    col(WorkflowTemplate.version) == template.version,
                )
            )
        ).scalar_one_or_none()
        row = existing or WorkflowTemplate(
            name=template.name, version=template.version, display_name=template.display_name
        )
        row.display_name = template.display_name
        row.description = template.description
        row.category = template.category
        row.template_definition = template.definition
        row.parameter_schema = template.parameter_schema
        row.status = "active"
        session.add(row)
        await session.flush()
        await write_structure(session, row, template.definition)


async def seed_categories(session: AsyncSession) -> None:
    """The store's category tree."""
    for parent_name, children in CATEGORIES.items():
        parent = await _category(session, parent_name, None)
        for child in children:
            await _category(session, child, parent.id)


async def _category(session: AsyncSession, name: str, parent_id: uuid.UUID | None) -> AgentCategory:
    found = (
        await session.execute(
            # The shared tree: a tenant's own category of the same name is not it.
            select(AgentCategory).where(
                col(AgentCategory.name) == name, col(AgentCategory.tenant_id).is_(None)
            )
        )
    ).scalar_one_or_none()
    if found is None:
        found = AgentCategory(name=name, parent_id=parent_id)
        session.add(found)
        await session.flush()
    return found


async def _category_id(session: AsyncSession, name: str | None) -> uuid.UUID | None:
    # Only an existing category (the tree is seeded first); a missing one leaves none.
    if name is None:
        return None
    found = await session.execute(
        select(col(AgentCategory.id)).where(
            col(AgentCategory.name) == name, col(AgentCategory.tenant_id).is_(None)
        )
    )
    return found.scalar_one_or_none()


async def _user(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    email: str,
    name: str,
    role: str,
    password: str,
    rounds: int,
) -> User:
    found = (
        await session.execute(
            select(User).where(col(User.tenant_id) == tenant_id, col(User.email) == email)
        )
    ).scalar_one_or_none()
    if found is None:
        found = User(
            tenant_id=tenant_id,
            email=email,
            display_name=name,
            role=role,
            password_hash=await hash_password(password, rounds),
        )
        session.add(found)
        await session.flush()
    return found


async def seed_demo_tenant(session: AsyncSession, settings: Settings) -> SeedResult:
    """The demo tenant, its admin (and one user per role), and a published chat agent."""
    tenant = (
        await session.execute(select(Tenant).where(col(Tenant.name) == settings.demo_tenant))
    ).scalar_one_or_none()
    if tenant is None:
        tenant = Tenant(name=settings.demo_tenant, display_name="Demo Tenant", plan="pro")
        session.add(tenant)
        await session.flush()
        # The demo tenant is a developer's playground (and the test suite's tenant): roomy limits.
        session.add(
            TenantQuota(
                tenant_id=tenant.id, max_users=50, max_agents=100, max_sessions_per_day=100_000
            )
        )
    password = settings.demo_admin_password.get_secret_value()
    admin = await _user(
        session,
        tenant.id,
        settings.demo_admin_email,
        "Demo Admin",
        "admin",
        password,
        settings.bcrypt_rounds,
    )
    domain = settings.demo_admin_email.split("@", 1)[-1]
    for role, name in DEMO_USERS:
        await _user(
            session, tenant.id, f"{role}@{domain}", name, role, password, settings.bcrypt_rounds
        )
    agent = await seed_agent(
        session,
        tenant_id=tenant.id,
        developer_id=admin.id,
        name="Assistant",
        description="A general chat assistant (offline scripted model until a provider is set).",
        template_name="plain_chat",
        parameters={},
        tags=["chat", "general"],
        category="Assistants",
    )
    handbook = await seed_demo_knowledge(session, tenant_id=tenant.id, admin=admin)
    await seed_demo_agents(
        session, tenant_id=tenant.id, developer_id=admin.id, knowledge_base_id=handbook.id
    )
    return SeedResult(tenant_id=tenant.id, admin_email=admin.email, agent_id=agent.id)


# Published demo agents built from the catalog, so a newcomer's store is not empty; each
# answers with the offline scripted model until the tenant adds a provider.
DEMO_AGENTS: tuple[dict[str, Any], ...] = (
    {
        "name": "Support triage desk",
        "description": "客服分诊：把每条客户消息分为账单、技术或一般问题，交给对应的专员回答。"
        " Sorts each customer message into billing, technical or general and answers as"
        " the right specialist.",
        "template_name": "support_triage",
        "parameters": {"company_name": "AgentPaaS"},
        "tags": ["support", "客服", "router"],
        "category": "Triage",
    },
    {
        "name": "Tool helper",
        "description": "工具助手：需要时调用内置 MCP 工具（计算器、当前时间）再作答。"
        " Calls the bundled MCP tools (calculator, current time) when they help, then answers.",
        "template_name": "tool_agent",
        "parameters": {"tools": ["calculator", "current_time"], "max_tool_rounds": 3},
        "tags": ["tools", "工具", "mcp"],
        "category": "Assistants",
    },
    {
        "name": "Guarded web fetch",
        "description": "审批后执行：先提出要抓取的网页，由审核员批准后才执行 HTTP GET。"
        " Proposes the web page to fetch and fetches it only after a reviewer approves.",
        "template_name": "approval_gated_action",
        "parameters": {
            "action_tool": "http_get",
            "action_description": "fetch a public web page over HTTP GET",
        },
        "tags": ["approval", "审批", "human-in-the-loop"],
        "category": "Approvals",
    },
)


def handbook_agent(knowledge_base_id: uuid.UUID) -> dict[str, Any]:
    """The RAG demo agent, answering from the bundled handbook knowledge base."""
    return {
        "name": "Handbook Q&A",
        "description": "手册问答：只根据 AgentPaaS 手册回答，并标注引用来源 [1][2]。"
        " Answers from the bundled AgentPaaS handbook only, citing its sources as [1], [2].",
        "template_name": "rag_qa",
        "parameters": {"knowledge_base_ids": [str(knowledge_base_id)], "top_k": 3},
        "tags": ["rag", "知识库", "handbook"],
        "category": "Knowledge base",
    }


async def seed_demo_agents(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    developer_id: uuid.UUID,
    knowledge_base_id: uuid.UUID,
) -> list[Agent]:
    """The demo store's published agents (each kept as it is once it exists)."""
    return [
        await seed_agent(session, tenant_id=tenant_id, developer_id=developer_id, **demo)
        for demo in (*DEMO_AGENTS, handbook_agent(knowledge_base_id))
    ]


async def seed_platform_tenant(session: AsyncSession, settings: Settings) -> uuid.UUID:
    """The platform tenant, whose admins manage tenants, with the dev admin as its admin.

    The admin account uses the demo admin's email, so that email lives in two tenants
    (the 202 tenant-choice login). Its password is ``platform_admin_password``; unset,
    it is the demo admin's in development and no account is seeded elsewhere.
    """
    tenant = (
        await session.execute(select(Tenant).where(col(Tenant.name) == settings.platform_tenant))
    ).scalar_one_or_none()
    if tenant is None:
        tenant = Tenant(name=settings.platform_tenant, display_name="Platform", plan="enterprise")
        session.add(tenant)
        await session.flush()
        session.add(TenantQuota(tenant_id=tenant.id))
    password = settings.platform_admin_password
    if password is None and settings.environment == "development":
        password = settings.demo_admin_password
    if password is not None:
        await _user(
            session,
            tenant.id,
            settings.demo_admin_email,
            "Platform Admin",
            "admin",
            password.get_secret_value(),
            settings.bcrypt_rounds,
        )
    return tenant.id


async def seed_agent(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    developer_id: uuid.UUID,
    name: str,
    description: str,
    template_name: str,
    parameters: dict[str, Any],
    tags: list[str],
    category: str | None = None,
) -> Agent:
    """An agent with a published current version 1.0.0 built from a catalog template."""
    agent: Agent | None = (
        await session.execute(
            select(Agent).where(col(Agent.tenant_id) == tenant_id, col(Agent.name) == name)
        )
    ).scalar_one_or_none()
    if agent is not None:
        return agent
    now = datetime.now(UTC)
    agent = Agent(
        tenant_id=tenant_id,
        name=name,
        description=description,
        developer_id=developer_id,
        category_id=await _category_id(session, category),
        tags=tags,
        status="published",
        published_at=now,
    )
    session.add(agent)
    await session.flush()
    template = (
        (
            await session.execute(
                select(WorkflowTemplate).where(
                    col(WorkflowTemplate.tenant_id).is_(None),
                    col(WorkflowTemplate.name) == template_name,
                )
            )
        )
        .scalars()
        .first()
    )
    if template is None:
        raise RuntimeError(f"template {template_name!r} is not seeded")
    catalog = {t.name: t for t in load_catalog()}
    definition = instantiate(catalog[template_name], parameters)
    plan = compile_plan(definition)
    session.add(
        AgentVersion(
            tenant_id=tenant_id,
            agent_id=agent.id,
            version="1.0.0",
            status="published",
            workflow_template_id=template.id,
            template_parameters=parameters,
            execution_plan=plan.model_dump(mode="json"),
            plan_hash=plan.plan_hash,
            is_current=True,
            created_by=developer_id,
            published_at=now,
            changelog="Initial version.",
        )
    )
    return agent


async def seed_all(admin_url: str, settings: Settings) -> SeedResult:
    """Everything, in one transaction."""
    database = Database(admin_url, connections=4)
    try:
        async with database.system_session() as session:
            await seed_node_types(session)
            await seed_templates(session)
            await seed_categories(session)
            result = await seed_demo_tenant(session, settings)
            await seed_platform_tenant(session, settings)
    finally:
        await database.dispose()
    logger.info("seeded demo tenant %s", result.tenant_id)
    return result
