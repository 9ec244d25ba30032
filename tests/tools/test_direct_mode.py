"""Direct-mode tool nodes: arguments from state, the result in output_key, clear failures."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from agentpaas.runtime.postgres import DatabaseUrls
from platform_core.models import WorkflowNodeExecution
from templates_catalog import get_template, instantiate
from tests.helpers import Platform, create_agent, stream_turn
from tests.tools.mcp_server import RunningServer


def _direct(tool: str, arguments: dict[str, str], retries: int = 3) -> dict[str, Any]:
    return {
        "state": {"messages": {"reducer": "add_messages"}, "result": {}},
        "nodes": [
            {
                "name": "call",
                "type": "tool",
                "config": {"mode": "direct", "tool": tool, "arguments": arguments},
                "retry": {"max_attempts": retries, "initial_interval_seconds": 0.1},
            }
        ],
        "edges": [
            {"source": "__start__", "target": "call"},
            {"source": "call", "target": "__end__"},
        ],
        "output": "result",
    }


def _with_output(definition: dict[str, Any]) -> dict[str, Any]:
    definition["nodes"][0]["config"]["output_key"] = "result"
    return definition


async def test_the_research_template_searches_through_the_shared_demo_server(
    platform: Platform, admin_token: str, database_urls: DatabaseUrls, demo_tools: RunningServer
) -> None:
    before = demo_tools.calls["web_search"]
    definition = instantiate(get_template("research"), {"max_results": 2})
    agent_id = await create_agent(
        database_urls.admin_url, platform.seeded.tenant_id, definition, name=f"r-{uuid.uuid4()}"
    )
    response, frames = await stream_turn(
        platform.client, admin_token, {"agent_id": agent_id, "message": "durable agents"}
    )
    assert frames[-1]["data"]["status"] == "completed", frames  # type: ignore[index]
    assert demo_tools.calls["web_search"] == before + 1
    execution_id = uuid.UUID(response.headers["X-Execution-Id"])
    async with platform.db.tenant_session(platform.seeded.tenant_id) as session:
        node = (
            await session.execute(
                select(WorkflowNodeExecution).where(
                    WorkflowNodeExecution.execution_id == execution_id,  # type: ignore[arg-type]
                    WorkflowNodeExecution.node_name == "search",  # type: ignore[arg-type]
                )
            )
        ).scalar_one()
    results = node.output_state["search_results"]
    assert len(results["hits"]) == 2 and results["hits"][0]["title"].startswith("Result 1 for")
    assert node.service_calls[0]["server_id"] == "demo-tools"


async def test_direct_mode_writes_the_structured_result(
    platform: Platform, admin_token: str, database_urls: DatabaseUrls, demo_tools: RunningServer
) -> None:
    agent_id = await create_agent(
        database_urls.admin_url,
        platform.seeded.tenant_id,
        _with_output(_direct("add", {"a": "40", "b": "2"})),
    )
    _, frames = await stream_turn(
        platform.client, admin_token, {"agent_id": agent_id, "message": "sum"}
    )
    done = frames[-1]["data"]
    assert done["status"] == "completed", frames  # type: ignore[index]
    assert done["answer"] == "42"  # type: ignore[index]


async def test_direct_mode_tool_errors_fail_the_node_without_retries(
    platform: Platform, admin_token: str, database_urls: DatabaseUrls, demo_tools: RunningServer
) -> None:
    before = demo_tools.calls["fail"]
    agent_id = await create_agent(
        database_urls.admin_url,
        platform.seeded.tenant_id,
        _with_output(_direct("fail", {"reason": "'quota gone'"})),
    )
    _, frames = await stream_turn(
        platform.client, admin_token, {"agent_id": agent_id, "message": "x"}
    )
    assert frames[-1]["data"]["status"] == "failed", frames  # type: ignore[index]
    assert "tool failed: quota gone" in str(frames)
    assert demo_tools.calls["fail"] == before + 1  # non-retryable: one call, not three


async def test_direct_mode_invalid_arguments_fail_before_any_call(
    platform: Platform, admin_token: str, database_urls: DatabaseUrls, demo_tools: RunningServer
) -> None:
    before = demo_tools.calls["add"]
    agent_id = await create_agent(
        database_urls.admin_url,
        platform.seeded.tenant_id,
        _with_output(_direct("add", {"a": "'forty'", "b": "2"})),
    )
    _, frames = await stream_turn(
        platform.client, admin_token, {"agent_id": agent_id, "message": "x"}
    )
    assert frames[-1]["data"]["status"] == "failed", frames  # type: ignore[index]
    assert "invalid arguments for tool 'add'" in str(frames)
    assert demo_tools.calls["add"] == before
