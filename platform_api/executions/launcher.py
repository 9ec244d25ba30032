"""The one way a run starts: register its execution row, then start its workflow.

Chats (each user turn), direct execution (``/agents/{id}/execute``), the OpenAI-compatible
API, MCP agent calls and retries all go through :class:`RunLauncher`. Registering happens in
the caller's tenant transaction (so a refused request leaves nothing behind); starting
resolves the version's service bindings, checks the token quota and starts the interpreter
workflow, marking the row failed when any of that goes wrong so the chat is free again.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession
from temporalio.client import Client
from temporalio.common import SearchAttributePair, TypedSearchAttributes

from node_types.plan import parse_plan
from node_types.pregel import state_edit_problems
from platform_api.auth.caller import Caller
from platform_api.chats import service as chats
from platform_api.chats.service import ChatTurn
from platform_api.errors import (
    Conflict,
    DomainError,
    NotFound,
    ServiceUnavailable,
    ValidationFailed,
)
from platform_api.executions import direct
from platform_api.executions.debugging import checked_breakpoints
from platform_api.executions.rows import new_execution
from platform_api.executions.schemas import Breakpoints
from platform_api.executions.service import (
    ENDED_STATUSES,
    RETRYABLE_STATUSES,
    get_execution_for,
    reusable_updates,
    updates_before_task,
)
from platform_api.observability.metrics import record_run_started
from platform_api.personal_keys import service as personal_keys
from platform_api.preferences import service as preferences
from platform_api.providers.bindings import (
    LLM_SERVICE,
    config_states,
    configs_read,
    named_config_ids,
    nodes_needing,
    service_bindings,
    tenant_default_read,
)
from platform_api.providers.usage import quota_read, refuse_when_used_up
from platform_core.db import Database
from platform_core.models import Agent, AgentVersion, WorkflowExecution
from platform_core.run_event_log import PendingEvent, append_events
from platform_core.settings import Settings
from temporal_workflows import contracts as c

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LaunchedRun:
    """A run that was registered and started."""

    execution: WorkflowExecution
    agent: Agent
    version: AgentVersion

    @property
    def workflow_id(self) -> str:
        """The interpreter workflow's id (``exec-<execution id>``)."""
        return self.execution.workflow_id


