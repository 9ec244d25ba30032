"""Developer → review → store → chats: the product's main path, end to end."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

from platform_core.models import WorkflowExecution
from tests.helpers import DEMO_PASSWORD, Platform, login, stream_turn


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _tokens(platform: Platform) -> dict[str, str]:
    domain = platform.seeded.admin_email.split("@", 1)[1]
    return {
        role: await login(platform.client, f"{role}@{domain}")
        for role in ("developer", "reviewer", "user")
    }


async def _publish(
    platform: Platform,
    tokens: dict[str, str],
    agent_id: str,
    version: str,
    parameters: dict[str, Any],
) -> str:
    client = platform.client
    dev, reviewer = _auth(tokens["developer"]), _auth(tokens["reviewer"])
    created = await client.post(
        f"/api/v1/developer/agents/{agent_id}/versions",
        json={"version": version, "template_name": "plain_chat", "template_parameters": parameters},
        headers=dev,
    )
    assert created.status_code == 201, created.text
    version_id = created.json()["id"]
    submitted = await client.post(
        f"/api/v1/developer/agents/{agent_id}/versions/{version_id}/submit", headers=dev
    )
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    approved = await client.post(
        f"/api/v1/reviews/versions/{version_id}/approve", json={"note": "ok"}, headers=reviewer
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["is_current"] is True and approved.json()["published_at"]
    return str(version_id)


async def test_publish_chat_and_version_locking(platform: Platform) -> None:
    client = platform.client
    tokens = await _tokens(platform)
    dev, reviewer, user = (_auth(tokens[r]) for r in ("developer", "reviewer", "user"))
    name = f"Travel Planner {uuid.uuid4().hex[:4]}"
    misspelled = "Travle Planer"
    agent = await client.post(
        "/api/v1/developer/agents",
        json={"name": name, "description": "Plans trips", "tags": ["travel"]},
        headers=dev,
    )
    agent_id = agent.json()["id"]

    # A draft is invisible in the store.
    store = await client.get("/api/v1/agents", params={"q": name}, headers=user)
    assert store.json()["total"] == 0

    # Rejected first, with a reason; then resubmitted and approved.
    draft = await client.post(
        f"/api/v1/developer/agents/{agent_id}/versions",
        json={"version": "0.9.0", "template_name": "plain_chat"},
        headers=dev,
    )
    draft_id = draft.json()["id"]
    await client.post(
        f"/api/v1/developer/agents/{agent_id}/versions/{draft_id}/submit", headers=dev
    )
    pending = await client.get("/api/v1/reviews/versions", headers=reviewer)
    assert draft_id in [v["id"] for v in pending.json()]
    (submission,) = [v for v in pending.json() if v["id"] == draft_id]
    assert submission["agent_name"] == name  # the reviewer's list says whose version it is
    graph = await client.get(f"/api/v1/reviews/versions/{draft_id}/graph", headers=reviewer)
    assert graph.status_code == 200
    assert {n["role"] for n in graph.json()["nodes"]} >= {"start", "node", "end"}
    rejected = await client.post(
        f"/api/v1/reviews/versions/{draft_id}/reject",
        json={"reason": "needs a system prompt"},
        headers=reviewer,
    )
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["review_note"] if "review_note" in rejected.json() else True
    history = await client.get(
        f"/api/v1/developer/agents/{agent_id}/versions/{draft_id}/transitions", headers=dev
    )
    assert [(t["from_status"], t["to_status"]) for t in history.json()] == [
        ("none", "draft"),
        ("draft", "submitted"),
        ("submitted", "rejected"),
    ]
    # Developers cannot approve their own work.
    self_approve = await client.post(
        f"/api/v1/reviews/versions/{draft_id}/approve", json={}, headers=dev
    )
    assert self_approve.status_code == 403

    # The developer tries the draft in a sandbox chat before submitting.
    sandbox = await client.post(
        f"/api/v1/developer/agents/{agent_id}/versions/{draft_id}/sandbox", headers=dev
    )
    _, sandbox_frames = await stream_turn(
        client, tokens["developer"], {"chat_id": sandbox.json()["id"], "message": "test"}
    )
    assert sandbox_frames[-1]["data"]["status"] == "completed"  # type: ignore[index]

    v1 = await _publish(platform, tokens, agent_id, "1.0.0", {"system_prompt": "You plan trips."})
    # The user finds it by a misspelled search.
    store = await client.get("/api/v1/agents", params={"q": misspelled}, headers=user)
    found = [a for a in store.json()["items"] if a["id"] == agent_id]
    assert found and found[0]["current_version"]["version"] == "1.0.0"

    # Two chats with two agents, streamed at the same time.
    chat_a = (await client.post("/api/v1/chats", json={"agent_id": agent_id}, headers=user)).json()
    assistant = next(
        a
        for a in (await client.get("/api/v1/agents", headers=user)).json()["items"]
        if a["name"] == "Assistant"
    )
    chat_b = (
        await client.post("/api/v1/chats", json={"agent_id": assistant["id"]}, headers=user)
    ).json()
    (ra, fa), (rb, fb) = await asyncio.gather(
        stream_turn(client, tokens["user"], {"chat_id": chat_a["id"], "message": "Lisbon?"}),
        stream_turn(client, tokens["user"], {"chat_id": chat_b["id"], "message": "Hello"}),
    )
    assert fa[-1]["data"]["status"] == fb[-1]["data"]["status"] == "completed"  # type: ignore[index]
    assert chat_a["agent_version_id"] == v1
    rated = await client.put(
        f"/api/v1/agents/{agent_id}/reviews/mine", json={"rating": 5, "comment": "!"}, headers=user
    )
    assert rated.status_code == 200
    page = (await client.get(f"/api/v1/agents/{agent_id}", headers=user)).json()
    assert page["average_rating"] == "5.00" and page["download_count"] == 1

    # v2 is published; the open chat keeps v1 until the user upgrades it.
    v2 = await _publish(platform, tokens, agent_id, "2.0.0", {"temperature": 0.1})
    response, frames = await stream_turn(
        client, tokens["user"], {"chat_id": chat_a["id"], "message": "And Porto?"}
    )
    assert frames[-1]["data"]["status"] == "completed"  # type: ignore[index]
    async with platform.db.tenant_session(platform.seeded.tenant_id) as session:
        execution = await session.get(
            WorkflowExecution, uuid.UUID(response.headers["X-Execution-Id"])
        )
    assert execution is not None and str(execution.agent_version_id) == v1
    new_chat = (
        await client.post("/api/v1/chats", json={"agent_id": agent_id}, headers=user)
    ).json()
    assert new_chat["agent_version_id"] == v2
    upgraded = await client.post(f"/api/v1/chats/{chat_a['id']}/upgrade", headers=user)
    assert upgraded.status_code == 200 and upgraded.json()["agent_version_id"] == v2

    listed = await client.get("/api/v1/chats", params={"agent_id": agent_id}, headers=user)
    assert {c["agent_name"] for c in listed.json()["items"]} == {name}
    assert all(c["active_execution_id"] is None for c in listed.json()["items"])


async def test_chat_management_export_and_delete(platform: Platform, admin_token: str) -> None:
    client = platform.client
    headers = _auth(admin_token)
    response, frames = await stream_turn(
        client, admin_token, {"agent": "Assistant", "message": "export me 你好"}
    )
    chat_id = response.headers["X-Chat-Id"]
    renamed = await client.patch(
        f"/api/v1/chats/{chat_id}", json={"title": "Kept", "status": "archived"}, headers=headers
    )
    assert renamed.status_code == 200 and renamed.json()["status"] == "archived"
    archived = await client.get("/api/v1/chats", params={"status": "archived"}, headers=headers)
    assert chat_id in [c["id"] for c in archived.json()["items"]]
    searched = await client.get("/api/v1/chats", params={"q": "kep"}, headers=headers)
    assert searched.json()["total"] == 0  # archived chats are not in the default list
    blocked, _ = await stream_turn(client, admin_token, {"chat_id": chat_id, "message": "hi"})
    assert blocked.status_code == 409

    as_json = await client.get(f"/api/v1/chats/{chat_id}/export", headers=headers)
    document = json.loads(as_json.text)
    assert [m["role"] for m in document["messages"]] == ["user", "assistant"]
    assert document["messages"][0]["content"] == "export me 你好"
    as_md = await client.get(
        f"/api/v1/chats/{chat_id}/export", params={"format": "markdown"}, headers=headers
    )
    assert as_md.headers["content-type"].startswith("text/markdown")
    assert "# Kept" in as_md.text and "export me 你好" in as_md.text

    deleted = await client.delete(f"/api/v1/chats/{chat_id}", headers=headers)
    assert deleted.status_code == 204
    gone = await client.get("/api/v1/chat/history", params={"chat_id": chat_id}, headers=headers)
    assert gone.status_code == 404


async def test_logout_and_logout_everywhere(platform: Platform) -> None:
    client = platform.client
    domain = platform.seeded.admin_email.split("@", 1)[1]
    email = f"user@{domain}"

    async def pair() -> dict[str, Any]:
        response = await client.post(
            "/api/auth/login", json={"email": email, "password": DEMO_PASSWORD}
        )
        return dict(response.json())

    first = await pair()
    out = await client.post("/api/auth/logout", json={"refresh_token": first["refresh_token"]})
    assert out.status_code == 204
    refused = await client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert refused.status_code == 401

    second = await pair()
    everywhere = await client.post("/api/auth/logout-all", headers=_auth(second["access_token"]))
    assert everywhere.status_code == 204
    stale = await client.get("/api/auth/me", headers=_auth(second["access_token"]))
    assert stale.status_code == 401 and stale.json()["detail"] == "token revoked"
    again = await pair()
    assert (
        await client.get("/api/auth/me", headers=_auth(again["access_token"]))
    ).status_code == 200


async def test_store_search_tolerates_typos_and_filters(
    platform: Platform, database_urls: Any
) -> None:
    from tests.helpers import create_agent, one_llm_node

    client = platform.client
    tag = uuid.uuid4().hex[:6]
    names = [f"Travel Planner {tag}", f"Code Reviewer {tag}", f"Recipe Finder {tag}"]
    ids = {}
    for name in names:
        ids[name] = await create_agent(
            database_urls.admin_url,
            platform.seeded.tenant_id,
            one_llm_node("scripted/echo"),
            name=name,
        )
    tokens = await _tokens(platform)
    user = _auth(tokens["user"])

    misspelled = await client.get("/api/v1/agents", params={"q": "travle planer"}, headers=user)
    found = [a["name"] for a in misspelled.json()["items"]]
    assert found and found[0] == names[0]
    assert names[2] not in found

    full_text = await client.get("/api/v1/agents", params={"q": "reviewer"}, headers=user)
    assert names[1] in [a["name"] for a in full_text.json()["items"]]

    categories = await client.get("/api/v1/categories", headers=user)
    roots = {c["name"]: c for c in categories.json()}
    assert "Engineering" in roots and roots["Engineering"]["children"]
    child = roots["Engineering"]["children"][0]
    async with platform.db.tenant_session(platform.seeded.tenant_id) as session:
        from platform_core.models import Agent

        agent = await session.get(Agent, uuid.UUID(ids[names[1]]))
        assert agent is not None
        agent.category_id = uuid.UUID(child["id"])
        agent.tags = ["code", tag]
        session.add(agent)
    by_parent = await client.get(
        "/api/v1/agents", params={"category_id": roots["Engineering"]["id"]}, headers=user
    )
    assert [a["name"] for a in by_parent.json()["items"]] == [names[1]]
    by_tag = await client.get("/api/v1/agents", params={"tag": tag}, headers=user)
    assert [a["name"] for a in by_tag.json()["items"]] == [names[1]]
    sorted_usage = await client.get(
        "/api/v1/agents", params={"sort": "usage", "limit": 200}, headers=user
    )
    counts = [a["download_count"] for a in sorted_usage.json()["items"]]
    assert counts == sorted(counts, reverse=True)
    bad_sort = await client.get("/api/v1/agents", params={"sort": "random"}, headers=user)
    assert bad_sort.status_code == 422
