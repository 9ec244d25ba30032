"""node_types must stay importable inside Temporal's workflow sandbox: pure, no I/O."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.syntax_trees import parse_file

PACKAGE = Path(__file__).resolve().parents[2] / "node_types"
FORBIDDEN = {
    "random", "uuid", "time", "datetime", "os", "socket", "secrets", "subprocess", "threading",
    "asyncio", "requests", "httpx", "urllib", "pathlib", "io", "shutil", "tempfile", "logging",
}  # fmt: skip
ALLOWED_THIRD_PARTY = {"pydantic", "jsonschema"}


def _imports(path: Path) -> list[str]:
    tree = parse_file(path)
    names = []
    for node in tree.body:  # top level only: late imports inside functions are deliberate
        if isinstance(node, ast.Import):
            names += [alias.name.split(".")[0] for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module.split(".")[0])
    return names


def test_modules_import_only_pure_dependencies() -> None:
    stdlib = set(sys.stdlib_module_names)
    for path in sorted(PACKAGE.glob("*.py")):
        if path.name == "langgraph_export.py":
            continue
        for name in _imports(path):
            assert name not in FORBIDDEN, f"{path.name} imports {name}"
            assert (
                name in stdlib
                or name in ALLOWED_THIRD_PARTY
                or name in ("node_types", "__future__")
            ), f"{path.name} imports {name}"


def test_importing_the_package_does_not_load_langgraph() -> None:
    modules = [
        p.stem
        for p in sorted(PACKAGE.glob("*.py"))
        if p.stem not in ("__init__", "langgraph_export")
    ]
    code = (
        "import sys\n"
        + "".join(f"import node_types.{m}\n" for m in modules)
        + "bad = [m for m in ('langgraph', 'langchain_core', 'temporalio') if m in sys.modules]\n"
        + "assert not bad, bad\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=PACKAGE.parent
    )
    assert result.returncode == 0, result.stderr


def test_no_set_iteration_or_hash_randomised_ordering_in_routing() -> None:
    """Routing must not iterate sets: PYTHONHASHSEED must not change task order."""
    code = (
        "import json\n"
        "from node_types.compiler import compile_plan\n"
        "from node_types.pregel import run_in_memory\n"
        "from node_types.scripted import scripted_node_fn\n"
        "from templates_catalog import get_template, instantiate\n"
        "plan = compile_plan(instantiate(get_template('code_review'), {}))\n"
        "state, trace = run_in_memory(plan, {'messages': [{'role': 'user', 'content': 'x = 1'}]},"
        " scripted_node_fn(plan))\n"
        "print(json.dumps([state, trace, plan.plan_hash]))\n"
    )
    outputs = set()
    for seed in ("1", "2", "3"):
        result = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            cwd=PACKAGE.parent,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        )
        assert result.returncode == 0, result.stderr
        outputs.add(result.stdout)
    assert len(outputs) == 1
