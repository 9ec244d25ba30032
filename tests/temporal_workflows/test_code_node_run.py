"""Code nodes inside real runs: the session's worker runs them in the sandbox."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from platform_core.models import WorkflowExecution, WorkflowNodeExecution
from tests.helpers import Platform, create_agent, stream_turn

COUNT_WORDS = """
def main(inputs):
    words = inputs["text"].split()
    print("counted", len(words))
    longest = max(words, key=len)
    return {
        "reply": {"role": "assistant", "content": f"{len(words)} words, longest {longest!r}"},
        "count": len(words),
        "seen": [w.lower() for w in words],
    }
"""


def _agent(code: str, limits: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "state": {
            "messages": {"reducer": "add_messages"},
            "word_count": {"type": "integer"},
            "seen": {"reducer": "append", "default": ["(start)"]},
            "logs": {"type": "object"},
        },
        "nodes": [
            {
                "name": "count",
                "type": "code",
                "config": {
                    "code": code,
                    "inputs": {"text": "last(messages).content"},
                    "outputs": {"messages": "reply", "word_count": "count", "seen": "seen"},
                    "output_schema": {"type": "object", "required": ["reply", "count"]},
                    "logs_key": "logs",
                    "limits": limits or {},
                },
            }
        ],
        "edges": [
            {"source": "__start__", "target": "count"},
            {"source": "count", "target": "__end__"},
        ],
    }


async def _rows(platform: Platform, execution_id: uuid.UUID) -> tuple[Any, list[Any]]:
    async with platform.db.tenant_session(platform.seeded.tenant_id) as session:
        execution = await session.get(WorkflowExecution, execution_id)
        nodes = (
            await session.execute(
                select(WorkflowNodeExecution).where(
                    WorkflowNodeExecution.execution_id == execution_id
                )
            )
        ).scalars()
        return execution, list(nodes)


async def test_a_code_node_transforms_the_run_state(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    agent_id = await create_agent(
        database_urls.admin_url, platform.seeded.tenant_id, _agent(COUNT_WORDS)
    )
    response, frames = await stream_turn(
        platform.client, admin_token, {"agent_id": agent_id, "message": "Sandboxes keep Hosts safe"}
    )
    assert response.status_code == 200
    done = frames[-1]["data"]
    assert done["status"] == "completed", frames  # type: ignore[index]
    assert done["answer"] == "4 words, longest 'Sandboxes'"  # type: ignore[index]

    execution, nodes = await _rows(platform, uuid.UUID(response.headers["X-Execution-Id"]))
    state = execution.final_result["state"]
    assert state["word_count"] == 4
    assert state["seen"] == ["(start)", "sandboxes", "keep", "hosts", "safe"]  # appended
    assert [m["role"] for m in state["messages"]] == ["user", "assistant"]  # add_messages
    assert state["logs"]["stdout"] == "counted 4\n"
    (node,) = nodes
    assert node.status == "completed" and node.node_type == "code"
    assert node.service_calls[0]["service"] == "code_sandbox"


async def test_a_runaway_code_node_fails_the_run_once_naming_the_limit(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    looping = "def main(inputs):\n    while True:\n        pass\n"
    agent_id = await create_agent(
        database_urls.admin_url,
        platform.seeded.tenant_id,
        _agent(looping, {"fuel": 1_000_000_000}),
    )
    response, frames = await stream_turn(
        platform.client, admin_token, {"agent_id": agent_id, "message": "spin"}
    )
    assert response.status_code == 200
    by_event = {f["event"]: f["data"] for f in frames}
    assert by_event["done"]["status"] == "failed"  # type: ignore[index]
    assert "retrying" not in by_event  # a limit hit is final
    assert "limits.fuel" in str(by_event["node_failed"]["error"])  # type: ignore[index]

    execution, nodes = await _rows(platform, uuid.UUID(response.headers["X-Execution-Id"]))
    assert execution.status == "failed"
    assert execution.error_info["type"] == "CodeFuelExhausted"
    (node,) = nodes
    assert node.status == "failed" and node.retry_count == 0
    assert "limits.fuel" in (node.error_message or "")
