"""The demo store is real: every seeded demo agent is published and answers offline.

``agentpaas dev`` seeds them into the demo tenant and registers the bundled MCP tools for
it; here a fresh tenant gets both the same way, and a user-facing chat runs on each agent.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlmodel import col, select

from agentpaas import bundled_tools
from agentpaas.demo_knowledge import HANDBOOK_DIR, ingest_demo_knowledge, seed_demo_knowledge
from agentpaas.runtime.ports import free_port
from agentpaas.seed import DEMO_AGENTS, seed_demo_agents
from platform_core.models import User
from tests.helpers import Platform, login, serve, stream_turn, wait_for_open_task
from tests.knowledge_helpers import new_tenant, wait_settled
from tests.mcp.mcp_helpers import auth


async def test_the_demo_tenant_store_lists_every_demo_agent(platform: Platform) -> None:
    domain = platform.seeded.admin_email.split("@", 1)[1]
    headers = auth(await login(platform.client, f"user@{domain}"))
    for demo in DEMO_AGENTS:
        listed = await platform.client.get(
            "/api/v1/agents", params={"q": demo["name"]}, headers=headers
        )
        assert demo["name"] in [a["name"] for a in listed.json()["items"]]
    # Each sits in its category of the store's tree, so the category filter finds it.
    categories = (await platform.client.get("/api/v1/categories", headers=headers)).json()

    def ids(nodes: list[dict[str, Any]]) -> dict[str, str]:
        found = {n["name"]: n["id"] for n in nodes}
        for node in nodes:
            found.update(ids(node.get("children") or []))
        return found

    by_name = ids(categories)
    for demo in DEMO_AGENTS:
        filtered = await platform.client.get(
            "/api/v1/agents",
            params={"category_id": by_name[demo["category"]], "q": demo["name"]},
            headers=headers,
        )
        assert demo["name"] in [a["name"] for a in filtered.json()["items"]], demo["category"]


async def test_each_demo_agent_answers_with_the_offline_model(
    platform: Platform, database_urls: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(bundled_tools.ALLOW_LIST_ENV, "")  # restored after the test
    tenant_id, admin_token = await new_tenant(database_urls.admin_url, platform.client)
    email = (await platform.client.get("/api/auth/me", headers=auth(admin_token))).json()["email"]
    port = free_port()
    settings = platform.settings.model_copy(
        update={
            "environment": "development",
            "api_port": port,
            "demo_admin_email": email,
            "outbound_allow_list": [],
        }
    )
    assert await bundled_tools.prepare_bundled_tools(
        admin_url=database_urls.admin_url, settings=settings, tenant_id=tenant_id
    )
    async with platform.db.tenant_session(tenant_id) as session:
        admin = (await session.execute(select(User).where(col(User.email) == email))).scalar_one()
        handbook = await seed_demo_knowledge(session, tenant_id=tenant_id, admin=admin)
        await seed_demo_agents(
            session, tenant_id=tenant_id, developer_id=admin.id, knowledge_base_id=handbook.id
        )
    started = await ingest_demo_knowledge(
        client=platform.temporal, database=platform.db, settings=settings, tenant_id=tenant_id
    )
    assert started == len(list(HANDBOOK_DIR.glob("*.md"))) >= 2
    docs = await wait_settled(platform.client, admin_token, str(handbook.id))
    assert {d["status"] for d in docs} == {"ready"}
    # A second start finds nothing left to ingest.
    assert not await ingest_demo_knowledge(
        client=platform.temporal, database=platform.db, settings=settings, tenant_id=tenant_id
    )
    outcomes: dict[str, str] = {}
    async with serve(platform, database_urls.app_url, settings, port=port):
        await bundled_tools.discover_when_serving(
            admin_url=database_urls.admin_url,
            settings=settings,
            tenant_id=tenant_id,
            is_serving=lambda: True,
        )
        for demo in DEMO_AGENTS:
            turn = asyncio.create_task(
                stream_turn(
                    platform.client,
                    admin_token,
                    {"agent": demo["name"], "message": "Please fetch https://example.com for me"},
                )
            )
            if demo["template_name"] == "approval_gated_action":
                # It proposes the fetch and stops for a reviewer; a rejection ends the run.
                listed = await platform.client.get(
                    "/api/v1/agents", params={"q": demo["name"]}, headers=auth(admin_token)
                )
                agent_id = listed.json()["items"][0]["id"]
                task = await wait_for_open_task(platform.client, admin_token, agent_id=agent_id)
                assert "http_get" in str(task["instruction"])
                rejected = await platform.client.post(
                    f"/api/v1/reviews/tasks/{task['task_id']}/complete",
                    json={"input": {"approved": False, "comment": "not today"}},
                    headers=auth(admin_token),
                )
                assert rejected.status_code == 200, rejected.text
            response, frames = await asyncio.wait_for(turn, timeout=120)
            assert response.status_code == 200, response.text
            kinds = [f["event"] for f in frames]
            assert "error" not in kinds, (demo["name"], frames)
            outcomes[demo["name"]] = str(frames[-1]["data"]["status"])  # type: ignore[index]
    assert outcomes == dict.fromkeys(outcomes, "completed")
    assert sorted(outcomes) == sorted(demo["name"] for demo in DEMO_AGENTS)
