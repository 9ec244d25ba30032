"""The replay check: a candidate version run on the published version's recorded
conversations, replaying the calls that are the same and reporting what changed."""

from __future__ import annotations

import copy
import json
import uuid
from collections import Counter
from typing import Any

from temporalio.worker import Replayer

from activities.scripted_llm import ScriptedReply, register_script
from agentpaas.worker import workflow_runner
from temporal_workflows.agent_run import AgentRunWorkflow
from temporal_workflows.contracts import replay_check_workflow_id, run_workflow_id
from temporal_workflows.replay_check import ReplayCheckWorkflow
from tests.helpers import Platform, create_agent, parse_sse, stream_turn

CALLS: Counter[str] = Counter()
CONVERSATIONS = {
    "Please refund my last invoice": "billing",
    "The app shows an error on start": "technical",
    "Hello there": "general",
}


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _models(tag: str) -> dict[str, str]:
    def classify(messages: list[dict[str, Any]], params: dict[str, Any]) -> ScriptedReply:
        CALLS[f"classify-{tag}"] += 1
        text = str(messages[-1]["content"])
        category = next((c for m, c in CONVERSATIONS.items() if m == text), "general")
        return ScriptedReply(text=json.dumps({"category": category, "reason": "scripted"}))

    def answering(name: str) -> Any:
        def script(messages: list[dict[str, Any]], params: dict[str, Any]) -> ScriptedReply:
            CALLS[f"{name}-{tag}"] += 1
            return ScriptedReply(text=f"{name} desk: {messages[-1]['content']}")

        return script

    names = {"classify": classify} | {n: answering(n) for n in ("billing", "technical", "general")}
    for name, script in names.items():
        register_script(f"{name}-{tag}", script)
    return {name: f"scripted/{name}-{tag}" for name in names}


def _triage(models: dict[str, str], billing_when: str) -> dict[str, Any]:
    desks = ["billing", "technical", "general"]
    return {
        "state": {
            "messages": {"reducer": "add_messages"},
            "triage": {"type": "object"},
            "category": {"type": "string"},
        },
        "nodes": [
            {
                "name": "classify",
                "type": "llm",
                "config": {
                    "model": models["classify"],
                    "append_to_messages": False,
                    "output_key": "triage",
                    "json_schema": {
                        "type": "object",
                        "required": ["category"],
                        "properties": {"category": {"enum": desks}},
                    },
                },
            },
            {
                "name": "triage_router",
                "type": "router",
                "config": {
                    "cases": [
                        {"when": billing_when, "route": "billing"},
                        {"when": "triage.category == 'technical'", "route": "technical"},
                    ],
                    "default": "general",
                    "output_key": "category",
                },
            },
            *({"name": d, "type": "llm", "config": {"model": models[d]}} for d in desks),
        ],
        "edges": [
            {"source": "__start__", "target": "classify"},
            {"source": "classify", "target": "triage_router"},
            {
                "type": "conditional",
                "source": "triage_router",
                "condition": "category",
                "mapping": {d: d for d in desks},
                "default": "general",
            },
            *({"source": d, "target": "__end__"} for d in desks),
        ],
    }


async def _check(platform: Platform, token: str, version_id: str, unmatched: str) -> Any:
    started = await platform.client.post(
        f"/api/v1/developer/versions/{version_id}/replay-checks",
        json={"conversations": 20, "unmatched": unmatched},
        headers=_auth(token),
    )
    assert started.status_code == 202, started.text
    check_id = started.json()["id"]
    events = await platform.client.get(
        f"/api/v1/developer/replay-checks/{check_id}/events", headers=_auth(token), timeout=120
    )
    frames = parse_sse(events.text)
    assert [f["event"] for f in frames] == ["replay_progress"] * 3 + ["done"]
    report = await platform.client.get(
        f"/api/v1/developer/replay-checks/{check_id}", headers=_auth(token)
    )
    assert report.status_code == 200, report.text
    return report.json()


