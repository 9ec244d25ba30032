"""The backend keeps one way to do the things it used to write several times.

A run starts only through ``executions.launcher``; an SSE response is built only by
``streaming.responses``; services never import the HTTP layer; routes never query.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.syntax_trees import parse_file

API = Path(__file__).resolve().parents[2] / "platform_api"


def _sources() -> dict[str, ast.AST]:
    return {str(p.relative_to(API)): parse_file(p) for p in sorted(API.rglob("*.py"))}


def _names_used(tree: ast.AST) -> set[str]:
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    used |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    return used


def _imported_modules(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return found


def users_of(name: str, sources: dict[str, ast.AST]) -> list[str]:
    """The modules that mention ``name`` as a name or an attribute."""
    return [path for path, tree in sources.items() if name in _names_used(tree)]


def test_runs_start_only_through_the_launcher() -> None:
    sources = _sources()
    assert users_of("start_run", sources) == ["executions/launcher.py"]
    assert users_of("RUN_WORKFLOW", sources) == ["executions/launcher.py"]


def test_sse_responses_are_built_in_one_place() -> None:
    sources = _sources()
    builders = [p for p in users_of("while_in_good_standing", sources) if p != "auth/standing.py"]
    assert builders == ["streaming/responses.py"]
    streaming = [
        p
        for p, tree in sources.items()
        if "StreamingResponse" in _names_used(tree)
        and any(
            isinstance(n, ast.Call) and getattr(n.func, "id", None) == "StreamingResponse"
            for n in ast.walk(tree)
        )
    ]
    assert streaming == ["streaming/responses.py"]


def test_services_do_not_import_the_http_layer() -> None:
    # Only routes, the HTTP plumbing itself (api/) and the app may use request dependencies.
    offenders = [
        path
        for path, tree in _sources().items()
        if "platform_api.api.deps" in _imported_modules(tree)
        and not (path.endswith("routes.py") or path.startswith("api/") or path == "app.py")
    ]
    assert offenders == []


def test_routes_do_not_query() -> None:
    offenders = [
        path
        for path, tree in _sources().items()
        if path.endswith("routes.py")
        and any(
            isinstance(n, ast.Attribute)
            and n.attr in {"execute", "get", "scalar", "scalars"}
            and isinstance(n.value, ast.Name)
            and n.value.id == "session"
            for n in ast.walk(tree)
        )
    ]
    assert offenders == []


def test_the_api_process_never_opens_an_mcp_client() -> None:
    # Listing and pinging a tenant's MCP servers runs on workers (activities/tool_discovery.py):
    # the API serves MCP (fastmcp servers) but never connects out as a client.
    offenders = [
        path
        for path, tree in _sources().items()
        if any(
            name == "fastmcp.Client" or name.startswith("fastmcp.client")
            for name in _imported_modules(tree)
        )
    ]
    assert offenders == []
