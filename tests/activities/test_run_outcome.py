"""A run's outcome written by one statement (``agentpaas_finish_run_as``, migration 0024):
the execution row with the node totals, the answer as a chat message, the chat touched and
the last events, all in the tenant the statement names and nowhere else."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import asyncpg
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from temporalio.testing import ActivityEnvironment

from activities.records import RecordActivities, outcome_values, workflow_events
from activities.run_outcome_sql import write_outcome
from platform_core.db import Database, to_plain_url
from platform_core.models import Chat, ChatMessage, WorkflowExecution
from platform_core.run_event_log import read_events
from temporal_workflows.contracts import FinishExecutionInput
from tests.helpers import Platform, make_tenant_with_user, stream_turn

SETTING = text("SELECT coalesce(current_setting('app.tenant_id', true), '')")
NODE_TOTALS = text(
    "SELECT coalesce(sum(tokens_consumed), 0), coalesce(sum(cost_estimate), 0) "
    "FROM workflow_node_executions WHERE execution_id = :e"
)


async def _finished_turn(platform: Platform, token: str) -> tuple[str, str, str]:
    """A chat turn run to its end: its execution, chat and user message ids."""
    response, _ = await stream_turn(
        platform.client, token, {"agent": "Assistant", "message": "outcome"}
    )
    assert response.status_code == 200
    return (
        response.headers["X-Execution-Id"],
        response.headers["X-Chat-Id"],
        response.headers["X-Message-Id"],
    )


def _outcome(tenant: str, execution: str, chat: str, parent: str) -> FinishExecutionInput:
    return FinishExecutionInput(
        tenant_id=tenant,
        execution_id=execution,
        status="completed",
        chat_id=chat,
        assistant_message_id=str(uuid.uuid4()),
        parent_message_id=parent,
        answer="第二个答案",
        final_state={"answer": "第二个答案", "at": datetime(2026, 12, 8, tzinfo=UTC)},
        error=None,
        total_nodes=3,
        completed_nodes=2,
        failed_nodes=1,
        events=[{"key": f"wf:done-{uuid.uuid4().hex[:6]}", "event": {"event": "done"}}],
    )


async def test_a_completed_runs_outcome_lands_whole_and_leaves_no_setting(
    platform: Platform, admin_token: str, database_urls: object
) -> None:
    execution, chat, parent = await _finished_turn(platform, admin_token)
    tenant = str(platform.seeded.tenant_id)
    data = _outcome(tenant, execution, chat, parent)
    one = Database(database_urls.app_url, connections=2)  # type: ignore[attr-defined]
    try:
        before = datetime.now(UTC)
        await ActivityEnvironment().run(RecordActivities(one).finish_execution, data)
        async with one.autocommit() as conn:  # the only pooled connection
            assert (await conn.execute(SETTING)).scalar_one() == ""
    finally:
        await one.dispose()
    async with platform.db.tenant_session(tenant) as session:
        tokens, cost = (await session.execute(NODE_TOTALS, {"e": execution})).one()
        row = await session.get(WorkflowExecution, uuid.UUID(execution))
        answer = await session.get(ChatMessage, uuid.UUID(data.assistant_message_id or ""))
        touched = (await session.execute(select(Chat.updated_at).where(Chat.id == chat))).one()
        events = await read_events(session, stream_id=f"exec-{execution}", from_seq=0)
    assert tokens > 0  # the turn's llm node was recorded with its tokens
    assert row is not None and answer is not None
    assert (row.status, row.tokens_consumed, Decimal(row.cost_estimate)) == (
        "completed",
        tokens,
        Decimal(cost),
    )
    assert (row.total_nodes, row.completed_nodes, row.failed_nodes) == (3, 2, 1)
    assert row.final_result == {
        "answer": "第二个答案",
        "state": {"answer": "第二个答案", "at": "2026-12-08 00:00:00+00:00"},
    }
    assert row.error_info is None  # SQL NULL, not the JSON value null
    assert row.completed_at is not None and row.completed_at >= before
    assert (answer.role, answer.content, answer.tokens_used) == ("assistant", "第二个答案", tokens)
    assert (answer.parent_message_id, answer.workflow_execution_id) == (
        uuid.UUID(parent),
        uuid.UUID(execution),
    )
    assert answer.created_at == row.completed_at
    assert touched[0] == row.completed_at
    assert events[-1][1] == {"event": "done"}


async def test_an_outcome_named_under_another_tenant_writes_nothing_of_this_one(
    platform: Platform, admin_token: str, database_urls: object
) -> None:
    execution, chat, parent = await _finished_turn(platform, admin_token)
    tenant = str(platform.seeded.tenant_id)
    other, _ = await make_tenant_with_user(
        database_urls.admin_url,  # type: ignore[attr-defined]
        f"outcome-{uuid.uuid4().hex[:8]}",
    )
    async with platform.db.tenant_session(tenant) as session:
        kept = await session.get(WorkflowExecution, uuid.UUID(execution))
        assert kept is not None
        kept_result = kept.final_result
    # Under the other tenant the run's row is not there, and its stream refuses the append:
    # the one statement fails whole, and nothing of it is left anywhere.
    stray = _outcome(str(other), execution, chat, parent)
    values = outcome_values(stray, workflow_events(stray.events), datetime.now(UTC))
    with pytest.raises(DBAPIError, match="row-level security"):
        async with platform.db.autocommit() as conn:
            await write_outcome(conn, values)
    async with platform.db.tenant_session(tenant) as session:
        row = await session.get(WorkflowExecution, uuid.UUID(execution))
        assert row is not None and row.final_result == kept_result
        assert (row.total_nodes, row.completed_nodes) != (3, 2)
    owner = await asyncpg.connect(to_plain_url(database_urls.admin_url))  # type: ignore[attr-defined]
    try:
        written = await owner.fetchval(
            "SELECT count(*) FROM chat_messages WHERE id = $1",
            uuid.UUID(stray.assistant_message_id or ""),
        )
    finally:
        await owner.close()
    assert written == 0
    # Inside a transaction of this tenant, naming the other one is refused outright.
    with pytest.raises(DBAPIError, match="another tenant"):
        async with platform.db.tenant_session(tenant) as session:
            await write_outcome(session, values)
