"""The agent version's own graph for a run and for a chat: its shape from the compiled
plan, who may read it, and another tenant's ids → 404."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import SecretStr

from agentpaas.seed import seed_demo_tenant
from node_types.compiler import compile_plan
from platform_api.run_graph.service import graph_of_version
from platform_core.db import Database
from platform_core.models import AgentVersion
from tests.helpers import Platform, create_agent, login, stream_turn


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def triage_definition() -> dict[str, Any]:
    """Classify, branch on the kind, fan out (over three items, or to two nodes); no LLM."""
    return {
        "name": "triage",
        "state": {
            "messages": {"reducer": "add_messages"},
            "kind": {"type": "string"},
            "items": {"type": "array"},
            "results": {"reducer": "append"},
            "outcome": {"type": "string"},
        },
        "nodes": [
            {
                "name": "classify",
                "type": "transform",
                "description": "Sort the request",
                "position": {"x": 10, "y": 20},
                "config": {"assign": {"kind": "'billing'", "items": "['a', 'b', 'c']"}},
            },
            {"name": "billing", "type": "transform", "config": {"assign": {"outcome": "'b'"}}},
            {"name": "other", "type": "transform", "config": {"assign": {"outcome": "'o'"}}},
            {"name": "worker", "type": "transform", "config": {"assign": {"results": "[item]"}}},
            {"name": "note", "type": "transform", "config": {"assign": {"results": "['n']"}}},
        ],
        "edges": [
            {"source": "__start__", "target": "classify"},
            {
                "type": "conditional",
                "source": "classify",
                "condition": "kind",
                "mapping": {"billing": "billing", "refund": "billing", "other": "other"},
                "default": "other",
            },
            {"type": "fanout", "source": "billing", "target": "worker", "over": "items"},
            {"type": "fanout", "source": "other", "targets": ["note", "worker"]},
            {"source": "note", "target": "__end__"},
            {"source": "worker", "target": "__end__"},
        ],
        "output": "outcome",
    }


def test_the_graph_is_the_compiled_plans_nodes_and_edges() -> None:
    plan = compile_plan(triage_definition())
    version = AgentVersion(
        id=uuid.uuid4(),
        tenant_id=uuid.uuid4(),
        agent_id=uuid.uuid4(),
        version="2.1.0",
        workflow_definition=triage_definition(),
        execution_plan=plan.model_dump(mode="json"),
        plan_hash=plan.plan_hash,
    )
    graph = graph_of_version(version)
    assert (graph.version, graph.plan_hash, graph.name) == ("2.1.0", plan.plan_hash, "triage")
    assert (graph.start, graph.end) == ("__start__", "__end__")
    assert [(n.id, n.role, n.type) for n in graph.nodes] == [
        ("__start__", "start", "start"),
        ("classify", "node", "transform"),
        ("billing", "node", "transform"),
        ("other", "node", "transform"),
        ("worker", "node", "transform"),
        ("note", "node", "transform"),
        ("__end__", "end", "end"),
    ]
    classify = graph.nodes[1]
    assert classify.description == "Sort the request"
    assert classify.execution == "inline"
    assert classify.position is not None and (classify.position.x, classify.position.y) == (10, 20)
    assert graph.nodes[2].position is None
    edges = {e.id: e for e in graph.edges}
    assert list(edges) == [
        "0:__start__->classify",
        "1:classify->billing",
        "1:classify->other",
        "2:billing->worker",
        "3:other->note",
        "3:other->worker",
        "4:note->__end__",
        "5:worker->__end__",
    ]
    assert edges["0:__start__->classify"].kind == "normal"
    # One drawn edge per target of the conditional, with every outcome leading there.
    to_billing, to_other = edges["1:classify->billing"], edges["1:classify->other"]
    assert (to_billing.kind, to_billing.condition, to_billing.group) == ("conditional", "kind", 1)
    assert (to_billing.outcomes, to_billing.is_default) == (["billing", "refund"], False)
    assert (to_other.outcomes, to_other.is_default) == (["other"], True)
    dynamic = edges["2:billing->worker"].fan_out
    assert dynamic is not None and (dynamic.dynamic, dynamic.over, dynamic.item_key) == (
        True,
        "items",
        "item",
    )
    static = edges["3:other->worker"].fan_out
    assert static is not None and (static.dynamic, static.over, static.targets) == (False, None, 2)
    assert edges["4:note->__end__"].fan_out is None


async def _other_tenant_token(platform: Platform, admin_url: str) -> str:
    settings = platform.settings.model_copy(
        update={
            "demo_tenant": f"graph-{uuid.uuid4().hex[:6]}",
            "demo_admin_email": f"admin@graph{uuid.uuid4().hex[:4]}.agentpaas.dev",
            "demo_admin_password": SecretStr("demo-password-123"),
        }
    )
    database = Database(admin_url, connections=2)
    async with database.system_session() as session:
        await seed_demo_tenant(session, settings)
    await database.dispose()
    return await login(platform.client, settings.demo_admin_email)


async def test_a_run_and_its_chat_read_their_versions_graph(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    client = platform.client
    agent_id = await create_agent(
        database_urls.admin_url, platform.seeded.tenant_id, triage_definition()
    )
    response, frames = await stream_turn(
        client, admin_token, {"agent_id": agent_id, "message": "my invoice"}
    )
    assert response.status_code == 200, response.text
    assert frames[-1]["event"] == "done"
    chat_id, execution_id = response.headers["X-Chat-Id"], response.headers["X-Execution-Id"]

    by_run = await client.get(
        f"/api/v1/executions/{execution_id}/graph", headers=_auth(admin_token)
    )
    assert by_run.status_code == 200, by_run.text
    body = by_run.json()
    assert body["agent_id"] == agent_id and body["version"] == "1.0.0"
    assert [n["id"] for n in body["nodes"]] == [
        "__start__",
        "classify",
        "billing",
        "other",
        "worker",
        "note",
        "__end__",
    ]
    assert body["nodes"][1]["position"] == {"x": 10.0, "y": 20.0}
    kinds = {e["id"]: e["kind"] for e in body["edges"]}
    assert kinds["1:classify->billing"] == "conditional"
    assert kinds["2:billing->worker"] == "fan_out"
    # The run's record names the same nodes the graph draws (×3 for the fan-out).
    detail = (
        await client.get(f"/api/v1/executions/{execution_id}", headers=_auth(admin_token))
    ).json()
    ran = sorted(n["node_name"] for n in detail["nodes"])
    assert ran == ["billing", "classify", "worker", "worker", "worker"]

    by_chat = await client.get(f"/api/v1/chats/{chat_id}/graph", headers=_auth(admin_token))
    assert by_chat.status_code == 200, by_chat.text
    assert by_chat.json() == body

    # A plain user of the same tenant reads neither someone else's run nor their chat.
    domain = platform.seeded.admin_email.split("@", 1)[1]
    user = _auth(await login(client, f"user@{domain}"))
    assert (
        await client.get(f"/api/v1/executions/{execution_id}/graph", headers=user)
    ).status_code == 404
    assert (await client.get(f"/api/v1/chats/{chat_id}/graph", headers=user)).status_code == 404

    # Another tenant's admin gets 404 for both, never the graph.
    other = _auth(await _other_tenant_token(platform, database_urls.admin_url))
    for path in (f"/api/v1/executions/{execution_id}/graph", f"/api/v1/chats/{chat_id}/graph"):
        refused = await client.get(path, headers=other)
        assert refused.status_code == 404, path
        assert "classify" not in refused.text
    unknown = await client.get(
        f"/api/v1/executions/{uuid.uuid4()}/graph", headers=_auth(admin_token)
    )
    assert unknown.status_code == 404
