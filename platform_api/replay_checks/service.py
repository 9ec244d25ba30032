"""Starting a replay check and reading it; and the approval gate a tenant may set.

A check runs a draft or submitted version on the latest completed conversations of the
agent's published version. For each, the recorded calls become replayable outputs keyed
by what the call was (``node_types.replay.call_key``: node, type, settings, input), and a
new run of the candidate is registered; a workflow (``ReplayCheck``) runs them and writes
the report.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession
from temporalio.client import Client
from temporalio.service import RPCError

from node_types.plan import ExecutionPlan, parse_plan
from node_types.replay import call_key, path_of
from platform_api.access.rules import may_manage_any_agent
from platform_api.api.temporal_errors import temporal_problem
from platform_api.auth.caller import Caller
from platform_api.errors import Conflict, DomainError, NotFound
from platform_api.executions.launcher import prepare_run
from platform_api.executions.rows import new_execution
from platform_api.tenancy.schemas import REPLAY_CHECK_SETTING
from platform_core.db import Database
from platform_core.models import (
    Agent,
    AgentVersion,
    ReplayCheck,
    Tenant,
    WorkflowExecution,
    WorkflowNodeExecution,
)
from platform_core.settings import Settings
from temporal_workflows import contracts as c

CHECKABLE_STATUSES = ("draft", "submitted")
REVIEWERS = ("reviewer", "admin")


async def _versions(
    session: AsyncSession, caller: Caller, version_id: uuid.UUID
) -> tuple[Agent, AgentVersion, AgentVersion]:
    """The candidate, its agent and the published version it is checked against."""
    version = await session.get(AgentVersion, version_id)
    agent = await session.get(Agent, version.agent_id) if version else None
    if version is None or agent is None:
        raise NotFound("version not found")
    developer = agent.developer_id == caller.user_id or may_manage_any_agent(caller)
    reviewer = version.status == "submitted" and caller.has_role(*REVIEWERS)
    if not (developer or reviewer):
        raise NotFound("version not found")
    if version.status not in CHECKABLE_STATUSES:
        raise Conflict(
            f"only draft or submitted versions are checked; this one is {version.status}"
        )
    baseline = (
        await session.execute(
            select(AgentVersion).where(
                col(AgentVersion.agent_id) == agent.id,
                col(AgentVersion.status) == "published",
                col(AgentVersion.is_current),
            )
        )
    ).scalar_one_or_none()
    if baseline is None:
        raise Conflict("the agent has no published version whose conversations could be replayed")
    return agent, version, baseline


async def _recorded(
    session: AsyncSession, baseline: AgentVersion, limit: int
) -> list[tuple[WorkflowExecution, list[WorkflowNodeExecution]]]:
    """The latest completed runs of the published version, with their node records."""
    runs = (
        (
            await session.execute(
                select(WorkflowExecution)
                .where(
                    col(WorkflowExecution.agent_version_id) == baseline.id,
                    col(WorkflowExecution.status) == "completed",
                )
                .order_by(col(WorkflowExecution.completed_at).desc())
                .limit(limit)
            )
        )
        .scalars()
        .all()
    )
    runs = [r for r in runs if (r.input_data or {}).get("inputs") is not None]
    if not runs:
        return []
    nodes = (
        (
            await session.execute(
                select(WorkflowNodeExecution).where(
                    col(WorkflowNodeExecution.execution_id).in_([r.execution_id for r in runs])
                )
            )
        )
        .scalars()
        .all()
    )
    by_run: dict[uuid.UUID, list[WorkflowNodeExecution]] = {}
    for node in nodes:
        by_run.setdefault(node.execution_id, []).append(node)
    return [(run, by_run.get(run.execution_id, [])) for run in reversed(runs)]


def replay_outputs(
    plan: ExecutionPlan, nodes: list[WorkflowNodeExecution]
) -> dict[str, dict[str, Any]]:
    """The recorded calls of one run as replayable outputs, keyed by what each call was."""
    known = {node.name: node for node in plan.nodes}
    outputs: dict[str, dict[str, Any]] = {}
    for node in nodes:
        spec = known.get(node.node_name)
        if spec is None or node.status != "completed" or node.output_state is None:
            continue
        if node.input_state is None:  # an in-workflow node: always computed again
            continue
        key = call_key(node.node_name, node.node_type, dict(spec.config), node.input_state)
        outputs[key] = node.output_state
    return outputs


async def start_check(
    *,
    database: Database,
    client: Client,
    settings: Settings,
    caller: Caller,
    version_id: uuid.UUID,
    conversations: int,
    unmatched: str,
) -> ReplayCheck:
    """Register the check and its runs, then start the workflow that drives them."""
    async with database.tenant_session(caller.tenant_id) as session:
        agent, version, baseline = await _versions(session, caller, version_id)
        recorded = await _recorded(session, baseline, conversations)
        if not recorded:
            raise Conflict("the published version has no completed conversations to replay")
        baseline_plan = parse_plan(baseline.execution_plan)
        check = ReplayCheck(
            tenant_id=caller.tenant_id,
            agent_id=agent.id,
            agent_version_id=version.id,
            baseline_version_id=baseline.id,
            requested_by=caller.user_id,
            options={"conversations": conversations, "unmatched": unmatched},
        )
        session.add(check)
        planned = []
        for run, nodes in recorded:
            inputs = dict(run.input_data["inputs"])
            execution = new_execution(
                tenant_id=caller.tenant_id,
                user_id=caller.user_id,
                agent_id=agent.id,
                version_id=version.id,
                input_data={"inputs": inputs, "replay_check": str(check.id)},
            )
            session.add(execution)
            planned.append(
                c.ReplayConversation(
                    execution_id=str(execution.execution_id),
                    recorded_execution_id=str(run.execution_id),
                    inputs=inputs,
                    replay_outputs=replay_outputs(baseline_plan, nodes),
                    recorded_path=path_of((n.step, n.node_name) for n in nodes),
                    recorded_answer=(run.final_result or {}).get("answer"),
                )
            )
        first = execution
    try:
        bindings = await prepare_run(database=database, execution=first, version=version)
        await client.start_workflow(
            c.REPLAY_CHECK_WORKFLOW,
            c.ReplayCheckInput(
                check_id=str(check.id),
                tenant_id=str(caller.tenant_id),
                agent_id=str(agent.id),
                agent_version_id=str(version.id),
                agent_name=agent.name,
                plan=version.execution_plan,
                conversations=planned,
                unmatched=unmatched,
                service_bindings=bindings,
                model_params_override=dict(version.model_params_override or {}),
                default_model=settings.default_model,
                infrastructure_patience_seconds=settings.infrastructure_patience_seconds,
            ),
            id=c.replay_check_workflow_id(str(check.id)),
            task_queue=settings.temporal_task_queue,
        )
    except (DomainError, RPCError) as exc:
        # Never started: the check and its runs are failed, not left running.
        async with database.tenant_session(caller.tenant_id) as session:
            await _fail_registered(session, check.id)
        if isinstance(exc, RPCError):
            raise temporal_problem(exc, ended="the check could not be started") from exc
        raise
    return check


async def _fail_registered(session: AsyncSession, check_id: uuid.UUID) -> None:
    """A check whose workflow never started: it and its runs are failed, not left running."""
    check = await session.get(ReplayCheck, check_id)
    if check is not None:
        check.status = "failed"
        session.add(check)
    runs = (
        (
            await session.execute(
                select(WorkflowExecution).where(
                    col(WorkflowExecution.input_data)["replay_check"].astext == str(check_id)
                )
            )
        )
        .scalars()
        .all()
    )
    for run in runs:
        run.status = "failed"
        session.add(run)


async def get_check(*, session: AsyncSession, caller: Caller, check_id: uuid.UUID) -> ReplayCheck:
    """A check the caller may read: its agent's developer, managers, or reviewers."""
    check = await session.get(ReplayCheck, check_id)
    agent = await session.get(Agent, check.agent_id) if check else None
    if check is None or agent is None:
        raise NotFound("replay check not found")
    if not (
        agent.developer_id == caller.user_id
        or may_manage_any_agent(caller)
        or caller.has_role(*REVIEWERS)
    ):
        raise NotFound("replay check not found")
    return check


