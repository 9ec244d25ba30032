"""Every workflow the test session's worker ran, replayed against today's workflow code.

The session's worker caches workflows, as a deployed worker does: with no cache, a run
holding a local activity (its events flushed before a wait, its outcome written) keeps
every other run's workflow task buffered until that task times out (10 s), and tests with
concurrent runs spent most of their time waiting for it. The cache means a workflow task
no longer replays the whole history each time; this replay, at the session's end, is what
keeps every test a determinism check of the workflows it drives.
"""

from __future__ import annotations

from temporalio.client import Client
from temporalio.worker import Replayer

from agentpaas.worker import WORKFLOWS, workflow_runner


def _on_queue(task_queue: str) -> str:
    return f"TaskQueue = '{task_queue}'"


async def replay_failures(client: Client, task_queue: str) -> dict[str, str]:
    """Replay every workflow run on ``task_queue``; returns the failed ones (run id: the
    error)."""
    replayer = Replayer(workflows=list(WORKFLOWS), workflow_runner=workflow_runner())
    results = await replayer.replay_workflows(
        client.list_workflows(_on_queue(task_queue)).map_histories(),
        raise_on_replay_failure=False,
    )
    return {run_id: repr(error) for run_id, error in results.replay_failures.items()}
