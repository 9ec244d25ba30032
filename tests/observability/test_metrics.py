"""/metrics after real runs: run, node, token, HTTP, SSE and human-task series, exact values."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from platform_api.errors import QuotaExceeded, install_error_handlers
from platform_api.observability.middleware import RequestObservability
from platform_core.db import Database
from platform_core.models import WorkflowNodeExecution
from temporal_workflows.contracts import run_workflow_id
from tests.helpers import (
    Platform,
    approval_agent,
    create_agent,
    login,
    serve,
    stream_turn,
)
from tests.observability.graphs import draft_then_review, scripted_model
from tests.observability.promtext import Samples, parse, value

CHAT_ROUTE = "/api/v1/chat/completions"


async def _scrape(client: httpx.AsyncClient) -> Samples:
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return parse(response.text)


async def _node_usage(admin_url: str, execution_id: uuid.UUID) -> dict[str, dict[str, int]]:
    """Prompt and completion tokens each node's (successful) call used, from its record."""
    database = Database(admin_url, connections=2)
    try:
        async with database.system_session() as session:
            rows = (
                await session.execute(
                    select(WorkflowNodeExecution).where(
                        WorkflowNodeExecution.execution_id == execution_id
                    )
                )
            ).scalars()
            return {row.node_name: row.service_calls[0]["usage"] for row in rows}
    finally:
        await database.dispose()


