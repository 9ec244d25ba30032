"""The sandbox's per-instance imports of workflow modules reuse code compiled once."""

from __future__ import annotations

import importlib
import importlib.machinery
import sys
import uuid
from pathlib import Path

import pytest

from agentpaas.workflow_code_cache import WorkflowCodeCache


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A package on disk with a module that keeps state in its globals."""
    name = f"cached_pkg_{uuid.uuid4().hex[:8]}"
    (tmp_path / name).mkdir()
    (tmp_path / name / "__init__.py").write_text("")
    (tmp_path / name / "flow.py").write_text("SEEN = []\n\nclass Flow:\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    return name


def _fresh_import(name: str) -> object:
    """Import ``name`` as the sandbox does for each instance: nothing of it in sys.modules."""
    for loaded in [m for m in sys.modules if m == name or m.startswith(name.split(".")[0])]:
        del sys.modules[loaded]
    return importlib.import_module(name)


def test_each_import_is_a_new_module_from_code_compiled_once(
    package: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled: list[str] = []
    original = importlib.machinery.SourceFileLoader.get_code

    def counting_get_code(self: importlib.machinery.SourceFileLoader, fullname: str) -> object:
        compiled.append(fullname)
        return original(self, fullname)

    monkeypatch.setattr(importlib.machinery.SourceFileLoader, "get_code", counting_get_code)
    cache = WorkflowCodeCache([package])
    monkeypatch.setattr(sys, "meta_path", [cache, *sys.meta_path])

    first = _fresh_import(f"{package}.flow")
    first.SEEN.append("run 1")  # type: ignore[attr-defined]
    second = _fresh_import(f"{package}.flow")

    assert first is not second
    assert second.SEEN == []  # type: ignore[attr-defined]  # runs share no state
    assert first.Flow is not second.Flow  # type: ignore[attr-defined]
    assert second.__file__ == first.__file__ and second.__file__.endswith("flow.py")  # type: ignore[union-attr]
    assert compiled.count(f"{package}.flow") == 1
    assert compiled.count(package) == 1  # the package's __init__ too


def test_modules_of_other_packages_are_left_to_the_usual_finders(package: str) -> None:
    cache = WorkflowCodeCache(["temporal_workflows"])
    assert cache.find_spec(f"{package}.flow", None) is None
    assert cache.find_spec("temporal_workflows_elsewhere", None) is None
