"""Developers: node types, the template catalog, agents and compiled versions (422s)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import func, select

from node_types.compiler import compile_plan
from platform_core.models import AgentVersion
from templates_catalog import load_catalog
from tests.helpers import Platform, login, stream_turn

# Just enough config for a node of each type to compile (the rest are the type's defaults).
MINIMAL_CONFIGS: dict[str, dict[str, object]] = {
    "tool": {"tool": "calculator", "arguments": {}},
    "code": {"output_key": "result"},
}


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _developer(platform: Platform) -> dict[str, str]:
    domain = platform.seeded.admin_email.split("@", 1)[1]
    return _auth(await login(platform.client, f"developer@{domain}"))


async def test_node_types_are_listed_with_schemas(platform: Platform, admin_token: str) -> None:
    response = await platform.client.get("/api/v1/node-types", headers=_auth(admin_token))
    assert response.status_code == 200
    types = {t["type_name"]: t for t in response.json()}
    assert {"llm", "tool", "rag", "human", "router", "transform"} <= set(types)
    assert types["llm"]["execution"] == "activity" and types["router"]["execution"] == "inline"
    assert types["llm"]["config_schema"]["type"] == "object"
    assert "llm_service" in types["llm"]["required_services"]


async def test_node_types_show_the_retry_and_timeouts_a_node_runs_with_by_default(
    platform: Platform, admin_token: str
) -> None:
    response = await platform.client.get("/api/v1/node-types", headers=_auth(admin_token))
    types = {t["type_name"]: t for t in response.json()}
    # What the editor shows is what the compiler gives a node that sets nothing.
    activity_types = [name for name, t in types.items() if t["execution"] != "inline"]
    assert {"llm", "tool", "rag", "human", "code"} <= set(activity_types)
    for name in activity_types:
        plan = compile_plan(
            {
                # Every key the node types write by default, so each compiles as it is.
                "state": {
                    "messages": {"reducer": "add_messages"},
                    **{key: {} for key in ("passages", "context", "human_input", "result")},
                },
                "nodes": [{"name": "n", "type": name, "config": MINIMAL_CONFIGS.get(name, {})}],
                "edges": [
                    {"source": "__start__", "target": "n"},
                    {"source": "n", "target": "__end__"},
                ],
            }
        )
        (node,) = plan.nodes
        assert types[name]["default_retry"] == node.retry.model_dump(mode="json"), name
        assert types[name]["default_timeouts"] == node.timeouts.model_dump(mode="json"), name
    # A type's own defaults win over the base ones, and an unset timeout is shown as none.
    assert types["llm"]["default_timeouts"]["heartbeat_seconds"] == 30
    assert types["human"]["default_retry"]["max_attempts"] == 5
    assert types["tool"]["default_timeouts"]["schedule_to_close_seconds"] is None
    # Nodes that run inside the workflow have no activity, so no retries or timeouts.
    assert types["router"]["default_retry"] is None
    assert types["transform"]["default_timeouts"] is None


async def test_catalog_templates_list_detail_and_instantiate(platform: Platform) -> None:
    headers = await _developer(platform)
    listed = await platform.client.get("/api/v1/templates", params={"limit": 100}, headers=headers)
    assert listed.status_code == 200
    items = {t["name"]: t for t in listed.json()["items"]}
    assert {t.name for t in load_catalog()} <= set(items)
    assert all(t["shared"] for t in items.values())

    review = items["code_review"]
    detail = await platform.client.get(f"/api/v1/templates/{review['id']}", headers=headers)
    assert detail.status_code == 200
    body = detail.json()
    assert {n["node_name"] for n in body["nodes"]} >= {
        "code_analyzer",
        "security_reviewer",
        "performance_checker",
    }
    assert any(e["edge_type"] == "fanout" for e in body["edges"])

    approval = items["approval_gated_action"]
    bad = await platform.client.post(
        f"/api/v1/templates/{approval['id']}/instantiate",
        json={"parameters": {"unknown": 1}},
        headers=headers,
    )
    assert bad.status_code == 422
    paths = [e["path"] for e in bad.json()["errors"]]
    assert all(p.startswith("/body/parameters") for p in paths) and len(paths) >= 2
    good = await platform.client.post(
        f"/api/v1/templates/{approval['id']}/instantiate",
        json={"parameters": {"action_tool": "send_email"}},
        headers=headers,
    )
    assert good.status_code == 200
    assert len(good.json()["plan_hash"]) == 64


async def test_versions_compile_count_template_use_and_reject_bad_definitions(
    platform: Platform,
) -> None:
    headers = await _developer(platform)
    client = platform.client
    created = await client.post(
        "/api/v1/developer/agents",
        json={"name": f"Helper {uuid.uuid4().hex[:6]}", "tags": ["demo"]},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    agent_id = created.json()["id"]
    assert created.json()["status"] == "draft"

    async def usage() -> int:
        listed = await client.get("/api/v1/templates", params={"q": "plain_chat"}, headers=headers)
        return int(listed.json()["items"][0]["usage_count"])

    before = await usage()
    version = await client.post(
        f"/api/v1/developer/agents/{agent_id}/versions",
        json={
            "version": "1.0.0",
            "template_name": "plain_chat",
            "template_parameters": {"temperature": 0.2},
            "changelog": "first",
        },
        headers=headers,
    )
    assert version.status_code == 201, version.text
    assert version.json()["status"] == "draft" and len(version.json()["plan_hash"]) == 64
    assert await usage() == before + 1

    again = await client.post(
        f"/api/v1/developer/agents/{agent_id}/versions",
        json={"version": "1.0.0", "template_name": "plain_chat"},
        headers=headers,
    )
    assert again.status_code == 409

    broken = {
        "state": {"messages": {"reducer": "add_messages"}},
        "nodes": [
            {"name": "a", "type": "no_such_type"},
            {"name": "b", "type": "llm", "config": {"temperature": 9}},
            {"name": "orphan", "type": "transform", "config": {}},
        ],
        "edges": [
            {"source": "__start__", "target": "a"},
            {"source": "a", "target": "ghost"},
            {"source": "b", "target": "__end__"},
        ],
    }
    rejected = await client.post(
        f"/api/v1/developer/agents/{agent_id}/versions",
        json={"version": "2.0.0", "workflow_definition": broken},
        headers=headers,
    )
    assert rejected.status_code == 422
    errors = rejected.json()["errors"]
    assert len(errors) >= 3
    assert all(e["path"].startswith("/body/workflow_definition") for e in errors)
    joined = " ".join(e["path"] + " " + e["message"] for e in errors)
    assert "no_such_type" in joined and "ghost" in joined and "/nodes/1/config" in joined
    async with platform.db.tenant_session(platform.seeded.tenant_id) as session:
        count = (
            await session.execute(
                select(func.count())
                .select_from(AgentVersion)
                .where(AgentVersion.agent_id == uuid.UUID(agent_id))
            )
        ).scalar_one()
    assert count == 1  # the rejected version left nothing behind

    validated = await client.post(
        "/api/v1/developer/definitions/validate",
        json={"workflow_definition": broken},
        headers=headers,
    )
    assert validated.status_code == 422 and validated.json()["errors"] == errors

    both = await client.post(
        f"/api/v1/developer/agents/{agent_id}/versions",
        json={"version": "3.0.0", "template_name": "plain_chat", "workflow_definition": broken},
        headers=headers,
    )
    assert both.status_code == 422


async def test_tenant_templates_are_editable_and_the_catalog_is_not(platform: Platform) -> None:
    headers = await _developer(platform)
    client = platform.client
    definition = {
        "state": {"messages": {"reducer": "add_messages"}},
        "nodes": [{"name": "chat", "type": "llm", "config": {"system_prompt": {"$param": "tone"}}}],
        "edges": [
            {"source": "__start__", "target": "chat"},
            {"source": "chat", "target": "__end__"},
        ],
    }
    created = await client.post(
        "/api/v1/templates",
        json={
            "name": f"tone_chat_{uuid.uuid4().hex[:6]}",
            "display_name": "Tone chat",
            "parameter_schema": {
                "type": "object",
                "properties": {"tone": {"type": "string", "default": "Be brief."}},
            },
            "definition": definition,
        },
        headers=headers,
    )
    assert created.status_code == 201, created.text
    template = created.json()
    assert template["shared"] is False and template["nodes"][0]["node_type"] == "llm"

    patched = await client.patch(
        f"/api/v1/templates/{template['id']}", json={"status": "deprecated"}, headers=headers
    )
    assert patched.status_code == 200 and patched.json()["status"] == "deprecated"

    catalog = (await client.get("/api/v1/templates", headers=headers)).json()["items"][0]
    refused = await client.patch(
        f"/api/v1/templates/{catalog['id']}", json={"status": "deprecated"}, headers=headers
    )
    assert refused.status_code == 403

    deleted = await client.delete(f"/api/v1/templates/{template['id']}", headers=headers)
    assert deleted.status_code == 204
    gone = await client.get(f"/api/v1/templates/{template['id']}", headers=headers)
    assert gone.status_code == 404


async def test_plain_users_cannot_develop(platform: Platform) -> None:
    domain = platform.seeded.admin_email.split("@", 1)[1]
    headers = _auth(await login(platform.client, f"user@{domain}"))
    response = await platform.client.post(
        "/api/v1/developer/agents", json={"name": "nope"}, headers=headers
    )
    assert response.status_code == 403
    assert response.json()["type"].endswith("/forbidden")


async def test_version_diff_lists_what_changed(platform: Platform) -> None:
    headers = await _developer(platform)
    client = platform.client
    agent = await client.post(
        "/api/v1/developer/agents", json={"name": f"Differ {uuid.uuid4().hex[:6]}"}, headers=headers
    )
    agent_id = agent.json()["id"]
    versions = []
    for number, temperature in (("1.0.0", 0.2), ("1.1.0", 0.9)):
        created = await client.post(
            f"/api/v1/developer/agents/{agent_id}/versions",
            json={
                "version": number,
                "template_name": "plain_chat",
                "template_parameters": {"temperature": temperature},
                "changelog": f"v{number}",
            },
            headers=headers,
        )
        versions.append(created.json()["id"])
    diff = await client.get(
        f"/api/v1/developer/agents/{agent_id}/versions/{versions[0]}/diff/{versions[1]}",
        headers=headers,
    )
    assert diff.status_code == 200
    changes = {c["path"]: c for c in diff.json()["changes"]}
    assert changes["/template_parameters/temperature"] == {
        "op": "changed",
        "path": "/template_parameters/temperature",
        "old": 0.2,
        "new": 0.9,
    }
    assert "/plan_hash" in changes
    assert any(p.startswith("/compiled_definition/nodes/0/config") for p in changes)
    same = await client.get(
        f"/api/v1/developer/agents/{agent_id}/versions/{versions[0]}/diff/{versions[0]}",
        headers=headers,
    )
    assert same.json()["changes"] == []


def _chat_definition(*, temperature: float, with_check: bool) -> dict[str, object]:
    """v1: one llm node; v2: its temperature changed and a human check behind a condition."""
    state: dict[str, object] = {"messages": {"type": "array", "reducer": "add_messages"}}
    nodes: list[dict[str, object]] = [
        {"name": "chat", "type": "llm", "config": {"temperature": temperature}}
    ]
    edges: list[dict[str, object]] = [{"source": "__start__", "target": "chat"}]
    if with_check:
        state["human_input"] = {"type": "any"}
        nodes.append({"name": "check", "type": "human", "config": {"instruction": "Look"}})
        edges += [
            {
                "type": "conditional",
                "source": "chat",
                "condition": "len(messages) > 2",
                "mapping": {"true": "check"},
                "default": "__end__",
            },
            {"source": "check", "target": "__end__"},
        ]
    else:
        edges.append({"source": "chat", "target": "__end__"})
    return {"state": state, "nodes": nodes, "edges": edges}


async def test_the_graph_diff_names_nodes_and_edges_and_reviewers_see_it(
    platform: Platform,
) -> None:
    headers = await _developer(platform)
    client = platform.client
    agent = await client.post(
        "/api/v1/developer/agents", json={"name": f"Graph {uuid.uuid4().hex[:6]}"}, headers=headers
    )
    agent_id = agent.json()["id"]
    ids = []
    for number, definition in (
        ("1.0.0", _chat_definition(temperature=0.2, with_check=False)),
        ("2.0.0", _chat_definition(temperature=0.7, with_check=True)),
    ):
        created = await client.post(
            f"/api/v1/developer/agents/{agent_id}/versions",
            json={"version": number, "workflow_definition": definition},
            headers=headers,
        )
        assert created.status_code == 201, created.text
        ids.append(created.json()["id"])

    diff = await client.get(
        f"/api/v1/developer/agents/{agent_id}/versions/{ids[0]}/diff/{ids[1]}", headers=headers
    )
    assert diff.status_code == 200, diff.text
    graph = diff.json()["graph"]
    assert graph["nodes_added"] == ["check"] and graph["nodes_removed"] == []
    assert graph["nodes_changed"] == [
        {
            "name": "chat",
            "changes": [{"op": "changed", "path": "/config/temperature", "old": 0.2, "new": 0.7}],
        }
    ]
    assert {(e["source"], e["target"], e["kind"], e["label"]) for e in graph["edges_added"]} == {
        ("chat", "check", "conditional", "true"),
        ("chat", "__end__", "conditional", ""),
        ("check", "__end__", "normal", ""),
    }
    assert graph["edges_removed"] == [
        {"source": "chat", "target": "__end__", "kind": "normal", "label": ""}
    ]
    assert [c["path"] for c in graph["state_changes"]] == ["/human_input"]

    submitted = await client.post(
        f"/api/v1/developer/agents/{agent_id}/versions/{ids[1]}/submit", headers=headers
    )
    assert submitted.status_code == 200, submitted.text
    domain = platform.seeded.admin_email.split("@", 1)[1]
    reviewer = _auth(await login(client, f"reviewer@{domain}"))
    against = await client.get(f"/api/v1/reviews/versions/{ids[1]}/diff", headers=reviewer)
    assert against.status_code == 200, against.text
    # Nothing is published yet: the whole graph is new to the store.
    body = against.json()
    assert body["from"] is None and body["to"] == "2.0.0"
    assert sorted(body["graph"]["nodes_added"]) == ["chat", "check"]
    user = _auth(await login(client, f"user@{domain}"))
    refused = await client.get(f"/api/v1/reviews/versions/{ids[1]}/diff", headers=user)
    assert refused.status_code == 403


async def test_an_agents_stats_count_its_runs_day_by_day(
    platform: Platform, admin_token: str
) -> None:
    client = platform.client
    headers = _auth(admin_token)
    agent_id = str(platform.seeded.agent_id)
    path = f"/api/v1/developer/agents/{agent_id}/stats?days=7"
    before = (await client.get(path, headers=headers)).json()
    response, frames = await stream_turn(
        client, admin_token, {"agent_id": agent_id, "message": "How are the numbers?"}
    )
    assert response.status_code == 200 and frames[-1]["event"] == "done"
    after = await client.get(path, headers=headers)
    assert after.status_code == 200, after.text
    body = after.json()
    assert len(body["days"]) == 7
    assert body["days"][-1]["day"] == datetime.now(UTC).date().isoformat()
    assert body["runs"] == before["runs"] + 1
    assert body["days"][-1]["runs"] == before["days"][-1]["runs"] + 1
    assert body["users"] >= 1 and body["tokens"] >= before["tokens"]
    domain = platform.seeded.admin_email.split("@", 1)[1]
    stranger = _auth(await login(client, f"developer@{domain}"))
    hidden = await client.get(path, headers=stranger)
    assert hidden.status_code == 404  # another developer's agent is not theirs to read
    bad = await client.get(f"/api/v1/developer/agents/{agent_id}/stats?days=0", headers=headers)
    assert bad.status_code == 422