async def test_a_run_shows_up_in_run_node_and_token_series(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    draft_model = scripted_model("a first draft of the answer", failures=1)
    review_model = scripted_model("the reviewed answer")
    agent = f"metrics-agent-{uuid.uuid4().hex[:8]}"
    await create_agent(
        database_urls.admin_url,
        platform.seeded.tenant_id,
        draft_then_review(draft_model, review_model),
        name=agent,
    )
    before = await _scrape(platform.client)

    response, frames = await stream_turn(
        platform.client, admin_token, {"agent": agent, "message": "count me"}
    )
    assert response.status_code == 200, response.text
    assert frames[-1]["event"] == "done" and frames[-1]["data"]["status"] == "completed"
    # `done` commits with the run's records; the finish activity counts the run just after.
    run = run_workflow_id(response.headers["X-Execution-Id"])
    await platform.temporal.get_workflow_handle(run).result()
    after = await _scrape(platform.client)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert value(after, "agentpaas_runs_started_total", agent=agent) == 1
    assert value(after, "agentpaas_runs_finished_total", agent=agent, status="completed") == 1
    assert value(after, "agentpaas_runs_finished_total", agent=agent, status="failed") == 0
    # draft failed once and was retried: three attempts of llm nodes, one retry.
    assert delta("agentpaas_node_executions_total", node_type="llm", outcome="completed") == 2
    assert delta("agentpaas_node_executions_total", node_type="llm", outcome="failed") == 1
    assert delta("agentpaas_node_retries_total", node_type="llm") == 1
    assert delta("agentpaas_node_duration_seconds_count", node_type="llm") == 3

    tenant = str(platform.seeded.tenant_id)
    usage = await _node_usage(
        database_urls.admin_url, uuid.UUID(response.headers["X-Execution-Id"])
    )
    for node, model in (("draft", draft_model), ("review", review_model)):
        for kind in ("prompt", "completion"):
            recorded = usage[node][f"{kind}_tokens"]
            assert recorded > 0
            assert (
                value(after, "agentpaas_llm_tokens_total", tenant=tenant, model=model, kind=kind)
                == recorded
            )
        # The scripted model is free; the series exists all the same.
        cost = ("agentpaas_llm_cost_total", frozenset({"tenant": tenant, "model": model}.items()))
        assert after[cost] == 0

    assert (
        delta("agentpaas_http_requests_total", method="POST", route=CHAT_ROUTE, status="200") == 1
    )
    assert (
        delta("agentpaas_http_request_duration_seconds_count", method="POST", route=CHAT_ROUTE) == 1
    )


async def test_open_streams_and_human_tasks_are_counted_while_a_run_waits(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    agent_id = await create_agent(
        database_urls.admin_url, platform.seeded.tenant_id, approval_agent()
    )
    domain = platform.seeded.admin_email.split("@", 1)[1]
    reviewer = {"Authorization": f"Bearer {await login(platform.client, f'reviewer@{domain}')}"}
    async with (
        serve(platform, database_urls.app_url) as base,
        httpx.AsyncClient(base_url=base, timeout=60) as http,
    ):
        before = await _scrape(http)
        async with http.stream(
            "POST",
            CHAT_ROUTE,
            json={"agent_id": agent_id, "message": "ship it"},
            headers={"Authorization": f"Bearer {admin_token}", "X-Request-ID": "obs-sse-1"},
        ) as response:
            assert response.status_code == 200
            assert response.headers["X-Request-ID"] == "obs-sse-1"
            lines = response.aiter_lines()
            task_id = await _task_id_of_waiting_frame(lines)
            waiting = await _scrape(http)
            assert value(waiting, "agentpaas_sse_streams_active", route=CHAT_ROUTE) == (
                value(before, "agentpaas_sse_streams_active", route=CHAT_ROUTE) + 1
            )
            assert value(waiting, "agentpaas_human_tasks_open") == (
                value(before, "agentpaas_human_tasks_open") + 1
            )
            assert value(waiting, "agentpaas_human_tasks_created_total") == (
                value(before, "agentpaas_human_tasks_created_total") + 1
            )
            completed = await http.post(
                f"/api/v1/reviews/tasks/{task_id}/complete",
                json={"input": {"approved": True}},
                headers=reviewer,
            )
            assert completed.status_code == 200, completed.text
            async for line in lines:
                if line == "event: done":
                    break
        await response.aclose()
        after = await _scrape(http)

    assert value(after, "agentpaas_sse_streams_active", route=CHAT_ROUTE) == value(
        before, "agentpaas_sse_streams_active", route=CHAT_ROUTE
    )
    assert value(after, "agentpaas_human_tasks_open") == value(before, "agentpaas_human_tasks_open")
    completion = "agentpaas_human_task_completion_seconds_count"
    assert value(after, completion, outcome="completed") == (
        value(before, completion, outcome="completed") + 1
    )


async def _task_id_of_waiting_frame(lines: Any) -> str:
    import json

    event = None
    async for line in lines:
        if line.startswith("event: "):
            event = line.removeprefix("event: ")
        elif line.startswith("data: ") and event == "waiting_for_human":
            return str(json.loads(line.removeprefix("data: "))["task_id"])
    raise AssertionError("the stream ended before the run waited for a person")


async def test_quota_rejections_are_counted_by_route_and_problem_type() -> None:
    app = FastAPI()
    install_error_handlers(app)
    app.add_middleware(RequestObservability)

    @app.post("/limited/{item}")
    async def limited(item: str) -> None:
        raise QuotaExceeded("the monthly token quota is used up")

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as client:
        before = _scrape_registry()
        response = await client.post(f"/limited/{uuid.uuid4()}")
        missing = await client.get("/no/such/route")
    after = _scrape_registry()
    assert response.status_code == 429
    assert response.json()["type"].endswith("/quota-exceeded")
    rejected = (
        "agentpaas_http_rejections_total",
        {"route": "/limited/{item}", "reason": "quota-exceeded"},
    )
    assert value(after, rejected[0], **rejected[1]) == value(before, rejected[0], **rejected[1]) + 1
    assert missing.status_code == 404
    # Unknown paths share one label value: scanners cannot grow the series.
    assert (
        value(
            after, "agentpaas_http_requests_total", method="GET", route="<unmatched>", status="404"
        )
        >= 1
    )


def _scrape_registry() -> Samples:
    from prometheus_client import REGISTRY, generate_latest

    return parse(generate_latest(REGISTRY).decode())
