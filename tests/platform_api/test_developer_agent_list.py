"""Developers: the list of agents they build (Studio's "My agents") and a version's graph."""

from __future__ import annotations

import uuid
from typing import Any

from tests.helpers import Platform, fresh_tenant_admin_token, login


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _developer(platform: Platform) -> dict[str, str]:
    domain = platform.seeded.admin_email.split("@", 1)[1]
    return _auth(await login(platform.client, f"developer@{domain}"))


async def _new_agent(platform: Platform, headers: dict[str, str], name: str) -> str:
    created = await platform.client.post(
        "/api/v1/developer/agents", json={"name": name}, headers=headers
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


async def test_developer_lists_own_agents_with_versions_and_no_other_tenants(
    platform: Platform, database_urls: Any
) -> None:
    client = platform.client
    developer = await _developer(platform)
    mark = uuid.uuid4().hex[:6]
    mine = await _new_agent(platform, developer, f"Studio list {mark}")
    version = await client.post(
        f"/api/v1/developer/agents/{mine}/versions",
        json={"version": "1.0.0", "template_name": "plain_chat", "changelog": "first"},
        headers=developer,
    )
    assert version.status_code == 201, version.text

    other = _auth(await fresh_tenant_admin_token(platform, database_urls.admin_url, "studio"))
    theirs = await _new_agent(platform, other, f"Studio list {mark} elsewhere")

    listed = await client.get(
        "/api/v1/developer/agents", params={"q": f"studio list {mark}"}, headers=developer
    )
    assert listed.status_code == 200, listed.text
    page = listed.json()
    assert page["total"] == 1 and page["limit"] == 50 and page["offset"] == 0
    (item,) = page["items"]
    assert item["id"] == mine and item["status"] == "draft"
    assert item["latest_version"] == "1.0.0" and item["latest_status"] == "draft"
    assert item["current_version"] is None

    # The other tenant's admin sees every agent of its own tenant, none of ours.
    their_list = (
        await client.get("/api/v1/developer/agents", params={"limit": 200}, headers=other)
    ).json()
    ids = {a["id"] for a in their_list["items"]}
    assert theirs in ids and mine not in ids

    drafts = await client.get(
        "/api/v1/developer/agents",
        params={"q": mark, "status": "published"},
        headers=developer,
    )
    assert drafts.status_code == 200 and drafts.json()["total"] == 0
    bad = await client.get(
        "/api/v1/developer/agents", params={"status": "nonsense"}, headers=developer
    )
    assert bad.status_code == 422


async def test_version_graph_is_drawn_from_the_template_plan(platform: Platform) -> None:
    client = platform.client
    developer = await _developer(platform)
    agent = await _new_agent(platform, developer, f"Studio graph {uuid.uuid4().hex[:6]}")
    version = await client.post(
        f"/api/v1/developer/agents/{agent}/versions",
        json={"version": "1.0.0", "template_name": "plain_chat"},
        headers=developer,
    )
    assert version.status_code == 201, version.text
    version_id = version.json()["id"]
    graph = await client.get(
        f"/api/v1/developer/agents/{agent}/versions/{version_id}/graph", headers=developer
    )
    assert graph.status_code == 200, graph.text
    body = graph.json()
    roles = [n["role"] for n in body["nodes"]]
    assert roles[0] == "start" and roles[-1] == "end" and "node" in roles
    assert body["version"] == "1.0.0" and body["edges"]

    missing = await client.get(
        f"/api/v1/developer/agents/{agent}/versions/{uuid.uuid4()}/graph", headers=developer
    )
    assert missing.status_code == 404


async def test_the_developer_reads_why_a_version_was_rejected(platform: Platform) -> None:
    client = platform.client
    developer = await _developer(platform)
    domain = platform.seeded.admin_email.split("@", 1)[1]
    reviewer = _auth(await login(client, f"reviewer@{domain}"))
    agent = await _new_agent(platform, developer, f"Studio note {uuid.uuid4().hex[:6]}")
    version = await client.post(
        f"/api/v1/developer/agents/{agent}/versions",
        json={"version": "1.0.0", "template_name": "plain_chat"},
        headers=developer,
    )
    version_id = version.json()["id"]
    submitted = await client.post(
        f"/api/v1/developer/agents/{agent}/versions/{version_id}/submit", headers=developer
    )
    assert submitted.status_code == 200, submitted.text
    rejected = await client.post(
        f"/api/v1/reviews/versions/{version_id}/reject",
        json={"reason": "Say who the agent is for."},
        headers=reviewer,
    )
    assert rejected.status_code == 200, rejected.text
    detail = (await client.get(f"/api/v1/developer/agents/{agent}", headers=developer)).json()
    (only,) = detail["versions"]
    assert only["status"] == "rejected" and only["review_note"] == "Say who the agent is for."
