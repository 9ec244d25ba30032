"""The reviewer inbox against a run that really waits: validation, claims, first-answer-wins."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from temporalio.api.enums.v1 import EventType

from platform_core.models import HumanInterventionTask, WorkflowExecution
from temporal_workflows.contracts import run_workflow_id
from tests.helpers import (
    Platform,
    approval_agent,
    create_agent,
    login,
    stream_turn,
    wait_for_open_task,
)


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_one_of_five_concurrent_completions_wins(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    domain = platform.seeded.admin_email.split("@", 1)[1]
    reviewer = _auth(await login(platform.client, f"reviewer@{domain}"))
    agent_id = await create_agent(
        database_urls.admin_url, platform.seeded.tenant_id, approval_agent()
    )
    turn = asyncio.create_task(
        stream_turn(platform.client, admin_token, {"agent_id": agent_id, "message": "ship v2"})
    )
    task = await wait_for_open_task(platform.client, admin_token, agent_id=agent_id)
    task_id = task["task_id"]
    assert task["priority"] == 6 and task["status"] == "pending"

    detail = await platform.client.get(f"/api/v1/reviews/tasks/{task_id}", headers=reviewer)
    assert detail.status_code == 200
    assert detail.json()["instruction"] == "Approve: ship v2?"
    assert detail.json()["required_input_schema"]["required"] == ["approved"]

    # A plain user sees only the tasks of approval stages that name them: not this one.
    plain_user = _auth(await login(platform.client, f"user@{domain}"))
    listed = await platform.client.get("/api/v1/reviews/tasks", headers=plain_user)
    assert listed.status_code == 200
    assert all(t["task_id"] != task_id for t in listed.json()["items"])
    hidden = await platform.client.get(f"/api/v1/reviews/tasks/{task_id}", headers=plain_user)
    assert hidden.status_code == 404
    refused = await platform.client.post(
        f"/api/v1/reviews/tasks/{task_id}/complete",
        json={"input": {"approved": True}},
        headers=plain_user,
    )
    assert refused.status_code == 404

    invalid = await platform.client.post(
        f"/api/v1/reviews/tasks/{task_id}/complete",
        json={"input": {"approved": "yes"}},
        headers=reviewer,
    )
    assert invalid.status_code == 422
    assert invalid.json()["errors"][0]["path"] == "/body/input/approved"
    still_open = await platform.client.get(f"/api/v1/reviews/tasks/{task_id}", headers=reviewer)
    assert still_open.json()["status"] == "pending"

    claimed = await platform.client.post(f"/api/v1/reviews/tasks/{task_id}/claim", headers=reviewer)
    assert claimed.status_code == 200 and claimed.json()["status"] == "in_progress"
    assert claimed.json()["assigned_at"] is not None

    async def complete(i: int) -> int:
        response = await platform.client.post(
            f"/api/v1/reviews/tasks/{task_id}/complete",
            json={"input": {"approved": i % 2 == 0, "comment": f"reviewer {i}"}},
            headers={**reviewer, "Idempotency-Key": f"req-{i}"},
        )
        return response.status_code

    statuses = await asyncio.gather(*(complete(i) for i in range(5)))
    assert sorted(statuses) == [200, 409, 409, 409, 409]

    response, frames = await turn
    events = [f["event"] for f in frames]
    assert "waiting_for_human" in events and "human_input_received" in events
    assert frames[-1]["data"]["status"] == "completed"  # type: ignore[index]
    winner = statuses.index(200)
    expected = "approved" if winner % 2 == 0 else "rejected"
    assert frames[-1]["data"]["answer"] == expected  # type: ignore[index]

    execution_id = response.headers["X-Execution-Id"]
    history = await platform.temporal.get_workflow_handle(
        run_workflow_id(execution_id)
    ).fetch_history()
    accepted = [
        e
        for e in history.events
        if e.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED
        and e.workflow_execution_update_accepted_event_attributes.accepted_request.meta.update_id
        == task_id
    ]
    assert len(accepted) == 1

    async with platform.db.tenant_session(platform.seeded.tenant_id) as session:
        row = await session.get(HumanInterventionTask, uuid.UUID(task_id))
        execution = await session.get(WorkflowExecution, uuid.UUID(execution_id))
    assert row is not None and row.status == "completed"
    assert row.human_input == {"approved": winner % 2 == 0, "comment": f"reviewer {winner}"}
    assert row.completed_by is not None and row.completed_at is not None
    assert execution is not None and execution.status == "completed"

    late = await platform.client.post(
        f"/api/v1/reviews/tasks/{task_id}/complete",
        json={"input": {"approved": True}},
        headers=reviewer,
    )
    assert late.status_code == 409


async def test_another_tenants_task_is_not_found(platform: Platform, admin_token: str) -> None:
    response = await platform.client.get(
        f"/api/v1/reviews/tasks/{uuid.uuid4()}", headers=_auth(admin_token)
    )
    assert response.status_code == 404
