"""An unreachable database is an outage to wait out, not a node failure (issue 17).

The node's own retry budget stays for its own errors; a failed run leaves no node row
running, no tokens held and no task open.
"""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

import httpx
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from temporalio.testing import ActivityEnvironment

from activities.infrastructure import is_infrastructure_error
from activities.records import RecordActivities
from activities.scripted_llm import ScriptedReply, register_script
from platform_api.app import create_app
from platform_core.db import Database, DatabaseUnavailable
from platform_core.models import (
    HumanInterventionTask,
    TenantQuota,
    TokenReservation,
    WorkflowExecution,
    WorkflowNodeExecution,
)
from platform_core.settings import Settings
from temporal_workflows.contracts import FinishExecutionInput
from tests.helpers import Platform, create_agent, one_llm_node, stream_turn

CALLS: Counter[str] = Counter()


async def test_a_database_that_cannot_be_reached_is_named_as_such() -> None:
    for url in (
        "postgresql://nobody@127.0.0.1:1/none",  # TCP: refused
        "postgresql://nobody@/none?host=/nonexistent-socket-dir",  # unix socket: gone
    ):
        database = Database(url, connections=2)
        try:
            async with database.tenant_session(uuid.uuid4()):
                raise AssertionError("connected to a database that is not there")
        except DatabaseUnavailable as exc:
            assert is_infrastructure_error(exc)
        finally:
            await database.dispose()
    assert not is_infrastructure_error(ConnectionError("a model provider hung up"))


async def test_the_api_answers_503_with_retry_after_while_the_database_is_down() -> None:
    app = create_app(
        Settings(environment="test", jwt_secret=SecretStr("k" * 40)),
        database_url="postgresql://nobody@127.0.0.1:1/none",
        temporal_address="127.0.0.1:1",
        ui_dist=None,
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        login = await client.post(
            "/api/auth/login", json={"email": "a@b.example", "password": "whatever-123"}
        )
    assert login.status_code == 503, login.text
    assert login.headers["Retry-After"].isdigit()
    assert login.json()["status"] == 503 and login.headers["content-type"].startswith(
        "application/problem+json"
    )


def _database_drops(times: int, name: str):  # type: ignore[no-untyped-def]
    def script(messages: list[dict[str, Any]], params: dict[str, Any]) -> ScriptedReply:
        CALLS[name] += 1
        if CALLS[name] <= times:
            raise DatabaseUnavailable(f"scripted database outage #{CALLS[name]}")
        return ScriptedReply(text=f"answered after {times} outages")

    return script


async def test_a_node_waits_out_the_outage_apart_from_its_own_retry_budget(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    script = f"outage-{uuid.uuid4().hex[:6]}"
    register_script(script, _database_drops(2, script))
    # One attempt only: without the outage rule the first outage would fail the run.
    definition = one_llm_node(f"scripted/{script}", max_attempts=1)
    agent_id = await create_agent(database_urls.admin_url, platform.seeded.tenant_id, definition)
    response, frames = await stream_turn(
        platform.client, admin_token, {"agent_id": agent_id, "message": "hold on"}
    )
    assert response.status_code == 200
    done = frames[-1]["data"]
    assert done["status"] == "completed", frames  # type: ignore[index]
    assert done["answer"] == "answered after 2 outages"  # type: ignore[index]
    assert CALLS[script] == 3
    waits = [f["data"] for f in frames if f["event"] == "retrying"]
    assert [w.get("reason") for w in waits] == ["infrastructure", "infrastructure"]  # type: ignore[union-attr]
    async with platform.db.tenant_session(platform.seeded.tenant_id) as session:
        rows = (
            await session.execute(
                select(WorkflowNodeExecution).where(
                    WorkflowNodeExecution.execution_id
                    == uuid.UUID(response.headers["X-Execution-Id"])
                )
            )
        ).scalars()
        (node,) = list(rows)
    assert node.status == "completed"  # one row, written once, despite three schedules


async def test_a_failed_run_leaves_nothing_dangling(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    # A finished run to hang the leftovers on (its row exists, as in any real run).
    response, frames = await stream_turn(
        platform.client, admin_token, {"agent": "Assistant", "message": "leftovers"}
    )
    execution_id = uuid.UUID(response.headers["X-Execution-Id"])
    tenant = platform.seeded.tenant_id
    admin = Database(database_urls.admin_url, connections=2)
    try:
        async with admin.system_session() as session:
            await session.execute(
                insert(WorkflowNodeExecution).values(
                    id=uuid.uuid4(),
                    tenant_id=tenant,
                    execution_id=execution_id,
                    node_name="stuck",
                    node_type="llm",
                    step=9,
                    task_id="stuck-task",
                    status="running",
                )
            )
            await session.execute(
                insert(TokenReservation).values(
                    id=uuid.uuid4(),
                    tenant_id=tenant,
                    execution_id=execution_id,
                    task_id="stuck-task",
                    attempt=1,
                    reserved_tokens=777,
                    status="reserved",
                )
            )
            quota = await session.get(TenantQuota, tenant)
            held_before = quota.reserved_tokens if quota else None
            if quota is not None:
                quota.reserved_tokens += 777
            session.add(
                HumanInterventionTask(
                    tenant_id=tenant,
                    execution_id=execution_id,
                    node_name="stuck",
                    instruction="never answered",
                    status="pending",
                )
            )
        finish = FinishExecutionInput(
            tenant_id=str(tenant),
            execution_id=str(execution_id),
            status="failed",
            chat_id=None,
            assistant_message_id=None,
            parent_message_id=None,
            answer=None,
            final_state={},
            error={"message": "the run failed"},
            total_nodes=2,
            completed_nodes=1,
            failed_nodes=1,
        )
        await ActivityEnvironment().run(RecordActivities(platform.db).finish_execution, finish)
        async with admin.system_session() as session:
            node = (
                await session.execute(
                    select(WorkflowNodeExecution).where(
                        WorkflowNodeExecution.execution_id == execution_id,
                        WorkflowNodeExecution.task_id == "stuck-task",
                    )
                )
            ).scalar_one()
            hold = (
                await session.execute(
                    select(TokenReservation).where(
                        TokenReservation.execution_id == execution_id,
                        TokenReservation.task_id == "stuck-task",
                    )
                )
            ).scalar_one()
            task = (
                await session.execute(
                    select(HumanInterventionTask).where(
                        HumanInterventionTask.execution_id == execution_id
                    )
                )
            ).scalar_one()
            quota = await session.get(TenantQuota, tenant)
            execution = await session.get(WorkflowExecution, execution_id)
    finally:
        await admin.dispose()
    assert node.status == "failed" and node.completed_at is not None
    assert hold.status == "released"
    assert task.status == "cancelled"
    if quota is not None:
        assert quota.reserved_tokens == held_before
    assert execution is not None and execution.status == "failed"
