"""The direction of imports drawn in DESIGN.md stays true."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("node_types", "templates_catalog", "temporal_workflows", "activities", "platform_api")

# package -> top-level packages it must never import
FORBIDDEN = {
    "node_types": {
        "templates_catalog",
        "temporal_workflows",
        "activities",
        "platform_api",
        "temporalio",
    },
    "templates_catalog": {"temporal_workflows", "activities", "platform_api", "temporalio"},
    "activities": {"templates_catalog"},
    "migrations": {"temporal_workflows", "activities", "templates_catalog", "node_types"},
}
# platform_api may use temporal_workflows only through its contracts (and the worker/client
# wiring the CLI composes); routes and services never import workflow code.
PLATFORM_API_ALLOWED_TW = {
    "temporal_workflows.contracts",
    "temporal_workflows.client",
    "temporal_workflows.worker",
}
PLATFORM_API_WIRING = {"platform_api/cli.py", "platform_api/api/state.py"}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from pkg import mod` imports pkg.mod: record the full dotted names.
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def _within(name: str, module: str) -> bool:
    return name == module or name.startswith(module + ".")


def _files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def test_forbidden_imports_are_absent() -> None:
    violations = []
    for package, forbidden in FORBIDDEN.items():
        for path in _files(package):
            for name in _imports(path):
                if name.split(".")[0] in forbidden:
                    violations.append(f"{path.relative_to(ROOT)} imports {name}")
    assert violations == []


def test_platform_api_talks_to_temporal_workflows_through_contracts() -> None:
    violations = []
    for path in _files("platform_api"):
        rel = str(path.relative_to(ROOT))
        for name in _imports(path):
            if not name.startswith("temporal_workflows"):
                continue
            module = next((m for m in PLATFORM_API_ALLOWED_TW if _within(name, m)), None)
            if module is None or (
                module == "temporal_workflows.worker" and rel not in PLATFORM_API_WIRING
            ):
                violations.append(f"{rel} imports {name}")
    assert violations == []


def test_workflow_modules_import_activities_only_through_passthrough() -> None:
    violations = []
    for path in _files("temporal_workflows"):
        if path.name == "worker.py":
            continue  # the composition root wires activities on purpose
        tree = ast.parse(path.read_text())
        for node in tree.body:  # top-level statements only; `with` blocks are allowed
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("activities"):
                violations.append(str(path.relative_to(ROOT)))
            if isinstance(node, ast.Import) and any(
                a.name.startswith("activities") for a in node.names
            ):
                violations.append(str(path.relative_to(ROOT)))
    assert violations == []


def test_every_package_exists() -> None:
    for package in (*PACKAGES, "migrations"):
        assert (ROOT / package / "__init__.py").exists(), package


def test_activities_use_only_the_database_layer_of_platform_api() -> None:
    # The platform core of the design: settings, db session, models, outbound URL policy.
    allowed = (
        "platform_api.db",
        "platform_api.models",
        "platform_api.settings",
        "platform_api.security.outbound",
    )
    violations = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in _files("activities")
        for name in _imports(path)
        if name.startswith("platform_api") and not any(_within(name, m) for m in allowed)
    ]
    assert violations == []
