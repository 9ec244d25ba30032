"""Store pages, ratings and downloads; direct execution; developer sandboxes."""

from __future__ import annotations

import uuid
from typing import Any

from tests.helpers import Platform, create_agent, login, one_llm_node, parse_sse, stream_turn


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _assistant(platform: Platform, headers: dict[str, str]) -> dict[str, Any]:
    listed = await platform.client.get("/api/v1/agents", params={"q": "Assistant"}, headers=headers)
    return dict(next(a for a in listed.json()["items"] if a["name"] == "Assistant"))


async def test_reviews_average_and_downloads(platform: Platform, database_urls: Any) -> None:
    client = platform.client
    domain = platform.seeded.admin_email.split("@", 1)[1]
    user = _auth(await login(client, f"user@{domain}"))
    reviewer = _auth(await login(client, f"reviewer@{domain}"))
    agent_id = await create_agent(
        database_urls.admin_url, platform.seeded.tenant_id, one_llm_node("scripted/echo")
    )
    first = await client.put(
        f"/api/v1/agents/{agent_id}/reviews/mine",
        json={"rating": 5, "comment": "great"},
        headers=user,
    )
    assert first.status_code == 200
    edited = await client.put(
        f"/api/v1/agents/{agent_id}/reviews/mine", json={"rating": 4}, headers=user
    )
    assert edited.json()["id"] == first.json()["id"]  # one review per user, edited
    await client.put(
        f"/api/v1/agents/{agent_id}/reviews/mine", json={"rating": 1}, headers=reviewer
    )
    page = (await client.get(f"/api/v1/agents/{agent_id}", headers=user)).json()
    assert page["rating_count"] == 2
    assert page["average_rating"] == "2.50"
    reviews = (await client.get(f"/api/v1/agents/{agent_id}/reviews", headers=user)).json()
    assert sorted(r["rating"] for r in reviews) == [1, 4]
    assert page["versions"][0]["is_current"] is True

    bad = await client.put(
        f"/api/v1/agents/{agent_id}/reviews/mine", json={"rating": 9}, headers=user
    )
    assert bad.status_code == 422

    # A user's first chat with an agent counts as adding it; later chats do not.
    assert page["download_count"] == 0
    for headers in (user, user, reviewer):
        opened = await client.post("/api/v1/chats", json={"agent_id": agent_id}, headers=headers)
        assert opened.status_code == 201
    after = (await client.get(f"/api/v1/agents/{agent_id}", headers=user)).json()
    assert after["download_count"] == 2


async def test_execute_agent_directly(platform: Platform, admin_token: str) -> None:
    client = platform.client
    headers = _auth(admin_token)
    agent = await _assistant(platform, headers)
    waited = await client.post(
        f"/api/v1/agents/{agent['id']}/execute",
        json={"message": "direct hello", "wait": True},
        headers=headers,
        timeout=60,
    )
    assert waited.status_code == 200, waited.text
    body = waited.json()
    assert body["status"] == "completed" and "direct hello" in body["answer"]
    detail = await client.get(f"/api/v1/executions/{body['execution_id']}", headers=headers)
    assert detail.json()["chat_id"] is None
    assert [n["node_name"] for n in detail.json()["nodes"]] == ["chat"]

    started = await client.post(
        f"/api/v1/agents/{agent['id']}/execute", json={"message": "later"}, headers=headers
    )
    assert started.status_code == 202 and started.json()["status"] == "running"
    streamed = await client.post(
        f"/api/v1/agents/{agent['id']}/execute",
        json={"message": "stream it", "stream": True},
        headers=headers,
        timeout=60,
    )
    frames = parse_sse(streamed.text)
    assert frames[-1]["event"] == "done" and frames[-1]["data"]["status"] == "completed"  # type: ignore[index]

    wrong = await client.post(
        f"/api/v1/agents/{agent['id']}/execute",
        json={"input": {"nonsense": 1}},
        headers=headers,
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["path"] == "/body/input/nonsense"
    missing = await client.post(
        f"/api/v1/agents/{uuid.uuid4()}/execute", json={"message": "x"}, headers=headers
    )
    assert missing.status_code == 404
    unknown_version = await client.post(
        f"/api/v1/agents/{agent['id']}/execute",
        json={"message": "x", "version": "9.9.9"},
        headers=headers,
    )
    assert unknown_version.status_code == 404

    runs = await client.get(
        "/api/v1/executions", params={"agent_id": agent["id"], "limit": 5}, headers=headers
    )
    assert runs.status_code == 200 and runs.json()["total"] >= 3


async def test_sandbox_runs_a_draft_for_its_developer_only(platform: Platform) -> None:
    client = platform.client
    domain = platform.seeded.admin_email.split("@", 1)[1]
    dev_token = await login(client, f"developer@{domain}")
    dev = _auth(dev_token)
    agent = await client.post(
        "/api/v1/developer/agents", json={"name": f"Sandboxed {uuid.uuid4().hex[:4]}"}, headers=dev
    )
    agent_id = agent.json()["id"]
    version = await client.post(
        f"/api/v1/developer/agents/{agent_id}/versions",
        json={"version": "0.1.0", "template_name": "plain_chat"},
        headers=dev,
    )
    sandbox = await client.post(
        f"/api/v1/developer/agents/{agent_id}/versions/{version.json()['id']}/sandbox",
        headers=dev,
    )
    assert sandbox.status_code == 201 and sandbox.json()["is_sandbox"] is True
    response, frames = await stream_turn(
        client, dev_token, {"chat_id": sandbox.json()["id"], "message": "try the draft"}
    )
    assert frames[-1]["data"]["status"] == "completed"  # type: ignore[index]
    other = _auth(await login(client, f"user@{domain}"))
    hidden = await client.get(
        "/api/v1/chat/history", params={"chat_id": sandbox.json()["id"]}, headers=other
    )
    assert hidden.status_code == 404
    store = await client.get("/api/v1/agents", headers=other)
    assert agent_id not in [a["id"] for a in store.json()["items"]]
