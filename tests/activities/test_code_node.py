"""The `code` node activity: state in, state update out; every failure final and named."""

from __future__ import annotations

import asyncio
import queue
from typing import Any

import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.code import CodeNodeActivities
from activities.code_sandbox import PythonSandbox, SandboxRun
from temporal_workflows.contracts import NodeActivityInput


class RecordingRecorder:
    """Stands in for NodeRecorder (the database) and keeps what would be written."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.finishes: list[dict[str, Any]] = []

    async def recorded_outcome(self, data: NodeActivityInput, attempt: int) -> None:
        return None  # nothing recorded before: these tests are about the attempts

    async def started(self, data: NodeActivityInput, attempt: int) -> None:
        self.starts.append(attempt)

    async def finished(self, data: NodeActivityInput, **outcome: Any) -> None:
        self.finishes.append(outcome)


@pytest.fixture(scope="module")
def recorder() -> RecordingRecorder:
    return RecordingRecorder()


@pytest.fixture(scope="module")
def activities(recorder: RecordingRecorder) -> CodeNodeActivities:
    return CodeNodeActivities(recorder)  # type: ignore[arg-type]


def _input(config: dict[str, Any], state: dict[str, Any]) -> NodeActivityInput:
    return NodeActivityInput(
        tenant_id="t",
        execution_id="e",
        workflow_id="exec-e",
        node_name="compute",
        node_type="code",
        config=config,
        node_input=state,
        step=0,
        task_id="0:compute",
    )


async def _run(activities: CodeNodeActivities, config: dict[str, Any], state: dict[str, Any]):  # type: ignore[no-untyped-def]
    return await ActivityEnvironment().run(activities.run_code_node, _input(config, state))


async def test_inputs_come_from_state_and_outputs_become_the_update(
    activities: CodeNodeActivities, recorder: RecordingRecorder
) -> None:
    config = {
        "code": (
            "def main(inputs):\n"
            "    print('scoring', inputs['text'])\n"
            "    return {'score': len(inputs['text']), 'tags': [inputs['tag']]}\n"
        ),
        "inputs": {"text": "last(messages).content", "tag": "'auto'"},
        "outputs": {"score": "score", "tags": "tags"},
        "output_schema": {"type": "object", "required": ["score", "tags"]},
        "logs_key": "logs",
    }
    state = {"messages": [{"role": "user", "content": "hello"}]}
    result = await _run(activities, config, state)
    assert result.update == {
        "score": 5,
        "tags": ["auto"],
        "logs": {
            "stdout": "scoring hello\n",
            "stderr": "",
            "stdout_truncated": False,
            "stderr_truncated": False,
        },
    }
    finished = recorder.finishes[-1]
    assert finished["status"] == "completed" and finished["output"] == result.update
    (call,) = finished["service_calls"]
    assert call["service"] == "code_sandbox" and call["fuel_consumed"] > 0


async def test_truncated_output_is_flagged_in_the_update(activities: CodeNodeActivities) -> None:
    config = {
        "code": "def main(inputs):\n    print('z' * 5000)\n    return 1\n",
        "output_key": "n",
        "logs_key": "logs",
        "limits": {"max_output_bytes": 100},
    }
    result = await _run(activities, config, {})
    assert result.update["n"] == 1
    assert result.update["logs"]["stdout"] == "z" * 100
    assert result.update["logs"]["stdout_truncated"] is True


@pytest.mark.parametrize(
    ("code", "limits", "error_type", "words"),
    [
        ("    return 1 / 0", {}, "CodeError", "ZeroDivisionError: division by zero"),
        ("    while True:\n        pass", {"fuel": 1_000_000_000}, "CodeFuelExhausted", "fuel"),
        (
            "    while True:\n        pass",
            {"fuel": 10**12, "timeout_seconds": 0.3},
            "CodeTimeout",
            "limits.timeout_seconds = 0.3",
        ),
        (
            "    return len(bytearray(200 * 1024 * 1024))",
            {"memory_mb": 64},
            "CodeMemoryExceeded",
            "limits.memory_mb = 64",
        ),
        ("    return 'not a number'", {}, "CodeOutputInvalid", "output_schema"),
    ],
)
async def test_failures_are_final_and_name_the_cause(
    activities: CodeNodeActivities,
    recorder: RecordingRecorder,
    code: str,
    limits: dict[str, Any],
    error_type: str,
    words: str,
) -> None:
    config = {
        "code": "def main(inputs):\n" + code + "\n",
        "output_key": "n",
        "output_schema": {"type": "number"},
        "limits": limits,
    }
    with pytest.raises(ApplicationError) as caught:
        await _run(activities, config, {})
    assert caught.value.type == error_type and caught.value.non_retryable
    assert words in caught.value.message
    assert recorder.finishes[-1]["status"] == "failed"
    assert words in recorder.finishes[-1]["error"]


async def test_bad_inputs_fail_the_node_without_running_it(
    activities: CodeNodeActivities,
) -> None:
    config = {
        "code": "def main(inputs):\n    return 1\n",
        "inputs": {"x": "1 / 0"},
        "output_key": "n",
    }
    with pytest.raises(ApplicationError) as caught:
        await _run(activities, config, {})
    assert caught.value.type == "CodeInputError" and caught.value.non_retryable


class WatchedSandbox(PythonSandbox):
    """The real sandbox, reporting each finished call."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self._loop = loop
        self.finished: queue.Queue[SandboxRun] = queue.Queue()
        self.started = asyncio.Event()

    def run(self, *args: Any, **kwargs: Any) -> SandboxRun:
        self._loop.call_soon_threadsafe(self.started.set)
        result = super().run(*args, **kwargs)
        self.finished.put(result)
        return result


async def test_cancelling_the_activity_stops_the_guest(recorder: RecordingRecorder) -> None:
    sandbox = WatchedSandbox(asyncio.get_running_loop())
    activities = CodeNodeActivities(recorder, sandbox)  # type: ignore[arg-type]
    spin = "def main(inputs):\n    while True:\n        pass\n"
    config = {"code": spin, "output_key": "n", "limits": {"fuel": 10**12, "timeout_seconds": 60}}
    env = ActivityEnvironment()
    running = asyncio.ensure_future(env.run(activities.run_code_node, _input(config, {})))
    await sandbox.started.wait()
    env.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running
    stopped = await asyncio.to_thread(sandbox.finished.get, True, 50)
    assert stopped.outcome == "cancelled"  # not the 60 s timeout or the fuel
