"""LLM nodes against a real local OpenAI-compatible HTTP server, through the whole platform.

Chat turns go through the API; the run's ``llm`` node resolves its bound ServiceConfig,
opens the SM4-sealed key at call time and calls the server through litellm. The server
is a real endpoint on a free port (tests/openai_server.py) that counts its calls.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.litellm_setup import litellm
from activities.llm import LlmNodeActivities
from activities.llm_targets import LlmTargets
from activities.records import NodeRecorder
from activities.token_quota import TokenQuota
from agentpaas.runtime.postgres import DatabaseUrls
from platform_core.crypto import key_ring_from_settings
from platform_core.models import (
    ChatMessage,
    ServiceConfig,
    TenantQuota,
    TenantTokenUsage,
    TokenReservation,
    WorkflowExecution,
    WorkflowNodeExecution,
)
from platform_core.outbound import OutboundPolicy
from temporal_workflows.contracts import NodeActivityInput
from tests.helpers import Platform, fake_dns, parse_sse, serve, stream_turn
from tests.llm_helpers import TenantAdmin, add_service, bind_agent, create_tenant, llm_agent
from tests.openai_server import PROMPT_TOKENS, OpenAICompatibleServer, openai_compatible_server

API_KEY = "sk-local-" + uuid.uuid4().hex
WRONG_KEY = "sk-wrong-" + uuid.uuid4().hex
SEARCH_TOOL = {
    "name": "search",
    "description": "Search the web.",
    "parameters": {"type": "object", "properties": {"query": {"type": "string"}}},
}


@pytest.fixture(scope="module")
def server() -> Iterator[OpenAICompatibleServer]:
    """One local provider for the module, requiring API_KEY."""
    with openai_compatible_server(API_KEY) as running:
        yield running


@pytest.fixture(scope="module")
async def tenant(platform: Platform, database_urls: DatabaseUrls) -> AsyncIterator[TenantAdmin]:
    """A tenant of this module's own (its default config must not reach other tests)."""
    yield await create_tenant(platform, database_urls.admin_url)


async def _node(platform: Platform, tenant: TenantAdmin, execution_id: str) -> Any:
    async with platform.db.tenant_session(tenant.tenant_id) as session:
        return (
            (
                await session.execute(
                    select(WorkflowNodeExecution).where(
                        WorkflowNodeExecution.execution_id == uuid.UUID(execution_id)  # type: ignore[arg-type]
                    )
                )
            )
            .scalars()
            .one()
        )


def _llm_input(tenant: TenantAdmin, config_id: int) -> NodeActivityInput:
    """An llm node's activity input bound to one service config of `tenant`."""
    return NodeActivityInput(
        tenant_id=str(tenant.tenant_id),
        execution_id=str(uuid.uuid4()),
        workflow_id="exec-test",
        node_name="answer",
        node_type="llm",
        config={},
        node_input={},
        step=1,
        task_id="t",
        services={"llm_service": config_id},
    )


async def _local_agent(
    platform: Platform,
    database_urls: DatabaseUrls,
    server: OpenAICompatibleServer,
    tenant: TenantAdmin,
    **agent_options: Any,
) -> str:
    """An agent of `tenant` whose llm node is bound to a new config on the local server."""
    config_id = await add_service(
        platform.client, tenant, base_url=server.base_url, api_key=API_KEY
    )
    return await bind_agent(
        database_urls.admin_url,
        tenant.tenant_id,
        llm_agent(**agent_options),
        service_dependencies={"answer": {"llm_service": config_id}},
    )


async def _an_execution(
    platform: Platform,
    database_urls: DatabaseUrls,
    server: OpenAICompatibleServer,
    tenant: TenantAdmin,
) -> str:
    """A finished run of `tenant` against the local server, for node tasks to record under."""
    agent_id = await _local_agent(
        platform, database_urls, server, tenant, max_attempts=3, max_tokens=20
    )
    response, _ = await stream_turn(
        platform.client, tenant.token, {"agent_id": agent_id, "message": "a run to hang on"}
    )
    return response.headers["X-Execution-Id"]


