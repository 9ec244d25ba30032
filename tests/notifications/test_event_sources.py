"""The other events that notify: a human task waiting (its audience, not everybody), a
submission approved (its submitter) and the newer version (the agent's chatting users)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from tests.helpers import (
    Platform,
    approval_agent,
    create_agent,
    login,
    one_llm_node,
    stream_turn,
    wait_for_open_task,
)
from tests.notifications.helpers import add_user, eventually


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _items(platform: Platform, token: str) -> list[dict[str, Any]]:
    response = await platform.client.get("/api/v1/notifications", headers=_auth(token))
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def test_a_new_task_notifies_the_people_who_work_the_inbox(
    platform: Platform, database_urls: Any, admin_token: str
) -> None:
    tenant = platform.seeded.tenant_id
    _, reviewer_email = await add_user(database_urls.admin_url, tenant, "reviewer")
    _, user_email = await add_user(database_urls.admin_url, tenant, "user")
    reviewer = await login(platform.client, reviewer_email)
    user = await login(platform.client, user_email)
    name = f"gate-{uuid.uuid4().hex[:6]}"
    agent_id = await create_agent(database_urls.admin_url, tenant, approval_agent(), name=name)
    turn = asyncio.create_task(
        stream_turn(platform.client, admin_token, {"agent_id": agent_id, "message": "ship it?"})
    )
    try:
        task = await wait_for_open_task(platform.client, admin_token, agent_id=agent_id)

        async def assigned() -> list[dict[str, Any]] | None:
            found = [n for n in await _items(platform, reviewer) if n["kind"] == "task_assigned"]
            return [n for n in found if n["data"]["task_id"] == str(task["task_id"])] or None

        [note] = await eventually(assigned)
        assert note["data"]["agent_name"] == name and note["data"]["node_name"] == "ask"
        assert note["link"] == f"/reviews/{task['task_id']}"
        # A plain user does not work the inbox: nothing for them.
        assert await _items(platform, user) == []
    finally:
        await platform.client.post(
            f"/api/v1/executions/{task['execution_id']}/cancel", headers=_auth(admin_token)
        )
        await turn


async def test_approval_tells_the_submitter_and_the_agents_chatting_users(
    platform: Platform, database_urls: Any, admin_token: str
) -> None:
    tenant = platform.seeded.tenant_id
    name = f"versioned-{uuid.uuid4().hex[:6]}"
    agent_id = await create_agent(
        database_urls.admin_url, tenant, one_llm_node("scripted/echo"), name=name
    )
    _, chatter_email = await add_user(database_urls.admin_url, tenant, "user")
    _, bystander_email = await add_user(database_urls.admin_url, tenant, "user")
    chatter = await login(platform.client, chatter_email)
    bystander = await login(platform.client, bystander_email)
    response, _ = await stream_turn(
        platform.client, chatter, {"agent_id": agent_id, "message": "hello"}
    )
    assert response.status_code == 200, response.text

    created = await platform.client.post(
        f"/api/v1/developer/agents/{agent_id}/versions",
        json={"version": "2.0.0", "template_name": "plain_chat"},
        headers=_auth(admin_token),
    )
    assert created.status_code == 201, created.text
    version_id = created.json()["id"]
    for path, body in (
        (f"/api/v1/developer/agents/{agent_id}/versions/{version_id}/submit", None),
        (f"/api/v1/reviews/versions/{version_id}/approve", {"note": "fine"}),
    ):
        answer = await platform.client.post(path, json=body, headers=_auth(admin_token))
        assert answer.status_code == 200, answer.text

    [published] = [
        n for n in await _items(platform, chatter) if n["kind"] == "agent_version_published"
    ]
    assert published["data"] == {
        "agent_id": agent_id,
        "agent_name": name,
        "version_id": version_id,
        "version": "2.0.0",
    }
    assert published["link"] == f"/store/{agent_id}"
    assert await _items(platform, bystander) == []
    approved = [
        n
        for n in await _items(platform, admin_token)
        if n["kind"] == "submission_approved" and n["data"]["version_id"] == version_id
    ]
    assert len(approved) == 1 and approved[0]["data"]["agent_name"] == name


async def test_an_escalation_notifies_the_person_it_goes_to(
    platform: Platform, database_urls: Any, admin_token: str
) -> None:
    tenant = platform.seeded.tenant_id
    manager_id, manager_email = await add_user(database_urls.admin_url, tenant, "user")
    manager = await login(platform.client, manager_email)
    deadline = {
        "after_seconds": 1,
        "policy": "escalate",
        "escalate_to": str(manager_id),
        "escalate_priority": 9,
    }
    agent_id = await create_agent(database_urls.admin_url, tenant, approval_agent(deadline))
    turn = asyncio.create_task(
        stream_turn(platform.client, admin_token, {"agent_id": agent_id, "message": "late?"})
    )
    try:
        task = await wait_for_open_task(platform.client, admin_token, agent_id=agent_id)

        async def escalated() -> list[dict[str, Any]] | None:
            return [
                n for n in await _items(platform, manager) if n["kind"] == "task_escalated"
            ] or None

        [note] = await eventually(escalated)
        assert note["data"]["task_id"] == str(task["task_id"])
        assert note["data"]["priority"] == 9
        assert note["link"] == f"/reviews/{task['task_id']}"
        # A plain user is not the inbox's audience: the escalation is all they got.
        assert [n["kind"] for n in await _items(platform, manager)] == ["task_escalated"]
    finally:
        await platform.client.post(
            f"/api/v1/executions/{task['execution_id']}/cancel", headers=_auth(admin_token)
        )
        await turn


async def test_a_task_for_a_name_the_platform_does_not_know_goes_to_the_inbox(
    platform: Platform, database_urls: Any
) -> None:
    from activities.notification_events import _audience

    tenant = platform.seeded.tenant_id
    reviewer_id, _ = await add_user(database_urls.admin_url, tenant, "reviewer")
    developer_id, _ = await add_user(database_urls.admin_url, tenant, "developer")
    async with platform.db.tenant_session(tenant) as session:
        unknown = await _audience(session, "duty-manager")
        by_role = await _audience(session, "developer")
        nobody = await _audience(session, None)
    assert reviewer_id in unknown and reviewer_id in nobody and developer_id not in unknown
    assert developer_id in by_role and reviewer_id not in by_role


async def test_a_policy_stage_notifies_whom_it_names_and_reminds_who_has_not_answered(
    platform: Platform, database_urls: Any, admin_token: str
) -> None:
    tenant = platform.seeded.tenant_id
    ana_id, ana_email = await add_user(database_urls.admin_url, tenant, "user")
    bo_id, bo_email = await add_user(database_urls.admin_url, tenant, "user")
    cai_id, cai_email = await add_user(database_urls.admin_url, tenant, "user")
    _, outsider_email = await add_user(database_urls.admin_url, tenant, "user")
    group = f"board-{uuid.uuid4().hex[:6]}"
    made = await platform.client.post(
        "/api/v1/groups",
        json={"name": group, "member_ids": [str(cai_id)]},
        headers=_auth(admin_token),
    )
    assert made.status_code == 201, made.text
    definition = approval_agent()
    definition["nodes"][0]["config"]["approval"] = {  # type: ignore[index]
        "stages": [
            {
                "assignees": {"users": [str(ana_id), bo_email], "groups": [group]},
                "quorum": 3,
                "deadline": {"after_seconds": 10, "remind_before_seconds": 5, "policy": "reject"},
            }
        ]
    }
    agent_id = await create_agent(database_urls.admin_url, tenant, definition)
    turn = asyncio.create_task(
        stream_turn(platform.client, admin_token, {"agent_id": agent_id, "message": "buy?"})
    )
    tokens = {
        email: await login(platform.client, email)
        for email in (ana_email, bo_email, cai_email, outsider_email)
    }
    try:
        task = await wait_for_open_task(platform.client, admin_token, agent_id=agent_id)
        answered = await platform.client.post(
            f"/api/v1/reviews/tasks/{task['task_id']}/complete",
            json={"input": {"approved": True}},
            headers=_auth(tokens[ana_email]),
        )
        assert answered.status_code == 200 and answered.json()["decided"] is False

        def kinds(items: list[dict[str, Any]]) -> list[str]:
            return sorted(n["kind"] for n in items if n["data"].get("task_id") == task["task_id"])

        async def reminded() -> list[dict[str, Any]] | None:
            items = await _items(platform, tokens[bo_email])
            return items if "task_deadline_near" in kinds(items) else None

        await eventually(reminded, seconds=30)
        # Named by id, by e-mail and by group: each was told; the reminder went to the two
        # who had not answered; someone the stage does not name heard nothing.
        assert kinds(await _items(platform, tokens[bo_email])) == [
            "task_assigned",
            "task_deadline_near",
        ]
        assert kinds(await _items(platform, tokens[cai_email])) == [
            "task_assigned",
            "task_deadline_near",
        ]
        assert kinds(await _items(platform, tokens[ana_email])) == ["task_assigned"]
        assert kinds(await _items(platform, tokens[outsider_email])) == []
        # The deadline then rejects the stage: the run takes its "rejected" branch.
        _, frames = await asyncio.wait_for(turn, timeout=60)
        assert frames[-1]["data"]["answer"] == "rejected"  # type: ignore[index]
    finally:
        if not turn.done():
            await platform.client.post(
                f"/api/v1/executions/{task['execution_id']}/cancel", headers=_auth(admin_token)
            )
            await turn
