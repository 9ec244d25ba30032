"""Direct runs: execute an agent with structured input, outside any chat (the seeds' API)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import jsonschema
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from temporalio.client import Client, WorkflowFailureError

from platform_api.auth.caller import Caller
from platform_api.errors import NotFound, ValidationFailed
from platform_api.executions import rows
from platform_api.executions.schemas import ExecuteRequest, ExecuteResult
from platform_api.quotas.service import count_session
from platform_core.models import Agent, AgentVersion, WorkflowExecution
from temporal_workflows.contracts import RunResult


async def runnable_version(
    *, session: AsyncSession, agent_id: uuid.UUID, version: str | None
) -> tuple[Agent, AgentVersion]:
    """The agent's current published version, or the named published one."""
    agent = await session.get(Agent, agent_id)
    if agent is None or agent.status != "published":
        raise NotFound("agent not found")
    query = select(AgentVersion).where(
        AgentVersion.agent_id == agent.id, AgentVersion.status == "published"
    )
    query = (
        query.where(AgentVersion.version == version)
        if version
        else query.where(col(AgentVersion.is_current))
    )
    found = (await session.execute(query)).scalars().first()
    if found is None:
        raise NotFound(f"version {version!r} is not published" if version else "no current version")
    return agent, found


async def open_direct_session(
    *, session: AsyncSession, agent_id: uuid.UUID, version: str | None
) -> tuple[Agent, AgentVersion]:
    """The version a new run outside any chat will use, counted as a session.

    ``/execute``, the OpenAI-compatible API and MCP calls without a chat each open a
    session: it is counted against today's quota in the caller's transaction, so a
    refused or failed request counts nothing.
    """
    agent, found = await runnable_version(session=session, agent_id=agent_id, version=version)
    await count_session(session=session, tenant_id=agent.tenant_id)
    return agent, found


def run_inputs(version: AgentVersion, body: ExecuteRequest) -> dict[str, Any]:
    """The run's input state: checked against the plan's inputs and the version's schema."""
    accepted = list(version.execution_plan.get("inputs") or [])
    inputs = dict(body.input)
    if body.message is not None:
        if "messages" not in accepted:
            raise ValidationFailed(
                "this agent takes no messages",
                errors=[{"path": "/body/message", "message": "not an input of this agent"}],
            )
        inputs["messages"] = [{"role": "user", "content": body.message}]
    unknown = sorted(set(inputs) - set(accepted))
    errors = [
        {"path": f"/body/input/{key}", "message": f"not an input of this agent ({accepted})"}
        for key in unknown
    ]
    if version.input_schema:
        validator = jsonschema.Draft202012Validator(version.input_schema)
        errors += [
            {
                "path": "/body/input" + "".join(f"/{p}" for p in error.absolute_path),
                "message": error.message,
            }
            for error in validator.iter_errors(body.input)
        ]
    if errors:
        raise ValidationFailed("the input does not fit this agent", errors=errors)
    return inputs


def new_execution(
    caller: Caller, agent: Agent, version: AgentVersion, inputs: dict[str, Any]
) -> WorkflowExecution:
    """A registered run outside any chat."""
    return rows.new_execution(
        tenant_id=caller.tenant_id,
        user_id=caller.user_id,
        agent_id=agent.id,
        version_id=version.id,
        input_data={"inputs": inputs, "model_params": {}},
    )


async def wait_for_result(
    client: Client, execution: WorkflowExecution, timeout: float
) -> ExecuteResult:
    """The run's outcome if it ends within ``timeout`` seconds, else its running status."""
    handle = client.get_workflow_handle(execution.workflow_id, result_type=RunResult)
    try:
        result = await asyncio.wait_for(handle.result(), timeout=timeout)
    except TimeoutError:
        return ExecuteResult(execution_id=execution.execution_id, status="running")
    except WorkflowFailureError as exc:
        return ExecuteResult(
            execution_id=execution.execution_id, status="failed", error=str(exc.cause or exc)
        )
    return ExecuteResult(
        execution_id=execution.execution_id,
        status=result.status,
        answer=result.answer,
        output=result.final_state,
    )