async def test_deltas_reach_sse_clients_while_the_model_is_still_generating(
    platform: Platform,
    database_urls: DatabaseUrls,
    server: OpenAICompatibleServer,
    tenant: TenantAdmin,
) -> None:
    agent_id = await _local_agent(platform, database_urls, server, tenant)
    server.hold()
    seen: list[str] = []
    async with (
        serve(platform, database_urls.app_url) as base,
        httpx.AsyncClient(base_url=base, timeout=60) as http,
    ):
        async with http.stream(
            "POST",
            "/api/v1/chat/completions",
            json={"agent_id": agent_id, "message": "tell me a long story"},
            headers=tenant.headers,
        ) as response:
            assert response.status_code == 200
            body = ""
            async for text in response.aiter_text():
                body += text
                if "event: message" in body and not seen:
                    # The first delta is here while the server still holds the rest.
                    assert server.first_chunk_sent.is_set()
                    seen.append(body)
                    server.release()
    frames = parse_sse(body)
    deltas = [f["data"]["content"] for f in frames if f["event"] == "message"]  # type: ignore[index]
    assert seen and len(deltas) >= 2
    assert "".join(str(d) for d in deltas) == "Local server says: tell me a long story"
    assert frames[-1]["data"]["status"] == "completed"  # type: ignore[index]


async def test_tool_calls_and_usage_are_accounted_per_node_message_and_month(
    platform: Platform,
    database_urls: DatabaseUrls,
    server: OpenAICompatibleServer,
    tenant: TenantAdmin,
) -> None:
    config_id = await add_service(
        platform.client, tenant, base_url=server.base_url, api_key=API_KEY
    )
    tool_agent = await bind_agent(
        database_urls.admin_url,
        tenant.tenant_id,
        llm_agent(tools=[SEARCH_TOOL], max_tokens=64),
        service_dependencies={"answer": {"llm_service": config_id}},
        model_params_override={"temperature": 0.1},
    )
    async with platform.db.tenant_session(tenant.tenant_id) as session:
        before = await session.get(TenantQuota, tenant.tenant_id)
        assert before is not None
        tokens_before = before.current_month_tokens
    calls_before = server.calls

    response, frames = await stream_turn(
        platform.client, tenant.token, {"agent_id": tool_agent, "message": "find durable agents"}
    )
    assert response.status_code == 200, response.text
    assert frames[-1]["data"]["status"] == "completed"  # type: ignore[index]
    assert server.calls == calls_before + 1
    sent = server.requests[-1]
    assert server.authorizations[-1] == f"Bearer {API_KEY}"
    assert sent["model"] == "gpt-4o-mini" and sent["stream"] is True
    assert sent["max_tokens"] == 64 and sent["temperature"] == 0.1
    assert sent["tools"][0]["function"]["name"] == "search"

    execution_id = response.headers["X-Execution-Id"]
    node = await _node(platform, tenant, execution_id)
    reply = node.output_state["messages"][0]
    assert reply["tool_calls"][0]["function"]["name"] == "search"
    assert json.loads(reply["tool_calls"][0]["function"]["arguments"]) == {
        "query": "find durable agents"
    }
    used = PROMPT_TOKENS + 64
    prompt_cost, completion_cost = litellm.cost_per_token(
        model="openai/gpt-4o-mini", prompt_tokens=PROMPT_TOKENS, completion_tokens=64
    )
    cost = (Decimal(str(prompt_cost)) + Decimal(str(completion_cost))).quantize(Decimal("1e-6"))
    assert cost > 0  # gpt-4o-mini is in litellm's cost map
    assert node.tokens_consumed == used
    assert node.cost_estimate == cost
    assert node.service_calls[0]["usage"]["prompt_tokens"] == PROMPT_TOKENS
    assert node.service_calls[0]["config_id"] == config_id

    async with platform.db.tenant_session(tenant.tenant_id) as session:
        execution = await session.get(WorkflowExecution, uuid.UUID(execution_id))
        message = (
            (
                await session.execute(
                    select(ChatMessage).where(
                        ChatMessage.workflow_execution_id == uuid.UUID(execution_id),  # type: ignore[arg-type]
                        ChatMessage.role == "assistant",  # type: ignore[arg-type]
                    )
                )
            )
            .scalars()
            .one()
        )
        quota = await session.get(TenantQuota, tenant.tenant_id)
        month = datetime.now(UTC).date().replace(day=1)
        usage = await session.get(TenantTokenUsage, (tenant.tenant_id, month))
        reservation = (
            (
                await session.execute(
                    select(TokenReservation).where(
                        TokenReservation.execution_id == uuid.UUID(execution_id)  # type: ignore[arg-type]
                    )
                )
            )
            .scalars()
            .one()
        )
    assert execution is not None and execution.tokens_consumed == used
    assert message.tokens_used == used
    assert quota is not None and quota.current_month_tokens == tokens_before + used
    assert quota.reserved_tokens == 0 and quota.reset_date == month
    assert usage is not None and usage.calls >= 1 and usage.total_tokens >= used
    assert reservation.status == "settled" and reservation.used_tokens == used
    assert reservation.reserved_tokens >= used  # prompt estimate + max_tokens


