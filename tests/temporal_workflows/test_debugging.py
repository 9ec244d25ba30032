"""Debugging a run through the API: breakpoints before and after nodes pause it durably;
its developer reads and edits the whole state, steps one superstep, and continues."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from temporalio.worker import Replayer

from activities.scripted_llm import ScriptedReply, register_script
from agentpaas.worker import workflow_runner
from temporal_workflows.agent_run import AgentRunWorkflow
from temporal_workflows.contracts import run_workflow_id
from tests.helpers import Platform, create_agent, login, stream_turn

SEEN: dict[str, list[str]] = {}


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _seeing(name: str) -> str:
    """A scripted model that notes the last message it was given."""

    def script(messages: list[dict[str, Any]], params: dict[str, Any]) -> ScriptedReply:
        SEEN.setdefault(name, []).append(str(messages[-1]["content"]))
        return ScriptedReply(text=f"{name} answers")

    register_script(name, script)
    return f"scripted/{name}"


def _chain(tag: str) -> dict[str, Any]:
    names = ["first", "second", "third"]
    return {
        "state": {
            "messages": {"reducer": "add_messages"},
            "attempts": {"type": "integer", "default": 0},
        },
        "nodes": [
            {"name": n, "type": "llm", "config": {"model": _seeing(f"{n}-{tag}")}} for n in names
        ],
        "edges": [
            {"source": "__start__", "target": "first"},
            {"source": "first", "target": "second"},
            {"source": "second", "target": "third"},
            {"source": "third", "target": "__end__"},
        ],
    }


async def test_a_developer_pauses_edits_steps_and_continues_a_run(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    tag = uuid.uuid4().hex[:6]
    agent_id = await create_agent(database_urls.admin_url, platform.seeded.tenant_id, _chain(tag))
    headers = _auth(admin_token)
    turn = asyncio.create_task(
        stream_turn(
            platform.client,
            admin_token,
            {
                "agent_id": agent_id,
                "message": "debug me",
                "breakpoints": {"before": ["second"], "after": ["third"]},
            },
        )
    )

    async def view(execution_id: str, until: Any) -> dict[str, Any]:
        for _ in range(150):
            response = await platform.client.get(
                f"/api/v1/executions/{execution_id}/debug", headers=headers
            )
            if response.status_code == 200 and until(response.json()):
                return dict(response.json())
            await asyncio.sleep(0.1)
        raise AssertionError(f"the run never reached the expected point: {response.text}")

    execution_id = await _running_execution(platform, admin_token, agent_id)
    paused = await view(execution_id, lambda v: v["paused"])
    assert paused["breakpoint"] == {
        "step": 1,
        "before": ["second"],
        "after": [],
        "next": ["second"],
    }
    assert [m["content"] for m in paused["state"]["messages"]] == [
        "debug me",
        f"first-{tag} answers",
    ]
    assert f"second-{tag}" not in SEEN  # it has not run: the run waits before it

    state_url = f"/api/v1/executions/{execution_id}/state"
    refused = await platform.client.put(
        state_url, json={"state": {"nope": 1, "attempts": "many"}}, headers=headers
    )
    assert refused.status_code == 422, refused.text
    assert sorted(e["path"] for e in refused.json()["errors"]) == [
        "/body/state/attempts",
        "/body/state/nope",
    ]
    edited = await platform.client.put(
        state_url,
        json={"state": {"messages": [{"role": "user", "content": "edited"}], "attempts": 2}},
        headers=headers,
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["state"]["attempts"] == 2

    stepped = await platform.client.post(f"/api/v1/executions/{execution_id}/step", headers=headers)
    assert stepped.status_code == 202
    at_third = await view(execution_id, lambda v: v["paused"] and v["step"] == 2)
    assert at_third["breakpoint"]["next"] == ["third"]
    assert SEEN[f"second-{tag}"] == ["edited"]  # the step saw the edited state
    assert f"third-{tag}" not in SEEN

    await platform.client.post(f"/api/v1/executions/{execution_id}/resume", headers=headers)
    after_last = await view(execution_id, lambda v: v["paused"] and v["step"] == 3)
    assert after_last["breakpoint"]["after"] == ["third"] and after_last["breakpoint"]["next"] == []
    await platform.client.post(f"/api/v1/executions/{execution_id}/resume", headers=headers)
    response, frames = await turn
    assert frames[-1]["data"]["status"] == "completed"  # type: ignore[index]
    assert frames[-1]["data"]["answer"] == f"third-{tag} answers"  # type: ignore[index]
    paused_events = [f for f in frames if f["event"] == "paused"]
    assert [f["data"]["breakpoint"]["step"] for f in paused_events] == [1, 2, 3]  # type: ignore[index]

    ended = await platform.client.put(state_url, json={"state": {"attempts": 3}}, headers=headers)
    assert ended.status_code == 409

    # Paused, edited, stepped and continued: the run's history replays deterministically.
    history = await platform.temporal.get_workflow_handle(
        run_workflow_id(execution_id)
    ).fetch_history()
    replayed = await Replayer(
        workflows=[AgentRunWorkflow], workflow_runner=workflow_runner()
    ).replay_workflow(history)
    assert replayed.replay_failure is None


async def test_breakpoints_need_a_developer_and_real_nodes(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    tag = uuid.uuid4().hex[:6]
    agent_id = await create_agent(database_urls.admin_url, platform.seeded.tenant_id, _chain(tag))
    unknown = await platform.client.post(
        "/api/v1/chat/completions",
        json={"agent_id": agent_id, "message": "hi", "breakpoints": {"before": ["fourth"]}},
        headers=_auth(admin_token),
    )
    assert unknown.status_code == 422, unknown.text
    assert unknown.json()["errors"][0]["path"] == "/body/breakpoints/before/0"

    domain = platform.seeded.admin_email.split("@", 1)[1]
    user = await login(platform.client, f"user@{domain}")
    refused = await platform.client.post(
        "/api/v1/chat/completions",
        json={"agent_id": agent_id, "message": "hi", "breakpoints": {"after": ["first"]}},
        headers=_auth(user),
    )
    assert refused.status_code == 403, refused.text
    assert f"first-{tag}" not in SEEN  # nothing ran


async def _running_execution(platform: Platform, token: str, agent_id: str) -> str:
    for _ in range(100):
        listed = await platform.client.get(
            "/api/v1/executions", params={"agent_id": agent_id}, headers=_auth(token)
        )
        items = listed.json()["items"]
        if items:
            return str(items[0]["execution_id"])
        await asyncio.sleep(0.1)
    raise AssertionError("the run never started")