class RunLauncher:
    """Registers and starts runs for every entry point (see the module docstring)."""

    def __init__(self, *, client: Client, database: Database, settings: Settings) -> None:
        self._client = client
        self._database = database
        self._settings = settings

    async def direct(
        self,
        *,
        caller: Caller,
        agent_id: uuid.UUID,
        version: str | None,
        inputs_for: Callable[[AgentVersion], dict[str, Any]],
        model_params: dict[str, Any] | None = None,
    ) -> LaunchedRun:
        """A run outside any chat on the agent's current (or the named) published version.

        ``inputs_for`` builds the run's input state from the version (it checks the input
        against the version's schema and raises 422 when it does not fit).
        """
        async with self._database.tenant_session(caller.tenant_id) as session:
            agent, found = await direct.open_direct_session(
                session=session, agent_id=agent_id, version=version
            )
            inputs = inputs_for(found)
            execution = direct.new_execution(caller, agent, found, inputs)
            session.add(execution)
            await announce_run(session, execution, agent.name)
            prepared = await prepare_in_registration(session, execution, found)
        prepared.raise_refusal()
        launched = LaunchedRun(execution=execution, agent=agent, version=found)
        await self._start(
            launched, inputs=inputs, model_params=model_params or {}, prepared=prepared
        )
        return launched

    async def chat_turn(
        self,
        *,
        caller: Caller,
        text: str | None,
        chat_id: uuid.UUID | None,
        agent_id: uuid.UUID | None = None,
        agent_name: str | None = None,
        parent_message_id: uuid.UUID | None = None,
        regenerate_message_id: uuid.UUID | None = None,
        model_params: dict[str, Any] | None = None,
        chat_must_be_of_agent: bool = False,
        breakpoints: Breakpoints | None = None,
    ) -> ChatTurn:
        """The next turn of a chat (a new chat when ``chat_id`` is None), its run started.

        ``chat_must_be_of_agent``: the caller named both an agent and a chat (MCP); a chat
        of another agent is then not found rather than silently used.
        """
        async with self._database.tenant_session(caller.tenant_id) as session:
            if chat_must_be_of_agent and chat_id is not None:
                chat = await chats.get_own_chat(session=session, caller=caller, chat_id=chat_id)
                if chat.agent_id != agent_id:
                    raise NotFound("chat not found for this agent")
            turn = await chats.add_user_turn(
                session=session,
                caller=caller,
                agent_id=None if chat_must_be_of_agent else agent_id,
                agent_name=agent_name,
                chat_id=chat_id,
                text=text,
                parent_message_id=parent_message_id,
                model_params=model_params,
                regenerate_message_id=regenerate_message_id,
            )
            before, after = checked_breakpoints(
                caller,
                turn.agent,
                turn.version,
                turn.chat,
                *((breakpoints.before, breakpoints.after) if breakpoints else ([], [])),
            )
            await announce_run(session, turn.execution, turn.agent.name)
            prepared = await prepare_in_registration(session, turn.execution, turn.version)
        prepared.raise_refusal()
        launched = LaunchedRun(execution=turn.execution, agent=turn.agent, version=turn.version)
        await self._start(
            launched,
            inputs={"messages": turn.history},
            model_params=model_params or {},
            breakpoints=(before, after),
            prepared=prepared,
        )
        return turn

    async def retry(
        self, *, caller: Caller, execution_id: uuid.UUID
    ) -> tuple[LaunchedRun, list[str]]:
        """A new run of a failed or cancelled one: same version and inputs, finished tasks reused.

        Returns the run and the task ids whose recorded outputs it reuses.
        """
        async with self._database.tenant_session(caller.tenant_id) as session:
            old = await get_execution_for(session=session, caller=caller, execution_id=execution_id)
            if old.status not in RETRYABLE_STATUSES:
                raise Conflict(
                    f"only failed or cancelled runs can be retried; this one is {old.status}"
                )
            recorded = await reusable_updates(session=session, execution_id=old.execution_id)
            launched, inputs, prepared = await self._register_again(
                session, caller, old, {"retry_of": str(old.execution_id)}
            )
        prepared.raise_refusal()
        await self._start(
            launched,
            prepared=prepared,
            inputs=inputs,
            model_params=(old.input_data or {}).get("model_params") or {},
            recorded_updates=recorded,
            retry_of=old.execution_id,
        )
        return launched, sorted(recorded)

    async def rerun_from(
        self,
        *,
        caller: Caller,
        execution_id: uuid.UUID,
        task_id: str,
        state_edit: dict[str, Any] | None = None,
    ) -> tuple[LaunchedRun, list[str]]:
        """A new run of an ended one from the node task `task_id`: that task and everything
        after it run again; what came before reuses its recorded outputs. `state_edit`, if
        given, sets state keys before the task's step runs (validated against the version's
        state schema). In a chat, its answer is a new branch of the same turn.

        Returns the run and the task ids whose recorded outputs it reuses.
        """
        async with self._database.tenant_session(caller.tenant_id) as session:
            old = await get_execution_for(session=session, caller=caller, execution_id=execution_id)
            if old.status not in ENDED_STATUSES:
                raise Conflict(f"a run is run again once it has ended; this one is {old.status}")
            step, recorded = await updates_before_task(
                session=session, execution_id=old.execution_id, task_id=task_id
            )
            if state_edit is not None:
                version = await session.get(AgentVersion, old.agent_version_id)
                if version is None:
                    raise NotFound("the run's agent version no longer exists")
                problems = state_edit_problems(parse_plan(version.execution_plan), state_edit)
                if problems:
                    raise ValidationFailed(
                        "the state edit does not fit the agent's state",
                        errors=[{"path": f"/body/state/{k}", "message": m} for k, m in problems],
                    )
            launched, inputs, prepared = await self._register_again(
                session,
                caller,
                old,
                {"rerun_of": str(old.execution_id), "rerun_from": task_id},
            )
        prepared.raise_refusal()
        await self._start(
            launched,
            prepared=prepared,
            inputs=inputs,
            model_params=(old.input_data or {}).get("model_params") or {},
            recorded_updates=recorded,
            retry_of=old.execution_id,
            state_edit=state_edit,
            state_edit_step=step if state_edit is not None else None,
        )
        return launched, sorted(recorded)

    async def _register_again(
        self,
        session: AsyncSession,
        caller: Caller,
        old: WorkflowExecution,
        lineage: dict[str, str],
    ) -> tuple[LaunchedRun, dict[str, Any], PreparedRun]:
        """Register a new run of `old`'s version, inputs, chat and turn, linked to it, and
        prepare it (``prepare_in_registration``)."""
        inputs = (old.input_data or {}).get("inputs")
        if inputs is None:
            raise Conflict("this run predates retry support (its inputs were not recorded)")
        agent = await session.get(Agent, old.agent_id)
        version = await session.get(AgentVersion, old.agent_version_id)
        if agent is None or version is None:
            raise NotFound("the run's agent version no longer exists")
        new = new_execution(
            tenant_id=old.tenant_id,
            user_id=caller.user_id,
            agent_id=old.agent_id,
            version_id=old.agent_version_id,
            chat_id=old.chat_id,
            message_id=old.message_id,
            input_data={**old.input_data, **lineage},
        )
        session.add(new)
        try:
            await session.flush()
        except IntegrityError as exc:
            raise Conflict("the chat already has a run in progress") from exc
        await announce_run(session, new, agent.name)
        prepared = await prepare_in_registration(session, new, version)
        return LaunchedRun(execution=new, agent=agent, version=version), inputs, prepared

    async def _start(
        self,
        launched: LaunchedRun,
        *,
        prepared: PreparedRun,
        inputs: dict[str, Any],
        model_params: dict[str, Any],
        recorded_updates: dict[str, dict[str, Any]] | None = None,
        retry_of: uuid.UUID | None = None,
        state_edit: dict[str, Any] | None = None,
        state_edit_step: int | None = None,
        breakpoints: tuple[list[str], list[str]] = ([], []),
    ) -> None:
        await start_run(
            client=self._client,
            database=self._database,
            settings=self._settings,
            execution=launched.execution,
            agent=launched.agent,
            version=launched.version,
            inputs=inputs,
            model_params=model_params,
            recorded_updates=recorded_updates,
            retry_of=retry_of,
            state_edit=state_edit,
            state_edit_step=state_edit_step,
            breakpoints=breakpoints,
            prepared=prepared,
        )


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
    prepared: PreparedRun,
    inputs: dict[str, Any],
    model_params: dict[str, Any],
    recorded_updates: dict[str, dict[str, Any]] | None = None,
    retry_of: uuid.UUID | None = None,
    state_edit: dict[str, Any] | None = None,
    state_edit_step: int | None = None,
    breakpoints: tuple[list[str], list[str]] = ([], []),
) -> str:
    """Start the interpreter workflow for a registered execution; returns the workflow id.

    ``prepared``: its bindings and payer, read in the registration's transaction
    (``prepare_in_registration``). A start that fails marks the execution row failed so the
    chat is free for the next message.
    """
    bindings, personal_key_id = prepared.bindings, prepared.payer
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
        state_edit=state_edit,
        state_edit_step=state_edit_step,
        breakpoints_before=breakpoints[0],
        breakpoints_after=breakpoints[1],
        use_search_attributes=settings.temporal_search_attributes,
        service_bindings=bindings,
        infrastructure_patience_seconds=settings.infrastructure_patience_seconds,
        personal_key_id=str(personal_key_id) if personal_key_id else None,
        events_in_log=True,
        user_model_params=await preferences.model_defaults_for_run(
            database=database,
            tenant_id=execution.tenant_id,
            user_id=execution.user_id,
            plan=version.execution_plan or {},
        ),
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
            # Where a worker shares this client (`agentpaas dev`, one process), the first
            # workflow task comes back with the start and runs at once: a round trip less
            # before the first token. Elsewhere the server starts it as usual.
            request_eager_start=True,
        )
    except Exception as exc:
        logger.warning("could not start run %s: %s", execution.workflow_id, exc)
        await _mark_not_started(database, execution, "could not start the run")
        raise ServiceUnavailable("the run could not be started; try again") from exc
    record_run_started(agent.name)
    return execution.workflow_id