async def test_a_changed_router_condition_changes_only_the_paths_through_it(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    tag = uuid.uuid4().hex[:6]
    models = _models(tag)
    baseline = _triage(models, "triage.category == 'billing'")
    agent_id = await create_agent(database_urls.admin_url, platform.seeded.tenant_id, baseline)
    for message in CONVERSATIONS:  # the published version's real conversations
        _, frames = await stream_turn(
            platform.client, admin_token, {"agent_id": agent_id, "message": message}
        )
        assert frames[-1]["data"]["status"] == "completed"  # type: ignore[index]
    recorded_calls = dict(CALLS)

    # The candidate sends what the classifier calls billing nowhere special any more.
    candidate = copy.deepcopy(baseline)
    candidate["nodes"][1]["config"]["cases"][0]["when"] = "triage.category == 'refunds'"
    created = await platform.client.post(
        f"/api/v1/developer/agents/{agent_id}/versions",
        json={"version": "2.0.0", "workflow_definition": candidate},
        headers=_auth(admin_token),
    )
    assert created.status_code == 201, created.text
    version_id = created.json()["id"]

    report = await _check(platform, admin_token, version_id, "live")
    assert report["status"] == "completed"
    verdicts = {c["recorded_answer"]: c for c in report["report"]}
    refund = verdicts["billing desk: Please refund my last invoice"]
    assert refund["verdict"] == "different_path"
    assert refund["recorded_path"] == ["classify", "triage_router", "billing"]
    assert refund["path"] == ["classify", "triage_router", "general"]
    assert refund["answer"] == "general desk: Please refund my last invoice"
    assert "-billing desk" in refund["answer_diff"] and "+general desk" in refund["answer_diff"]
    for answer in ("technical desk: The app shows an error on start", "general desk: Hello there"):
        assert verdicts[answer]["verdict"] == "same", verdicts[answer]
    assert report["summary"] == {"conversations": 3, "same": 2, "different_path": 1}
    # Same calls replayed: the classifier and the unchanged desks were not called again;
    # only the general desk, live, for the conversation that now reaches it.
    assert {k: v - recorded_calls.get(k, 0) for k, v in CALLS.items() if tag in k} == {
        f"classify-{tag}": 0,
        f"billing-{tag}": 0,
        f"technical-{tag}": 0,
        f"general-{tag}": 1,
    }

    # Refusing unrecorded calls: that conversation stops where no recording matches.
    refused = await _check(platform, admin_token, version_id, "refuse")
    stopped = next(c for c in refused["report"] if c["verdict"] != "same")
    assert stopped["status"] == "failed" and "no recorded call matches" in stopped["error"]
    assert CALLS[f"general-{tag}"] - recorded_calls[f"general-{tag}"] == 1  # no new call

    listed = await platform.client.get(
        f"/api/v1/reviews/versions/{version_id}/replay-checks", headers=_auth(admin_token)
    )
    assert [c["id"] for c in listed.json()] == [refused["id"], report["id"]]

    # The check's workflow and a child run of it replay deterministically.
    for workflow_id, workflow_class in (
        (replay_check_workflow_id(report["id"]), ReplayCheckWorkflow),
        (run_workflow_id(report["report"][0]["execution_id"]), AgentRunWorkflow),
    ):
        history = await platform.temporal.get_workflow_handle(workflow_id).fetch_history()
        replayed = await Replayer(
            workflows=[workflow_class], workflow_runner=workflow_runner()
        ).replay_workflow(history)
        assert replayed.replay_failure is None, workflow_id


async def _require_checks(admin_url: str, tenant_id: object, required: bool) -> None:
    import asyncpg

    connection = await asyncpg.connect(admin_url)
    try:
        await connection.execute(
            "UPDATE tenants SET settings = jsonb_set(settings, '{require_replay_check}', $1::jsonb)"
            " WHERE id = $2",
            json.dumps(required),
            tenant_id,
        )
    finally:
        await connection.close()


async def test_a_tenant_can_require_a_finished_check_before_approval(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    tag = uuid.uuid4().hex[:6]
    models = _models(tag)
    baseline = _triage(models, "triage.category == 'billing'")
    agent_id = await create_agent(database_urls.admin_url, platform.seeded.tenant_id, baseline)
    for message in CONVERSATIONS:
        await stream_turn(platform.client, admin_token, {"agent_id": agent_id, "message": message})

    async def submitted(version: str) -> str:
        created = await platform.client.post(
            f"/api/v1/developer/agents/{agent_id}/versions",
            json={"version": version, "workflow_definition": baseline},
            headers=_auth(admin_token),
        )
        version_id = str(created.json()["id"])
        submit = await platform.client.post(
            f"/api/v1/developer/agents/{agent_id}/versions/{version_id}/submit",
            json={},
            headers=_auth(admin_token),
        )
        assert submit.status_code == 200, submit.text
        return version_id

    unchecked, checked = await submitted("2.0.0"), await submitted("3.0.0")
    await _require_checks(database_urls.admin_url, platform.seeded.tenant_id, True)
    try:
        refused = await platform.client.post(
            f"/api/v1/reviews/versions/{unchecked}/approve", json={}, headers=_auth(admin_token)
        )
        assert refused.status_code == 409, refused.text
        assert "replay check" in refused.json()["detail"]
        report = await _check(platform, admin_token, checked, "live")
        assert report["summary"] == {"conversations": 3, "same": 3}
        approved = await platform.client.post(
            f"/api/v1/reviews/versions/{checked}/approve", json={}, headers=_auth(admin_token)
        )
        assert approved.status_code == 200, approved.text
    finally:
        await _require_checks(database_urls.admin_url, platform.seeded.tenant_id, False)
