"""A reviewer tries a submission in a sandbox chat of their own before deciding on it."""

from __future__ import annotations

import uuid
from typing import Any

from tests.helpers import Platform, fresh_tenant_admin_token, login, stream_turn


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _tokens(platform: Platform) -> dict[str, str]:
    domain = platform.seeded.admin_email.split("@", 1)[1]
    return {
        role: await login(platform.client, f"{role}@{domain}")
        for role in ("developer", "reviewer", "user")
    }


async def _draft(platform: Platform, token: str) -> tuple[str, str]:
    """A new agent with a draft version answered by the offline scripted model."""
    client, headers = platform.client, _auth(token)
    agent = await client.post(
        "/api/v1/developer/agents",
        json={"name": f"Sandboxed {uuid.uuid4().hex[:6]}"},
        headers=headers,
    )
    assert agent.status_code == 201, agent.text
    version = await client.post(
        f"/api/v1/developer/agents/{agent.json()['id']}/versions",
        json={"version": "1.0.0", "template_name": "plain_chat", "changelog": "first"},
        headers=headers,
    )
    assert version.status_code == 201, version.text
    return agent.json()["id"], version.json()["id"]


async def _submit(platform: Platform, token: str, agent_id: str, version_id: str) -> None:
    submitted = await platform.client.post(
        f"/api/v1/developer/agents/{agent_id}/versions/{version_id}/submit", headers=_auth(token)
    )
    assert submitted.status_code == 200, submitted.text


async def test_a_reviewer_chats_with_a_submitted_version_in_a_sandbox(platform: Platform) -> None:
    client = platform.client
    tokens = await _tokens(platform)
    reviewer = _auth(tokens["reviewer"])
    agent_id, version_id = await _draft(platform, tokens["developer"])
    path = f"/api/v1/reviews/versions/{version_id}/sandbox"

    # A draft is not under review: refused with a problem that says why.
    draft = await client.post(path, headers=reviewer)
    assert draft.status_code == 409
    assert draft.headers["content-type"].startswith("application/problem+json")
    assert draft.json()["title"] == "Conflict" and "draft" in draft.json()["detail"]

    await _submit(platform, tokens["developer"], agent_id, version_id)
    # Only reviewers (and admins) try submissions; the developer has a sandbox of their own.
    for role in ("user", "developer"):
        refused = await client.post(path, headers=_auth(tokens[role]))
        assert refused.status_code == 403, role

    opened = await client.post(path, headers=reviewer)
    assert opened.status_code == 201, opened.text
    chat: dict[str, Any] = opened.json()
    assert chat["is_sandbox"] is True
    assert chat["agent_id"] == agent_id and chat["agent_version_id"] == version_id
    _, frames = await stream_turn(
        client, tokens["reviewer"], {"chat_id": chat["id"], "message": "hello reviewer"}
    )
    done: dict[str, Any] = frames[-1]["data"]  # type: ignore[assignment]
    assert done["status"] == "completed"
    assert "hello reviewer" in done["answer"]  # the offline scripted model echoes it

    # The sandbox chat is the reviewer's own: its developer cannot read it.
    history = "/api/v1/chat/history"
    own = await client.get(history, params={"chat_id": chat["id"]}, headers=reviewer)
    assert own.status_code == 200
    assert [m["role"] for m in own.json()["messages"]] == ["user", "assistant"]
    developer = _auth(tokens["developer"])
    theirs = await client.get(history, params={"chat_id": chat["id"]}, headers=developer)
    assert theirs.status_code == 404

    # Once decided, the version is no longer under review.
    approved = await client.post(
        f"/api/v1/reviews/versions/{version_id}/approve", json={}, headers=reviewer
    )
    assert approved.status_code == 200, approved.text
    published = await client.post(path, headers=reviewer)
    assert published.status_code == 409 and "published" in published.json()["detail"]
    missing = f"/api/v1/reviews/versions/{uuid.uuid4()}/sandbox"
    unknown = await client.post(missing, headers=reviewer)
    assert unknown.status_code == 404


async def test_another_tenants_submission_is_not_found(
    platform: Platform, database_urls: Any, admin_token: str
) -> None:
    other_admin = await fresh_tenant_admin_token(platform, database_urls.admin_url, "sandbox")
    agent_id, version_id = await _draft(platform, other_admin)
    await _submit(platform, other_admin, agent_id, version_id)
    path = f"/api/v1/reviews/versions/{version_id}/sandbox"
    # The demo tenant's admin (a reviewer there) cannot tell it exists.
    foreign = await platform.client.post(path, headers=_auth(admin_token))
    assert foreign.status_code == 404
    assert "submitted" not in foreign.text
    # Its own tenant's admin can try it.
    own = await platform.client.post(path, headers=_auth(other_admin))
    assert own.status_code == 201, own.text