@dataclass(frozen=True)
class PreparedRun:
    """What a run needs before it starts (its bindings and payer), or why it may not."""

    bindings: dict[str, dict[str, int]]
    payer: uuid.UUID | None
    refusal: DomainError | None = None

    def raise_refusal(self) -> None:
        """Raise the refusal, if any (once the run's failure is committed)."""
        if self.refusal is not None:
            raise self.refusal


async def prepare_in_registration(
    session: AsyncSession, execution: WorkflowExecution, version: AgentVersion
) -> PreparedRun:
    """The quota check, the service bindings and the payer, read in the registration's
    transaction: one transaction fewer before the first token. A refusal marks the run
    failed in that same transaction (its row and stream stay, as when the start fails) and
    is returned, to be raised once that is committed."""
    try:
        bindings, payer = await _bindings_and_payer(session, execution, version)
    except DomainError as exc:
        await _record_not_started(session, execution, exc.detail)
        return PreparedRun(bindings={}, payer=None, refusal=exc)
    return PreparedRun(bindings=bindings, payer=payer)


async def prepare_run(
    *, database: Database, execution: WorkflowExecution, version: AgentVersion
) -> dict[str, dict[str, int]]:
    """Check the token quota and resolve service bindings; returns the bindings."""
    async with database.tenant_session(execution.tenant_id) as session:
        return (await _bindings_and_payer(session, execution, version, with_payer=False))[0]


