"""A workflow task stays cheap: the sandbox re-imports only the workflow's own modules.

With no workflow cache every task builds a fresh sandbox. An import hook installed by
some dependency in the host (beartype's, via fastmcp) once made each sandbox re-import
hundreds of modules, ~0.4 s per task, and runs timed out under load.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer
from temporalio.worker.workflow_sandbox import _importer

import agentpaas.worker  # noqa: F401
import platform_api.app  # noqa: F401  (the host imports everything the API and worker do)
from agentpaas.worker import workflow_runner
from temporal_workflows.agent_run import AgentRunWorkflow

HISTORY = Path(__file__).resolve().parent.parent / "histories" / "plain_chat.json"
# Today about 90 imports pass through the sandbox's importer per workflow instance.
MAX_IMPORTS_PER_INSTANCE = 400


async def test_a_sandboxed_run_imports_only_a_few_modules(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    imported: list[str] = []
    original = _importer.Importer._import

    def counting(self: Any, name: str, *args: Any, **kwargs: Any) -> Any:
        imported.append(name)
        return original(self, name, *args, **kwargs)

    monkeypatch.setattr(_importer.Importer, "_import", counting)
    history = WorkflowHistory.from_json("plain_chat", HISTORY.read_text())
    replayer = Replayer(workflows=[AgentRunWorkflow], workflow_runner=workflow_runner())
    await replayer.replay_workflow(history)
    assert imported, "the sandbox imported nothing: the counter no longer sees its imports"
    assert len(imported) < MAX_IMPORTS_PER_INSTANCE, sorted(set(imported))[:50]
