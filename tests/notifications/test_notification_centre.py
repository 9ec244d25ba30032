"""The in-app notification centre: a failed run notifies its user, only them; read
marks; e-mail choices in the user's preferences."""

from __future__ import annotations

import uuid
from typing import Any

from activities.scripted_llm import register_script
from tests.helpers import Platform, create_agent, login, one_llm_node, stream_turn
from tests.notifications.helpers import add_user, eventually


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _broken(messages: list[dict[str, Any]], params: dict[str, Any]) -> Any:
    raise RuntimeError("the scripted model is broken on purpose")


async def _notifications(platform: Platform, token: str, **params: Any) -> dict[str, Any]:
    response = await platform.client.get(
        "/api/v1/notifications", params=params, headers=_auth(token)
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_failed_run_notifies_its_user_and_nobody_else(
    platform: Platform, database_urls: Any
) -> None:
    script = f"broken-{uuid.uuid4().hex[:6]}"
    register_script(script, _broken)
    name = f"flaky-{uuid.uuid4().hex[:6]}"
    agent_id = await create_agent(
        database_urls.admin_url,
        platform.seeded.tenant_id,
        one_llm_node(f"scripted/{script}", max_attempts=1),
        name=name,
    )
    tenant = platform.seeded.tenant_id
    _, runner_email = await add_user(database_urls.admin_url, tenant, "user")
    _, other_email = await add_user(database_urls.admin_url, tenant, "user")
    runner, other = (
        await login(platform.client, runner_email),
        await login(platform.client, other_email),
    )

    response, frames = await stream_turn(
        platform.client, runner, {"agent_id": agent_id, "message": "go"}
    )
    assert response.status_code == 200, response.text
    assert any(frame["event"] == "error" for frame in frames), frames
    chat_id = response.headers["X-Chat-Id"]

    async def failed() -> dict[str, Any] | None:
        page = await _notifications(platform, runner)
        return page if page["items"] else None

    page = await eventually(failed)
    assert page["total"] == 1 and page["unread"] == 1
    [note] = page["items"]
    assert note["kind"] == "run_failed" and note["read_at"] is None
    assert note["data"]["agent_name"] == name
    assert note["data"]["execution_id"] == response.headers["X-Execution-Id"]
    assert note["link"] == f"/chat/{chat_id}"
    assert "broken on purpose" not in str(note)  # data, not the error's text

    # Somebody else sees none of it and cannot mark it.
    assert (await _notifications(platform, other))["total"] == 0
    foreign = await platform.client.post(
        f"/api/v1/notifications/{note['id']}/read", headers=_auth(other)
    )
    assert foreign.status_code == 404

    read = await platform.client.post(
        f"/api/v1/notifications/{note['id']}/read", headers=_auth(runner)
    )
    assert read.status_code == 200 and read.json()["read_at"] is not None
    assert (await _notifications(platform, runner))["unread"] == 0
    assert (await _notifications(platform, runner, unread="true"))["items"] == []
    again = await platform.client.post("/api/v1/notifications/read-all", headers=_auth(runner))
    assert again.json() == {"marked": 0}


async def test_read_all_marks_only_the_callers_notifications(
    platform: Platform, database_urls: Any
) -> None:
    from platform_core import notifications as n

    tenant = platform.seeded.tenant_id
    mine, my_email = await add_user(database_urls.admin_url, tenant, "viewer")
    theirs, their_email = await add_user(database_urls.admin_url, tenant, "viewer")
    async with platform.db.tenant_session(tenant) as session:
        for index in range(3):
            event = n.NotificationEvent(
                tenant_id=tenant,
                kind=n.AGENT_VERSION_PUBLISHED,
                dedupe_key=f"test:{uuid.uuid4()}",
                data={"agent_name": f"a{index}", "version": "2.0.0"},
            )
            await n.record_event(session, event, [mine, theirs])
        # Recording the same event again adds nothing.
        await n.record_event(session, event, [mine, theirs])
    me, them = await login(platform.client, my_email), await login(platform.client, their_email)
    page = await _notifications(platform, me, limit=2)
    assert page["total"] == 3 and page["unread"] == 3 and len(page["items"]) == 2
    assert [item["data"]["agent_name"] for item in page["items"]] == ["a2", "a1"]
    marked = await platform.client.post("/api/v1/notifications/read-all", headers=_auth(me))
    assert marked.json() == {"marked": 3}
    assert (await _notifications(platform, me))["unread"] == 0
    assert (await _notifications(platform, them))["unread"] == 3


async def test_email_choices_live_in_the_users_preferences(
    platform: Platform, database_urls: Any
) -> None:
    _, email = await add_user(
        database_urls.admin_url, platform.seeded.tenant_id, "viewer", {"language": "zh-CN"}
    )
    token = await login(platform.client, email)
    url = "/api/v1/me/notification-settings"
    assert (await platform.client.get(url, headers=_auth(token))).json() == {"email_kinds": []}
    put = await platform.client.put(
        url, json={"email_kinds": ["run_failed", "task_assigned"]}, headers=_auth(token)
    )
    assert put.status_code == 200, put.text
    assert put.json() == {"email_kinds": ["task_assigned", "run_failed"]}
    assert (await platform.client.get(url, headers=_auth(token))).json() == put.json()
    bad = await platform.client.put(url, json={"email_kinds": ["spam"]}, headers=_auth(token))
    assert bad.status_code == 422
    me = await platform.client.get("/api/auth/me", headers=_auth(token))
    assert me.status_code == 200
