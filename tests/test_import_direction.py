"""The direction of imports drawn in DESIGN.md stays true.

Every pair of top-level packages is decided here: `MAY_IMPORT` lists, for each package, the
other packages of ours it may import, and anything else is a violation. Imports inside
functions count too (a lazy import is still a dependency), and a separate check fails on any
cycle between top-level packages.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

from tests.syntax_trees import parse_file

ROOT = Path(__file__).resolve().parent.parent

# package -> the other top-level packages of ours it may import (all others are forbidden).
MAY_IMPORT: dict[str, frozenset[str]] = {
    # The composition root wires everything.
    "agentpaas": frozenset(
        {
            "platform_core",
            "platform_api",
            "temporal_workflows",
            "activities",
            "node_types",
            "templates_catalog",
            "migrations",
        }
    ),
    "platform_api": frozenset(
        {"platform_core", "temporal_workflows", "node_types", "templates_catalog"}
    ),
    "activities": frozenset({"platform_core", "temporal_workflows", "node_types"}),
    "temporal_workflows": frozenset({"node_types"}),
    "migrations": frozenset({"platform_core"}),
    "templates_catalog": frozenset({"node_types"}),
    "platform_core": frozenset(),
    "node_types": frozenset(),
}
OURS = frozenset(MAY_IMPORT)

# platform_api reaches Temporal through the contracts (names and payloads) and the client
# factory; routes and services never import workflow code.
PLATFORM_API_MAY_USE_OF_TW = ("temporal_workflows.contracts", "temporal_workflows.client")
# Third-party packages that would break a layer's promise (purity, determinism).
THIRD_PARTY_FORBIDDEN = {"node_types": {"temporalio"}, "templates_catalog": {"temporalio"}}


def _imports(path: Path) -> list[str]:
    """Every module a file imports, anywhere in it, as full dotted names."""
    tree = parse_file(path)
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


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def forbidden_imports(package: str, files: Iterable[Path]) -> list[str]:
    """The imports in `files` (of `package`) that the direction table forbids."""
    allowed = MAY_IMPORT[package]
    banned_third_party = THIRD_PARTY_FORBIDDEN.get(package, set())
    violations = []
    for path in files:
        for name in _imports(path):
            top = name.split(".")[0]
            if (top in OURS and top != package and top not in allowed) or top in banned_third_party:
                violations.append(f"{_shown(path)} imports {name}")
    return violations


def package_graph() -> dict[str, set[str]]:
    """Top-level package -> the top-level packages of ours its files import."""
    graph: dict[str, set[str]] = {package: set() for package in OURS}
    for package in OURS:
        for path in _files(package):
            for name in _imports(path):
                top = name.split(".")[0]
                if top in OURS and top != package:
                    graph[package].add(top)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle in the graph as a path (first node repeated at the end), or None."""
    visiting: list[str] = []
    done: set[str] = set()

    def visit(node: str) -> list[str] | None:
        if node in visiting:
            return [*visiting[visiting.index(node) :], node]
        if node in done:
            return None
        visiting.append(node)
        for nxt in sorted(graph.get(node, ())):
            cycle = visit(nxt)
            if cycle:
                return cycle
        visiting.pop()
        done.add(node)
        return None

    for start in sorted(graph):
        cycle = visit(start)
        if cycle:
            return cycle
    return None


def test_every_top_level_package_is_in_the_table() -> None:
    on_disk = {
        p.parent.name
        for p in ROOT.glob("*/__init__.py")
        if p.parent.name not in {"tests", "bench", "ui", "docs", "deploy"}
    }
    assert on_disk == set(OURS), "add the new package to MAY_IMPORT with its allowed imports"


def test_each_package_imports_only_what_the_table_allows() -> None:
    violations = [
        v for package in sorted(OURS) for v in forbidden_imports(package, _files(package))
    ]
    assert violations == []


def test_no_cycle_between_top_level_packages() -> None:
    assert find_cycle(package_graph()) is None


def test_the_checks_catch_a_forbidden_import_and_a_cycle(tmp_path: Path) -> None:
    # The checks above must be able to fail: a workflow module importing the API is caught,
    # and an edge back from temporal_workflows to platform_api closes a cycle.
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from platform_api.chats import service\n")
    assert forbidden_imports("temporal_workflows", [bad]) == [
        f"{bad} imports platform_api.chats.service"
    ]
    assert forbidden_imports("platform_api", [bad]) == []
    graph = package_graph()
    graph["temporal_workflows"].add("platform_api")
    assert find_cycle(graph) is not None


def test_platform_api_talks_to_temporal_workflows_through_contracts() -> None:
    violations = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in _files("platform_api")
        for name in _imports(path)
        if _within(name, "temporal_workflows")
        and name != "temporal_workflows"
        and not any(_within(name, m) for m in PLATFORM_API_MAY_USE_OF_TW)
    ]
    assert violations == []


def test_workflow_modules_import_activities_only_through_passthrough() -> None:
    # Workflow code runs in the sandbox: even the composition root's activities must not be
    # imported at module level by a workflow module (they would be re-imported per run).
    violations = []
    for path in _files("temporal_workflows"):
        tree = parse_file(path)
        for node in tree.body:  # top-level statements only; `with` blocks are allowed
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("activities"):
                violations.append(str(path.relative_to(ROOT)))
            if isinstance(node, ast.Import) and any(
                a.name.startswith("activities") for a in node.names
            ):
                violations.append(str(path.relative_to(ROOT)))
    assert violations == []
