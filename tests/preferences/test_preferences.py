"""Personal settings: ``/api/v1/me/preferences`` validates, persists only what was sent and
leaves the rest of ``users.preferences`` alone; runs use the user's default model
parameters where the agent allows them, within its bounds, and not elsewhere."""

from __future__ import annotations

import uuid
from typing import Any

from activities.scripted_llm import ScriptedReply, register_script
from platform_core.db import Database
from platform_core.models import User
from tests.helpers import Platform, create_agent, login, one_llm_node, stream_turn
from tests.notifications.helpers import add_user

URL = "/api/v1/me/preferences"


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _stored(admin_url: str, user_id: uuid.UUID) -> dict[str, Any]:
    database = Database(admin_url, connections=2)
    try:
        async with database.system_session() as session:
            user = await session.get(User, user_id)
            assert user is not None
            return dict(user.preferences)
    finally:
        await database.dispose()


async def test_preferences_change_only_what_is_sent_and_keep_other_keys(
    platform: Platform, database_urls: Any
) -> None:
    user_id, email = await add_user(
        database_urls.admin_url,
        platform.seeded.tenant_id,
        "viewer",
        {"pinned_agents": ["a1"], "notification_email_kinds": ["run_failed"]},
    )
    token = await login(platform.client, email)
    first = await platform.client.get(URL, headers=_auth(token))
    assert first.status_code == 200, first.text
    assert first.json() == {
        "language": None,
        "theme": "system",
        "email_kinds": ["run_failed"],
        "model_defaults": {"temperature": None, "max_tokens": None},
    }

    changed = await platform.client.patch(
        URL,
        json={"language": "zh-CN", "theme": "dark", "model_defaults": {"temperature": 1.2}},
        headers=_auth(token),
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["language"] == "zh-CN" and changed.json()["theme"] == "dark"
    assert changed.json()["email_kinds"] == ["run_failed"]  # not sent: unchanged
    again = await platform.client.get(URL, headers=_auth(token))
    assert again.json() == changed.json()

    # The e-mail choices are the same ones the notification settings route shows.
    kinds = await platform.client.patch(
        URL, json={"email_kinds": ["task_assigned"], "language": None}, headers=_auth(token)
    )
    assert kinds.json()["language"] is None and kinds.json()["theme"] == "dark"
    legacy = await platform.client.get("/api/v1/me/notification-settings", headers=_auth(token))
    assert legacy.json() == {"email_kinds": ["task_assigned"]}

    stored = await _stored(database_urls.admin_url, user_id)
    assert stored["pinned_agents"] == ["a1"]  # a key of someone else's: untouched
    assert stored["theme"] == "dark" and stored["language"] is None
    assert stored["model_defaults"] == {"temperature": 1.2, "max_tokens": None}
    assert stored["notification_email_kinds"] == ["task_assigned"]


async def test_invalid_preferences_are_422_problems_by_field(
    platform: Platform, database_urls: Any
) -> None:
    user_id, email = await add_user(database_urls.admin_url, platform.seeded.tenant_id, "user")
    token = await login(platform.client, email)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"language": "fr"}, "/language"),
        ({"theme": "blue"}, "/theme"),
        ({"model_defaults": {"temperature": 2.5}}, "/model_defaults/temperature"),
        ({"model_defaults": {"max_tokens": 0}}, "/model_defaults/max_tokens"),
        ({"model_defaults": {"top_k": 3}}, "/model_defaults/top_k"),
        ({"email_kinds": ["spam"]}, "/email_kinds/0"),
        ({"font": "serif"}, "/font"),
    ]
    for body, pointer in cases:
        response = await platform.client.patch(URL, json=body, headers=_auth(token))
        assert response.status_code == 422, (body, response.text)
        problem = response.json()
        assert response.headers["content-type"].startswith("application/problem+json")
        assert problem["status"] == 422
        assert any(error["path"].endswith(pointer) for error in problem["errors"]), problem
    assert await _stored(database_urls.admin_url, user_id) == {}  # nothing written


async def test_a_run_uses_the_users_defaults_within_the_agents_bounds(
    platform: Platform, database_urls: Any
) -> None:
    seen: list[dict[str, Any]] = []
    script = f"params-{uuid.uuid4().hex[:6]}"

    def observe(messages: list[dict[str, Any]], params: dict[str, Any]) -> ScriptedReply:
        seen.append(params)
        return ScriptedReply(text="ok")

    register_script(script, observe)
    tenant = platform.seeded.tenant_id
    bounded = one_llm_node(f"scripted/{script}", max_attempts=1)
    bounded["nodes"][0]["config"]["user_params"] = {  # type: ignore[index]
        "temperature": {"min": 0.1, "max": 0.9},
        "max_tokens": {"max": 300},
    }
    bounded_agent = await create_agent(database_urls.admin_url, tenant, bounded)
    closed_agent = await create_agent(
        database_urls.admin_url, tenant, one_llm_node(f"scripted/{script}", max_attempts=1)
    )
    _, email = await add_user(database_urls.admin_url, tenant, "user")
    token = await login(platform.client, email)
    saved = await platform.client.patch(
        URL, json={"model_defaults": {"temperature": 1.5, "max_tokens": 200}}, headers=_auth(token)
    )
    assert saved.status_code == 200, saved.text

    for agent_id in (bounded_agent, closed_agent):
        response, frames = await stream_turn(
            platform.client, token, {"agent_id": agent_id, "message": "hello"}
        )
        assert response.status_code == 200, response.text
        assert frames[-1]["data"]["status"] == "completed", frames  # type: ignore[index]
    within, ignored = seen
    assert within["temperature"] == 0.9  # 1.5 clamped to the agent's maximum
    assert within["max_tokens"] == 200  # within the bound: as chosen
    assert ignored["temperature"] == 0.7  # the node's own default: no user defaults here
    assert ignored["max_tokens"] != 200