async def test_json_output_defaults_and_parameter_precedence(
    platform: Platform,
    database_urls: DatabaseUrls,
    server: OpenAICompatibleServer,
    tenant: TenantAdmin,
) -> None:
    # The tenant's default config serves nodes that name no model; its presets yield to
    # the node's explicit settings and to the version's override.
    await add_service(
        platform.client,
        tenant,
        base_url=server.base_url,
        api_key=API_KEY,
        model="gpt-4o",
        is_default=True,
        params={"temperature": 0.3, "top_p": 0.5, "seed": 7},
        limits={"max_output_tokens": 128},
    )
    agent_id = await bind_agent(
        database_urls.admin_url,
        tenant.tenant_id,
        llm_agent(
            json_schema={"type": "object", "properties": {"answer": {"type": "string"}}},
            output_key="result",
        ),
        model_params_override={"top_p": 0.9},
    )
    response, frames = await stream_turn(
        platform.client, tenant.token, {"agent_id": agent_id, "message": "json please"}
    )
    assert response.status_code == 200, response.text
    done = frames[-1]["data"]
    assert done["status"] == "completed"  # type: ignore[index]
    assert json.loads(done["answer"]) == {"answer": "json please"}  # type: ignore[index]
    sent = server.requests[-1]
    assert sent["model"] == "gpt-4o"
    assert (sent["temperature"], sent["top_p"], sent["seed"]) == (0.3, 0.9, 7)
    assert sent["max_tokens"] == 128
    assert sent["response_format"]["type"] == "json_schema"

    # A node naming an offline scripted model is not bound to the default config.
    calls = server.calls
    scripted = await bind_agent(
        database_urls.admin_url, tenant.tenant_id, llm_agent(model="scripted/echo")
    )
    response, frames = await stream_turn(
        platform.client, tenant.token, {"agent_id": scripted, "message": "offline"}
    )
    assert frames[-1]["data"]["status"] == "completed"  # type: ignore[index]
    assert "offline scripted model" in str(frames[-1]["data"]["answer"])  # type: ignore[index]
    assert server.calls == calls


async def test_rate_limits_are_retried_with_a_reset_and_charged_once(
    platform: Platform,
    database_urls: DatabaseUrls,
    server: OpenAICompatibleServer,
    tenant: TenantAdmin,
) -> None:
    agent_id = await _local_agent(
        platform, database_urls, server, tenant, max_attempts=3, max_tokens=20
    )
    calls = server.calls
    server.fail_next(429)
    response, frames = await stream_turn(
        platform.client, tenant.token, {"agent_id": agent_id, "message": "after a 429"}
    )
    assert frames[-1]["data"]["status"] == "completed"  # type: ignore[index]
    assert server.calls == calls + 2
    events = [f["event"] for f in frames]
    assert events.index("retrying") < events.index("reset") < events.index("message")
    deltas = "".join(
        str(f["data"]["content"])  # type: ignore[index]
        for f in frames[events.index("reset") :]
        if f["event"] == "message"
    )
    assert deltas == "Local server says: after a 429"
    execution_id = uuid.UUID(response.headers["X-Execution-Id"])
    async with platform.db.tenant_session(tenant.tenant_id) as session:
        holds = (
            (
                await session.execute(
                    select(TokenReservation)
                    .where(TokenReservation.execution_id == execution_id)  # type: ignore[arg-type]
                    .order_by(TokenReservation.attempt)  # type: ignore[arg-type]
                )
            )
            .scalars()
            .all()
        )
    assert [(h.attempt, h.status, h.used_tokens) for h in holds] == [
        (1, "released", 0),
        (2, "settled", PROMPT_TOKENS + 20),
    ]
    node = await _node(platform, tenant, str(execution_id))
    assert node.retry_count == 1 and node.tokens_consumed == PROMPT_TOKENS + 20

    # A provider that keeps failing with 5xx exhausts the node's attempts: failed run.
    server.fail_next(500, times=3)
    calls = server.calls
    response, frames = await stream_turn(
        platform.client, tenant.token, {"agent_id": agent_id, "message": "down"}
    )
    assert frames[-1]["data"]["status"] == "failed"  # type: ignore[index]
    assert server.calls == calls + 3


