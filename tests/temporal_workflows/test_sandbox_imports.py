"""A sandboxed workflow stays cheap: the sandbox re-imports only the workflow's own modules.

With no workflow cache every task builds a fresh sandbox. An import hook installed by
some dependency in the host (beartype's, via fastmcp) once made each sandbox re-import
hundreds of modules, ~0.4 s per task, and runs timed out under load. The run workflow
itself is no longer sandboxed (test_agent_run_determinism.py); the knowledge, retention,
notification and probe workflows are.
"""

from __future__ import annotations

from typing import Any

import pytest
from temporalio import workflow
from temporalio.worker.workflow_sandbox import _importer

import agentpaas.worker  # noqa: F401
import platform_api.app  # noqa: F401  (the host imports everything the API and worker do)
from agentpaas.worker import workflow_runner
from temporal_workflows.knowledge import IngestDocumentWorkflow

# Today about 15 imports pass through the sandbox's importer per workflow instance.
MAX_IMPORTS_PER_INSTANCE = 400


async def test_a_sandboxed_workflow_imports_only_a_few_modules(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    imported: list[str] = []
    original = _importer.Importer._import

    def counting(self: Any, name: str, *args: Any, **kwargs: Any) -> Any:
        imported.append(name)
        return original(self, name, *args, **kwargs)

    monkeypatch.setattr(_importer.Importer, "_import", counting)
    definition = workflow._Definition.must_from_class(IngestDocumentWorkflow)
    assert definition.sandboxed
    # What a worker does for each new instance: build a sandbox and import the module.
    workflow_runner().prepare_workflow(definition)
    assert imported, "the sandbox imported nothing: the counter no longer sees its imports"
    assert len(imported) < MAX_IMPORTS_PER_INSTANCE, sorted(set(imported))[:50]
