"""Approval policies through the inbox API against runs that really wait (PostgreSQL,
Temporal, the worker): a quorum answered by five people at once, groups, delegation, and
who may see what."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from platform_core.models import HumanInterventionTask, HumanTaskAnswer, WorkflowExecution
from tests.helpers import Platform, approval_agent, create_agent, login, stream_turn

PASSWORD = "Quorum-test-pass-7"


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _people(platform: Platform, admin_token: str, count: int) -> list[tuple[str, str, str]]:
    """``count`` new people with the plain user role: (id, e-mail, token)."""
    made = []
    for _ in range(count):
        email = f"quorum-{uuid.uuid4().hex[:10]}@example.com"
        response = await platform.client.post(
            "/api/v1/users",
            json={"email": email, "password": PASSWORD, "role": "user"},
            headers=_auth(admin_token),
        )
        assert response.status_code == 201, response.text
        made.append((response.json()["id"], email, await login(platform.client, email, PASSWORD)))
    return made


def _policy_agent(approval: dict[str, Any]) -> dict[str, Any]:
    definition = approval_agent()
    definition["nodes"][0]["config"]["approval"] = approval  # type: ignore[index]
    return definition


async def _open_task(platform: Platform, token: str, agent_id: str) -> dict[str, Any]:
    """The first open task of the agent among those that name the caller."""
    for _ in range(300):
        response = await platform.client.get("/api/v1/reviews/tasks", headers=_auth(token))
        assert response.status_code == 200, response.text
        for task in response.json()["items"]:
            if task["agent_id"] == agent_id:
                return dict(task)
        await asyncio.sleep(0.1)
    raise AssertionError("no open task appeared")


async def test_two_of_three_answered_by_five_people_at_once_completes_exactly_once(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    people = await _people(platform, admin_token, 5)
    named = [email for _, email, _ in people[:3]]
    agent_id = await create_agent(
        database_urls.admin_url,
        platform.seeded.tenant_id,
        _policy_agent({"stages": [{"name": "board", "assignees": {"users": named}, "quorum": 2}]}),
    )
    turn = asyncio.create_task(
        stream_turn(platform.client, admin_token, {"agent_id": agent_id, "message": "buy it"})
    )
    task = await _open_task(platform, people[0][2], agent_id)
    assert task["policy"]["quorum"] == 2 and task["policy"]["of"] == 3
    assert task["still_needed"] == 2 and task["agreements"] == 0
    task_id = task["task_id"]
    # Someone the stage does not name neither sees it nor may answer it.
    outsider = _auth(people[3][2])
    assert (
        await platform.client.get(f"/api/v1/reviews/tasks/{task_id}", headers=outsider)
    ).status_code == 404
    listed = await platform.client.get("/api/v1/reviews/tasks", headers=outsider)
    assert all(t["task_id"] != task_id for t in listed.json()["items"])
    detail = await platform.client.get(
        f"/api/v1/reviews/tasks/{task_id}", headers=_auth(people[0][2])
    )
    assert detail.json()["can_answer"] is True and detail.json()["answers"] == []
    # Each assignee answers; nobody claims a stage for themselves.
    claimed = await platform.client.post(
        f"/api/v1/reviews/tasks/{task_id}/claim", headers=_auth(admin_token)
    )
    assert claimed.status_code == 409

    async def answer(token: str, i: int) -> Any:
        return await platform.client.post(
            f"/api/v1/reviews/tasks/{task_id}/complete",
            json={"input": {"approved": True, "comment": f"person {i}"}},
            headers={**_auth(token), "Idempotency-Key": f"req-{i}"},
        )

    responses = await asyncio.gather(*(answer(p[2], i) for i, p in enumerate(people)))
    codes = [r.status_code for r in responses]
    ok = [r.json() for r in responses if r.status_code == 200]
    # Two of the three named people are heard, exactly one of them settles the stage; the
    # third finds it settled (409); the two who are not named never see it (404).
    assert sorted(codes[:3]) == [200, 200, 409] and codes[3:] == [404, 404], codes
    assert [r["decided"] for r in ok].count(True) == 1
    assert {r["status"] for r in ok} == {"answered", "completed"}

    response, frames = await turn
    assert frames[-1]["data"]["status"] == "completed"  # type: ignore[index]
    assert frames[-1]["data"]["answer"] == "approved"  # type: ignore[index]
    assert [f["event"] for f in frames].count("human_answer_received") == 2

    execution_id = uuid.UUID(response.headers["X-Execution-Id"])
    async with platform.db.tenant_session(platform.seeded.tenant_id) as session:
        row = await session.get(HumanInterventionTask, uuid.UUID(task_id))
        answers = (
            (
                await session.execute(
                    select(HumanTaskAnswer).where(
                        col(HumanTaskAnswer.task_id) == uuid.UUID(task_id)
                    )
                )
            )
            .scalars()
            .all()
        )
        execution = await session.get(WorkflowExecution, execution_id)
    assert row is not None and row.status == "completed" and row.completed_at is not None
    assert row.human_input is not None and row.human_input["decision"] == "approved"
    assert len(answers) == 2 and all(a.agreed for a in answers)
    assert execution is not None and execution.status == "completed"
    done = await platform.client.get(
        f"/api/v1/reviews/tasks/{task_id}", headers=_auth(people[0][2])
    )
    assert done.json()["can_answer"] is False and len(done.json()["answers"]) == 2


async def test_a_group_member_delegates_and_the_delegate_answers(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    (member_id, _, member), (delegate_id, _, delegate), (other_id, _, other) = await _people(
        platform, admin_token, 3
    )
    group_name = f"finance-{uuid.uuid4().hex[:6]}"
    created = await platform.client.post(
        "/api/v1/groups",
        json={"name": group_name, "member_ids": [member_id, other_id]},
        headers=_auth(admin_token),
    )
    assert created.status_code == 201, created.text
    assert {m["id"] for m in created.json()["members"]} == {member_id, other_id}
    # Only admins manage groups.
    refused = await platform.client.post(
        "/api/v1/groups", json={"name": "x", "member_ids": []}, headers=_auth(member)
    )
    assert refused.status_code == 403
    agent_id = await create_agent(
        database_urls.admin_url,
        platform.seeded.tenant_id,
        _policy_agent({"stages": [{"assignees": {"groups": [group_name]}, "quorum": 2}]}),
    )
    turn = asyncio.create_task(
        stream_turn(platform.client, admin_token, {"agent_id": agent_id, "message": "pay it"})
    )
    task = await _open_task(platform, member, agent_id)
    task_id = task["task_id"]
    handed = await platform.client.post(
        f"/api/v1/reviews/tasks/{task_id}/delegate",
        json={"to_user_id": delegate_id, "note": "I am away"},
        headers=_auth(member),
    )
    assert handed.status_code == 200, handed.text
    [delegation] = handed.json()["policy"]["delegations"]
    assert (delegation["from"], delegation["to"]) == (member_id, delegate_id)
    assert delegation["from_name"] and delegation["to_name"]
    assert handed.json()["can_answer"] is False
    # The member no longer speaks for themselves; the delegate does, once.
    mine = await platform.client.post(
        f"/api/v1/reviews/tasks/{task_id}/complete",
        json={"input": {"approved": True}},
        headers=_auth(member),
    )
    assert mine.status_code == 403, mine.text
    theirs = await platform.client.post(
        f"/api/v1/reviews/tasks/{task_id}/complete",
        json={"input": {"approved": True}},
        headers=_auth(delegate),
    )
    assert theirs.status_code == 200 and theirs.json()["still_needed"] == 1
    last = await platform.client.post(
        f"/api/v1/reviews/tasks/{task_id}/complete",
        json={"input": {"approved": True}},
        headers=_auth(other),
    )
    assert last.status_code == 200 and last.json()["decided"] is True
    _, frames = await turn
    assert frames[-1]["data"]["answer"] == "approved"  # type: ignore[index]
    detail = await platform.client.get(f"/api/v1/reviews/tasks/{task_id}", headers=_auth(delegate))
    answers = detail.json()["answers"]
    assert [(a["by"], a["on_behalf_of"]) for a in answers] == [
        (delegate_id, member_id),
        (other_id, None),
    ]
    assert answers[0]["on_behalf_of_name"] == delegation["from_name"]