async def test_a_slow_first_token_is_kept_alive_by_heartbeats(
    platform: Platform, database_urls: DatabaseUrls, tenant: TenantAdmin
) -> None:
    # The provider thinks for 3 s; the node's heartbeat timeout is 1 s. Only heartbeats
    # sent while waiting keep the attempt alive: otherwise Temporal times it out and
    # the retry makes a second call.
    with openai_compatible_server(API_KEY, seconds_to_first_chunk=3.0) as slow:
        config_id = await add_service(
            platform.client, tenant, base_url=slow.base_url, api_key=API_KEY
        )
        definition = llm_agent(max_attempts=2)
        definition["nodes"][0]["timeouts"] = {"heartbeat_seconds": 1}
        agent_id = await bind_agent(
            database_urls.admin_url,
            tenant.tenant_id,
            definition,
            service_dependencies={"answer": {"llm_service": config_id}},
        )
        response, frames = await stream_turn(
            platform.client, tenant.token, {"agent_id": agent_id, "message": "take your time"}
        )
        assert frames[-1]["data"]["status"] == "completed"  # type: ignore[index]
        assert slow.calls == 1
    node = await _node(platform, tenant, response.headers["X-Execution-Id"])
    assert node.retry_count == 0


async def test_unusable_bindings_are_refused_before_the_run_starts(
    platform: Platform,
    database_urls: DatabaseUrls,
    server: OpenAICompatibleServer,
    tenant: TenantAdmin,
) -> None:
    other = await create_tenant(platform, database_urls.admin_url)
    foreign = await add_service(platform.client, other, base_url=server.base_url, api_key=API_KEY)
    inactive = await add_service(
        platform.client, tenant, base_url=server.base_url, api_key=API_KEY, is_active=False
    )
    calls = server.calls
    for binding in (2_000_000_000, foreign, inactive, "15"):
        agent_id = await bind_agent(
            database_urls.admin_url,
            tenant.tenant_id,
            llm_agent(),
            service_dependencies={"answer": {"llm_service": binding}},
        )
        response = await platform.client.post(
            "/api/v1/chat/completions",
            json={"agent_id": agent_id, "message": "hi"},
            headers=tenant.headers,
        )
        assert response.status_code == 422, (binding, response.text)
        problem = response.json()
        assert problem["errors"][0]["path"] == "/service_dependencies/answer/llm_service"
        chat_id = response.headers.get("X-Chat-Id")
        assert chat_id is None
        async with platform.db.tenant_session(tenant.tenant_id) as session:
            runs = (
                (
                    await session.execute(
                        select(WorkflowExecution).where(
                            WorkflowExecution.agent_id == uuid.UUID(agent_id)  # type: ignore[arg-type]
                        )
                    )
                )
                .scalars()
                .all()
            )
        # The turn's execution row is closed, so the chat can take the next message.
        assert [r.status for r in runs] == ["failed"]
    assert server.calls == calls


