"""Starting runs on Temporal and keeping the execution row true when that fails."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from sqlalchemy import func, select, update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession
from temporalio.client import Client
from temporalio.common import SearchAttributePair, TypedSearchAttributes

from platform_api.errors import DomainError, ServiceUnavailable
from platform_api.observability.metrics import record_run_started
from platform_api.providers.bindings import LLM_SERVICE, nodes_needing, resolve_service_bindings
from platform_api.providers.usage import ensure_tokens_left
from platform_core.db import Database
from platform_core.models import Agent, AgentVersion, WorkflowExecution, WorkflowNodeExecution
from platform_core.settings import Settings
from temporal_workflows import contracts as c

logger = logging.getLogger(__name__)


def search_attributes(
    *, tenant_id: uuid.UUID, agent_id: uuid.UUID, version_id: uuid.UUID, chat_id: uuid.UUID | None
) -> TypedSearchAttributes:
    """The attributes operators filter runs by in the Temporal UI."""
    pairs = [
        SearchAttributePair(c.SA_TENANT, str(tenant_id)),
        SearchAttributePair(c.SA_AGENT, str(agent_id)),
        SearchAttributePair(c.SA_AGENT_VERSION, str(version_id)),
        SearchAttributePair(c.SA_STATUS, "running"),
    ]
    if chat_id is not None:
        pairs.append(SearchAttributePair(c.SA_CHAT, str(chat_id)))
    return TypedSearchAttributes(pairs)


async def start_run(
    *,
    client: Client,
    database: Database,
    settings: Settings,
    execution: WorkflowExecution,
    agent: Agent,
    version: AgentVersion,
    inputs: dict[str, Any],
    model_params: dict[str, Any],
    recorded_updates: dict[str, dict[str, Any]] | None = None,
    retry_of: uuid.UUID | None = None,
) -> str:
    """Start the interpreter workflow for a registered execution; returns the workflow id.

    Before anything starts, every node's service binding is resolved (unusable ones are
    a 422) and a tenant over its monthly token quota is refused (429); either way the
    execution row is marked failed so the chat is free for the next message.
    """
    try:
        bindings = await prepare_run(database=database, execution=execution, version=version)
    except DomainError as exc:
        await _mark_not_started(database, execution, exc.detail)
        raise
    params = c.RunInput(
        execution_id=str(execution.execution_id),
        tenant_id=str(execution.tenant_id),
        agent_id=str(agent.id),
        agent_version_id=str(version.id),
        plan=version.execution_plan,
        inputs=inputs,
        chat_id=str(execution.chat_id) if execution.chat_id else None,
        user_id=str(execution.user_id) if execution.user_id else None,
        trigger_message_id=str(execution.message_id) if execution.message_id else None,
        model_params_override={**(version.model_params_override or {}), **model_params},
        default_model=settings.default_model,
        agent_name=agent.name,
        recorded_updates=recorded_updates or {},
        retry_of=str(retry_of) if retry_of else None,
        use_search_attributes=settings.temporal_search_attributes,
        service_bindings=bindings,
        infrastructure_patience_seconds=settings.infrastructure_patience_seconds,
    )
    try:
        await client.start_workflow(
            c.RUN_WORKFLOW,
            params,
            id=execution.workflow_id,
            task_queue=settings.temporal_task_queue,
            search_attributes=(
                search_attributes(
                    tenant_id=execution.tenant_id,
                    agent_id=agent.id,
                    version_id=version.id,
                    chat_id=execution.chat_id,
                )
                if settings.temporal_search_attributes
                else None
            ),
            static_summary=f"{agent.name} {version.version}",
        )
    except Exception as exc:
        logger.warning("could not start run %s: %s", execution.workflow_id, exc)
        await _mark_not_started(database, execution, "could not start the run")
        raise ServiceUnavailable("the run could not be started; try again") from exc
    record_run_started(agent.name)
    return execution.workflow_id


async def prepare_run(
    *, database: Database, execution: WorkflowExecution, version: AgentVersion
) -> dict[str, dict[str, int]]:
    """Check the token quota and resolve service bindings; returns the bindings."""
    plan = version.execution_plan or {}
    if not nodes_needing(plan, LLM_SERVICE):
        return {}
    async with database.tenant_session(execution.tenant_id) as session:
        await ensure_tokens_left(session=session, tenant_id=execution.tenant_id)
        return await resolve_service_bindings(
            session=session,
            plan=plan,
            service_dependencies=version.service_dependencies or {},
        )


async def _mark_not_started(database: Database, execution: WorkflowExecution, message: str) -> None:
    async with database.tenant_session(execution.tenant_id) as session:
        await session.execute(
            update(WorkflowExecution)
            .where(col(WorkflowExecution.execution_id) == execution.execution_id)
            .values(status="failed", error_info={"message": message}, completed_at=func.now())
        )


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