# A run's prerequisites, read by one statement built once (only its values change).
_PREREQUISITES = select(
    *quota_read(bindparam("tenant")),
    configs_read(bindparam("config_ids", expanding=True)),
    tenant_default_read(),
    personal_keys.payer_read(
        tenant_id=bindparam("tenant"), user_id=bindparam("user"), agent_id=bindparam("agent")
    ),
)


async def _bindings_and_payer(
    session: AsyncSession,
    execution: WorkflowExecution,
    version: AgentVersion,
    *,
    with_payer: bool = True,
) -> tuple[dict[str, dict[str, int]], uuid.UUID | None]:
    """The quota check, the service bindings and the user's own key chosen to pay for this
    agent (if the tenant allows personal keys), read by one statement in ``session``'s
    transaction: every run's start pays one round trip for them, not one each."""
    plan = version.execution_plan or {}
    if not nodes_needing(plan, LLM_SERVICE):
        return {}, None
    dependencies = version.service_dependencies or {}
    read = await session.execute(
        _PREREQUISITES,
        {
            "tenant": execution.tenant_id,
            "config_ids": named_config_ids(plan, dependencies),
            "user": execution.user_id,
            "agent": execution.agent_id,
        },
    )
    limit, used, counted_in, configs, default, payer = read.one()
    refuse_when_used_up(limit, used, counted_in)
    bindings = service_bindings(
        plan, dependencies, states=config_states(configs), tenant_default=default
    )
    # Only nodes bound to a service config can be paid with a personal key.
    return bindings, payer if bindings and with_payer else None


async def announce_run(
    session: AsyncSession, execution: WorkflowExecution, agent_name: str
) -> None:
    """The run's first event, with its registration: whoever follows the run sees at once
    that it was accepted, however long the worker takes to pick it up."""
    event = {"event": c.EVENT_THOUGHT, "content": f"Running {agent_name or 'agent'}…"}
    await append_events(
        session,
        stream_id=execution.workflow_id,
        tenant_id=str(execution.tenant_id),
        events=[PendingEvent(event, key="api:accepted")],
    )


async def _mark_not_started(database: Database, execution: WorkflowExecution, message: str) -> None:
    async with database.tenant_session(execution.tenant_id) as session:
        await _record_not_started(session, execution, message)


async def _record_not_started(
    session: AsyncSession, execution: WorkflowExecution, message: str
) -> None:
    """The run failed before it started: its row says so and its stream ends."""
    await session.execute(
        update(WorkflowExecution)
        .where(col(WorkflowExecution.execution_id) == execution.execution_id)
        .values(status="failed", error_info={"message": message}, completed_at=func.now())
    )
    # Its stream ends too: a client that follows it is not left waiting.
    done = {
        "event": c.EVENT_DONE,
        "status": "failed",
        "execution_id": str(execution.execution_id),
        "chat_id": str(execution.chat_id) if execution.chat_id else None,
        "message_id": None,
        "answer": None,
    }
    await append_events(
        session,
        stream_id=execution.workflow_id,
        tenant_id=str(execution.tenant_id),
        events=[
            PendingEvent({"event": c.EVENT_ERROR, "content": message}, key="api:error"),
            PendingEvent(done, key="api:done"),
        ],
    )