async def checks_of_version(
    *, session: AsyncSession, caller: Caller, version_id: uuid.UUID
) -> list[ReplayCheck]:
    """The version's checks, newest first (what a reviewer sees on the submission)."""
    version = await session.get(AgentVersion, version_id)
    agent = await session.get(Agent, version.agent_id) if version else None
    if version is None or agent is None:
        raise NotFound("version not found")
    if not (
        agent.developer_id == caller.user_id
        or may_manage_any_agent(caller)
        or caller.has_role(*REVIEWERS)
    ):
        raise NotFound("version not found")
    rows = await session.execute(
        select(ReplayCheck)
        .where(col(ReplayCheck.agent_version_id) == version_id)
        .order_by(col(ReplayCheck.created_at).desc())
    )
    return list(rows.scalars())


async def ensure_checked_if_required(*, session: AsyncSession, version: AgentVersion) -> None:
    """Raise Conflict when the tenant requires a finished replay check before approval and
    the version has none (an agent's first version has nothing to replay: not required)."""
    tenant = await session.get(Tenant, version.tenant_id)
    if tenant is None or not (tenant.settings or {}).get(REPLAY_CHECK_SETTING):
        return
    published = (
        await session.execute(
            select(col(AgentVersion.id)).where(
                col(AgentVersion.agent_id) == version.agent_id,
                col(AgentVersion.status) == "published",
            )
        )
    ).first()
    if published is None:
        return
    done = (
        await session.execute(
            select(col(ReplayCheck.id)).where(
                col(ReplayCheck.agent_version_id) == version.id,
                col(ReplayCheck.status) == "completed",
            )
        )
    ).first()
    if done is None:
        raise Conflict(
            "this tenant requires a finished replay check of the version before it is approved"
        )
