"""The run workflow runs outside Temporal's sandbox: its module checked for what the sandbox
would have refused.

``AgentRunWorkflow`` is ``sandboxed=False`` (a new run no longer re-imports its module).
The sandbox refused non-deterministic calls at run time; here the source is read instead:
the module imports only deterministic code, and calls no clock, randomness, I/O or
thread of its own. Time and ids come from ``workflow.now()`` and ``workflow.uuid4()``.
Replaying every recorded history (test_agent_run.py and the others) checks the rest.
"""

from __future__ import annotations

import ast
from pathlib import Path

from temporalio import workflow

from temporal_workflows.agent_run import AgentRunWorkflow
from tests.syntax_trees import parse_file

PACKAGE = Path(__file__).resolve().parents[2] / "temporal_workflows"
# The unsandboxed module and what it imports from this package (both run in the host).
MODULES = ("agent_run.py", "plan_access.py")
ALLOWED_IMPORTS = {
    "__future__",
    "asyncio",
    "dataclasses",
    "datetime",
    "typing",
    "json",
    "temporalio",
    "node_types",  # pure, checked by tests/node_types/test_node_types_purity.py
    "temporal_workflows.contracts",
    "temporal_workflows.plan_access",
}
# Names whose calls read the clock, draw randomness, do I/O or leave the workflow's loop.
FORBIDDEN_CALLS = {
    "datetime.now",
    "datetime.utcnow",
    "datetime.today",
    "date.today",
    "open",
    "input",
    "asyncio.to_thread",
    "asyncio.get_event_loop",
    "asyncio.get_running_loop",
    "asyncio.run",
}
FORBIDDEN_MODULES = {"time", "random", "uuid", "os", "socket", "threading", "secrets", "logging"}


def _imported(tree: ast.Module) -> list[str]:
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "temporal_workflows":
                names += [f"temporal_workflows.{alias.name}" for alias in node.names]
            else:
                names.append(node.module)
    return names


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def _calls(tree: ast.Module) -> list[str]:
    return [
        name
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and (name := _dotted(node.func)) is not None
    ]


def test_the_run_workflow_is_the_one_outside_the_sandbox() -> None:
    # If it goes back into the sandbox, this file's checks are the sandbox's again.
    assert workflow._Definition.must_from_class(AgentRunWorkflow).sandboxed is False


def test_it_imports_only_deterministic_modules() -> None:
    for name in MODULES:
        for module in _imported(parse_file(PACKAGE / name)):
            allowed = any(module == a or module.startswith(a + ".") for a in ALLOWED_IMPORTS)
            assert allowed, f"{name} imports {module}: not known to be deterministic"


def test_it_calls_no_clock_randomness_or_io() -> None:
    for name in MODULES:
        for call in _calls(parse_file(PACKAGE / name)):
            assert call not in FORBIDDEN_CALLS, f"{name} calls {call}(): use workflow.* instead"
            assert call.split(".")[0] not in FORBIDDEN_MODULES, f"{name} calls {call}()"
