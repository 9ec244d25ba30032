"""A tool node's retry does not repeat the calls an earlier attempt finished.

Each attempt runs in Temporal's ActivityEnvironment; what one attempt heartbeats goes
through the default data converter (as Temporal stores it) into the next attempt's
``heartbeat_details``, which is what Temporal hands a retry of the same activity.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from temporalio.converter import DataConverter
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.tools import ToolNodeActivities
from platform_core.db import DatabaseUnavailable
from temporal_workflows.contracts import INFRASTRUCTURE_UNAVAILABLE, NodeActivityInput

SCHEMA = {"type": "object", "properties": {"n": {"type": "integer"}}}


@dataclass(frozen=True)
class Target:
    name: str
    tool_id: uuid.UUID = field(default_factory=uuid.uuid4)
    server_id: str = "test-tools"
    input_schema: dict[str, Any] = field(default_factory=lambda: SCHEMA)
    acts_on_behalf_of_user: bool = False


@dataclass(frozen=True)
class Run:
    tools: dict[str, Target]
    agent_id: uuid.UUID = field(default_factory=uuid.uuid4)
    user_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Outcome:
    status: str
    content: Any


class FlakyRuntime:
    """Counts calls per tool; ``flaky`` fails (unreachable) on its first call only."""

    def __init__(self) -> None:
        self.calls: dict[str, int] = {}

    async def for_run(self, tenant_id: str, execution_id: str, *, server_id: Any = None) -> Run:
        return Run({n: Target(n) for n in ("charge", "flaky", "notify")})

    async def function_specs(self, tenant_id: str, execution_id: str) -> dict[str, Any]:
        return {}

    async def is_granted(self, tenant_id: str, **_: Any) -> bool:
        return True

    async def call(
        self, tenant_id: str, target: Any, arguments: dict[str, Any], progress: Any
    ) -> Outcome:
        self.calls[target.name] = self.calls.get(target.name, 0) + 1
        await progress(1, 1, "done")
        if target.name == "flaky" and self.calls["flaky"] == 1:
            return Outcome("failed", "tool 'flaky' could not be reached")
        return Outcome("ok", f"{target.name} #{self.calls[target.name]}")


class Recorder:
    async def recorded_outcome(self, data: NodeActivityInput, attempt: int) -> None:
        return None  # nothing recorded before: these tests are about the attempts

    async def started(self, data: NodeActivityInput, attempt: int) -> None:
        pass

    async def finished(self, data: NodeActivityInput, **_: Any) -> None:
        pass

    def run_events(self, data: NodeActivityInput) -> NoEvents:
        return NoEvents()


class NoEvents:
    async def __aenter__(self) -> NoEvents:
        return self

    async def __aexit__(self, *exc: object) -> None:
        pass

    def publish(self, event: str, **data: Any) -> None:
        pass


def _input() -> NodeActivityInput:
    calls = [
        {
            "id": f"call_{name}",
            "type": "function",
            "function": {"name": name, "arguments": json.dumps({"n": i})},
        }
        for i, name in enumerate(("charge", "flaky", "notify"))
    ]
    return NodeActivityInput(
        tenant_id=str(uuid.uuid4()),
        execution_id=str(uuid.uuid4()),
        workflow_id="exec-test",
        node_name="tools",
        node_type="tool",
        config={},
        node_input={"messages": [{"role": "assistant", "content": "", "tool_calls": calls}]},
        step=2,
        task_id="t",
        max_attempts=3,
    )


async def _attempt(
    node: ToolNodeActivities, data: NodeActivityInput, attempt: int, details: list[Any]
) -> tuple[Any, list[Any]]:
    """One attempt; its result (or error) and its last heartbeat's details as stored."""
    converter = DataConverter.default
    env = ActivityEnvironment()
    env.info = dataclasses.replace(env.info, attempt=attempt, heartbeat_details=details)
    beats: list[Any] = []
    env.on_heartbeat = lambda *d: beats.append(list(d))
    try:
        result: Any = await env.run(node.run_tool_node, data)
    except ApplicationError as exc:
        result = exc
    stored = await converter.decode(await converter.encode(beats[-1])) if beats else details
    return result, stored


async def test_a_retry_does_not_repeat_finished_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    runtime = FlakyRuntime()
    node = ToolNodeActivities(Recorder(), runtime, max_result_bytes=10_000)  # type: ignore[arg-type]
    data = _input()

    first, details = await _attempt(node, data, 1, [])
    assert isinstance(first, ApplicationError) and first.type == "ToolUnavailable"
    assert runtime.calls == {"charge": 1, "flaky": 1}

    second, _ = await _attempt(node, data, 2, details)
    assert not isinstance(second, ApplicationError), second
    # The charge made by attempt 1 was not made again; its result is the one it gave.
    assert runtime.calls == {"charge": 1, "flaky": 2, "notify": 1}
    contents = [m["content"] for m in second.update["messages"]]
    assert contents == ["charge #1", "flaky #2", "notify #1"]


class OutageRuntime(FlakyRuntime):
    """``notify`` meets a database outage on its first call (the registry is unreachable)."""

    async def call(
        self, tenant_id: str, target: Any, arguments: dict[str, Any], progress: Any
    ) -> Outcome:
        self.calls[target.name] = self.calls.get(target.name, 0) + 1
        if target.name == "notify" and self.calls["notify"] == 1:
            raise DatabaseUnavailable("scripted outage")
        return Outcome("ok", f"{target.name} #{self.calls[target.name]}")


async def test_calls_finished_before_an_outage_are_not_made_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An outage is not a retry: the workflow waits and schedules the node anew, so there
    # are no heartbeat details; what was finished travels as the outage error's details,
    # which the workflow hands back as `carried`.
    runtime = OutageRuntime()
    node = ToolNodeActivities(Recorder(), runtime, max_result_bytes=10_000)  # type: ignore[arg-type]
    data = _input()

    stopped, _ = await _attempt(node, data, 1, [])
    assert isinstance(stopped, ApplicationError) and stopped.type == INFRASTRUCTURE_UNAVAILABLE
    assert runtime.calls == {"charge": 1, "flaky": 1, "notify": 1}
    converter = DataConverter.default
    carried = list(await converter.decode(await converter.encode(list(stopped.details))))

    resumed, _ = await _attempt(node, dataclasses.replace(data, carried=carried), 1, [])
    assert not isinstance(resumed, ApplicationError), resumed
    assert runtime.calls == {"charge": 1, "flaky": 1, "notify": 2}
    contents = [m["content"] for m in resumed.update["messages"]]
    assert contents == ["charge #1", "flaky #1", "notify #2"]