async def test_keys_never_reach_responses_history_records_or_logs(
    platform: Platform,
    database_urls: DatabaseUrls,
    server: OpenAICompatibleServer,
    tenant: TenantAdmin,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    good = await add_service(platform.client, tenant, base_url=server.base_url, api_key=API_KEY)
    bad = await add_service(platform.client, tenant, base_url=server.base_url, api_key=WRONG_KEY)
    texts: list[str] = []
    outcomes = {}
    for name, config_id in (("good", good), ("bad", bad)):
        agent_id = await bind_agent(
            database_urls.admin_url,
            tenant.tenant_id,
            llm_agent(max_attempts=3),
            service_dependencies={"answer": {"llm_service": config_id}},
        )
        calls = server.calls
        response, frames = await stream_turn(
            platform.client, tenant.token, {"agent_id": agent_id, "message": f"{name} key"}
        )
        texts.append(response.text)
        outcomes[name] = (frames[-1]["data"]["status"], server.calls - calls)  # type: ignore[index]
        execution_id = response.headers["X-Execution-Id"]
        history = await platform.temporal.get_workflow_handle(
            f"exec-{execution_id}"
        ).fetch_history()
        texts.append(history.to_json())
        node = await _node(platform, tenant, execution_id)
        texts.append(json.dumps([node.error_message, node.service_calls, node.output_state]))
        chat = await platform.client.get(
            "/api/v1/chat/history",
            params={"chat_id": response.headers["X-Chat-Id"]},
            headers=tenant.headers,
        )
        texts.append(chat.text)
    # The good key worked; the wrong one failed once, not retried (authentication).
    assert outcomes == {"good": ("completed", 1), "bad": ("failed", 1)}
    assert server.authorizations[-2:] == [f"Bearer {API_KEY}", f"Bearer {WRONG_KEY}"]
    configs = await platform.client.get("/api/v1/service-configs", headers=tenant.headers)
    texts.append(configs.text)
    texts.append(caplog.text)
    texts.extend(r.getMessage() for r in caplog.records)
    assert "AuthenticationError" in texts[4] + texts[5] + texts[6]
    for text in texts:
        assert API_KEY not in text
        assert WRONG_KEY not in text


async def test_targets_refuse_deleted_configs_and_swapped_ciphertexts(
    platform: Platform, server: OpenAICompatibleServer, tenant: TenantAdmin
) -> None:
    # What the activity does at call time, after the run was started with the config's id.
    ring = key_ring_from_settings(platform.settings)
    targets = LlmTargets(
        platform.db, ring.open_credentials, OutboundPolicy.from_settings(platform.settings)
    )
    first = await add_service(platform.client, tenant, base_url=server.base_url, api_key=API_KEY)
    second = await add_service(platform.client, tenant, base_url=server.base_url, api_key=WRONG_KEY)

    target = await targets.resolve(_llm_input(tenant, first), None)
    assert (target.api_key, target.api_base, target.model) == (
        API_KEY,
        server.base_url,
        "openai/gpt-4o-mini",
    )
    assert API_KEY not in repr(target)

    async with platform.db.tenant_session(tenant.tenant_id) as session:
        rows = {
            r.config_id: r
            for r in (
                await session.execute(
                    select(ServiceConfig).where(
                        ServiceConfig.config_id.in_([first, second])  # type: ignore[union-attr]
                    )
                )
            ).scalars()
        }
        rows[first].credentials, rows[second].credentials = (
            rows[second].credentials,
            rows[first].credentials,
        )
    for config_id in (first, second):
        with pytest.raises(ApplicationError) as swapped:
            await targets.resolve(_llm_input(tenant, config_id), None)
        assert swapped.value.type == "ServiceConfigUnavailable"
        assert swapped.value.non_retryable
        assert "failed verification" in str(swapped.value)

    deleted = await platform.client.delete(
        f"/api/v1/service-configs/{first}", headers=tenant.headers
    )
    assert deleted.status_code == 204
    with pytest.raises(ApplicationError) as gone:
        await targets.resolve(_llm_input(tenant, first), "gpt-4o")
    assert gone.value.type == "ServiceConfigUnavailable" and gone.value.non_retryable


async def test_provider_urls_are_checked_again_at_each_call(
    platform: Platform, tenant: TenantAdmin, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A provider name that pointed outward when saved and inward now is refused at call time."""
    ring = key_ring_from_settings(platform.settings)
    targets = LlmTargets(
        platform.db, ring.open_credentials, OutboundPolicy.from_settings(platform.settings)
    )
    fake_dns(monkeypatch, "llm.rebind.test", "93.184.216.34")
    config_id = await add_service(
        platform.client, tenant, base_url="https://llm.rebind.test/v1", api_key=API_KEY
    )
    data = _llm_input(tenant, config_id)
    target = await targets.resolve(data, None)
    assert target.api_base == "https://llm.rebind.test/v1"

    fake_dns(monkeypatch, "llm.rebind.test", "10.0.0.7")
    with pytest.raises(ApplicationError) as refused:
        await targets.resolve(data, None)
    assert refused.value.type == "UnsafeOutboundUrl" and refused.value.non_retryable
    assert "outbound URL policy" in str(refused.value) and "10.0.0.7" in str(refused.value)
    assert API_KEY not in str(refused.value)

    fake_dns(monkeypatch, "llm.rebind.test")  # no answer: maybe later, so a retry may help
    with pytest.raises(ApplicationError) as unresolved:
        await targets.resolve(data, None)
    assert unresolved.value.type == "ProviderUnreachable" and not unresolved.value.non_retryable


async def test_an_admin_tests_a_service_config_connection_in_plain_words(
    platform: Platform, tenant: TenantAdmin, server: OpenAICompatibleServer
) -> None:
    """ "Test connection" makes one tiny call on a worker and says how it went."""
    client = platform.client
    good = await add_service(client, tenant, base_url=server.base_url, api_key=API_KEY)
    wrong = await add_service(client, tenant, base_url=server.base_url, api_key=WRONG_KEY)
    closed = await add_service(client, tenant, base_url="http://127.0.0.1:9", api_key=API_KEY)

    async def probe(config_id: int) -> dict[str, Any]:
        answer = await client.post(
            f"/api/v1/service-configs/{config_id}/test", headers=tenant.headers
        )
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        return body

    ok = await probe(good)
    assert ok["ok"] is True and ok["latency_ms"] is not None and ok["model"].endswith("gpt-4o-mini")
    refused = await probe(wrong)
    assert refused["ok"] is False
    assert refused["message"].startswith("the provider refused the API key")
    assert WRONG_KEY not in refused["message"] and API_KEY not in refused["message"]
    assert refused["reason"] == "unauthorized" and WRONG_KEY not in str(refused["params"])
    unreachable = await probe(closed)
    assert unreachable["ok"] is False and "connect" in unreachable["message"]
    assert unreachable["reason"] == "unreachable" and ok["reason"] is None
    missing = await client.post("/api/v1/service-configs/999999/test", headers=tenant.headers)
    assert missing.status_code == 404


async def test_a_call_whose_completion_was_lost_is_not_made_or_charged_again(
    platform: Platform,
    database_urls: DatabaseUrls,
    server: OpenAICompatibleServer,
    tenant: TenantAdmin,
) -> None:
    """Attempt 1 calls the model, records and charges, then its completion never reaches
    Temporal (the worker died, or Temporal was away): attempt 2 returns attempt 1's
    recorded answer without calling the provider or charging again. Same for the
    workflow's rescheduling of the node after an outage."""
    execution_id = await _an_execution(platform, database_urls, server, tenant)
    config_id = await add_service(
        platform.client, tenant, base_url=server.base_url, api_key=API_KEY
    )
    ring = key_ring_from_settings(platform.settings)
    node = LlmNodeActivities(
        NodeRecorder(platform.db),
        LlmTargets(
            platform.db, ring.open_credentials, OutboundPolicy.from_settings(platform.settings)
        ),
        TokenQuota(platform.db),
    )
    data = dataclasses.replace(
        _llm_input(tenant, config_id),
        execution_id=execution_id,
        node_input={"messages": [{"role": "user", "content": "charge me once"}]},
        task_id=f"ledger-{uuid.uuid4().hex[:8]}",
        max_attempts=3,
    )

    async def attempt(number: int, rescheduled: int = 0) -> Any:
        env = ActivityEnvironment()
        env.info = dataclasses.replace(env.info, attempt=number)
        return await env.run(node.run_llm_node, dataclasses.replace(data, rescheduled=rescheduled))

    async def month_tokens() -> int:
        async with platform.db.tenant_session(tenant.tenant_id) as session:
            row = await session.get(TenantQuota, tenant.tenant_id)
            assert row is not None
            await session.refresh(row)
            return row.current_month_tokens

    before_calls, before_tokens = server.calls, await month_tokens()
    first = await attempt(1)
    assert server.calls == before_calls + 1
    charged = await month_tokens() - before_tokens
    assert charged == first.tokens > 0

    again = await attempt(2)  # Temporal's retry of the same task after a lost completion
    rescheduled = await attempt(1, rescheduled=1)  # the workflow's, after an outage
    assert server.calls == before_calls + 1  # the provider was not called again
    assert await month_tokens() - before_tokens == charged  # nor was anything charged
    for result in (again, rescheduled):
        assert (result.update, result.tokens) == (first.update, first.tokens)
        assert result.cost == pytest.approx(first.cost, abs=1e-6)  # stored to 6 places
    async with platform.db.tenant_session(tenant.tenant_id) as session:
        holds = (
            (
                await session.execute(
                    select(TokenReservation).where(
                        TokenReservation.task_id == data.task_id  # type: ignore[arg-type]
                    )
                )
            )
            .scalars()
            .all()
        )
    assert [h.status for h in holds] == ["settled"]


async def test_provider_calls_connect_only_to_the_address_that_was_checked(
    platform: Platform,
    database_urls: DatabaseUrls,
    tenant: TenantAdmin,
    server: OpenAICompatibleServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """DNS rebinding: the provider's name is public when the target is checked and points
    at the local server when litellm connects: the node fails, not to be retried, and the
    server is never reached."""
    name = "llm.rebind.test"
    fake_dns(monkeypatch, name, "93.184.216.34")
    config_id = await add_service(
        platform.client, tenant, base_url=f"http://{name}:{server.port}/v1", api_key=API_KEY
    )
    execution_id = await _an_execution(platform, database_urls, server, tenant)
    ring = key_ring_from_settings(platform.settings)
    strict = OutboundPolicy(allow=())  # production's default: nothing inside is allowed
    node = LlmNodeActivities(
        NodeRecorder(platform.db),
        LlmTargets(platform.db, ring.open_credentials, strict),
        TokenQuota(platform.db),
    )
    data = dataclasses.replace(
        _llm_input(tenant, config_id),
        execution_id=execution_id,
        node_input={"messages": [{"role": "user", "content": "reach inside"}]},
        task_id=f"rebind-{uuid.uuid4().hex[:8]}",
    )
    answers = fake_dns(monkeypatch, name, "93.184.216.34", "127.0.0.1")
    calls = server.calls
    with pytest.raises(ApplicationError) as refused:
        await ActivityEnvironment().run(node.run_llm_node, data)
    assert answers[0] == "93.184.216.34"  # the target's check passed on the public answer
    assert server.calls == calls  # the connection never went inside
    assert refused.value.type == "UnsafeOutboundUrl" and refused.value.non_retryable
    assert "loopback" in str(refused.value) and API_KEY not in str(refused.value)


async def test_a_node_keeps_its_log_lines_with_the_key_masked(
    platform: Platform,
    database_urls: DatabaseUrls,
    server: OpenAICompatibleServer,
    tenant: TenantAdmin,
) -> None:
    """Its developer reads on the node what it did: the call, its usage; never the key."""
    execution_id = await _an_execution(platform, database_urls, server, tenant)
    detail = await platform.client.get(
        f"/api/v1/executions/{execution_id}", headers={"Authorization": f"Bearer {tenant.token}"}
    )
    assert detail.status_code == 200, detail.text
    (node,) = detail.json()["nodes"]
    messages = [line["message"] for line in node["logs"]]
    assert any(m.startswith("calling openai/") and server.base_url in m for m in messages)
    assert any("answered" in m and "prompt" in m and "completion tokens" in m for m in messages)
    assert all(line["logger"].startswith("activities") for line in node["logs"])
    assert API_KEY not in detail.text

    # A failure's words, as the provider sent them, are kept too: masked.
    server.fail_next(500, times=3)
    failing = await _an_execution(platform, database_urls, server, tenant)
    detail = await platform.client.get(
        f"/api/v1/executions/{failing}", headers={"Authorization": f"Bearer {tenant.token}"}
    )
    (node,) = detail.json()["nodes"]
    assert any(line["level"] == "WARNING" and "failed" in line["message"] for line in node["logs"])
    assert API_KEY not in detail.text
