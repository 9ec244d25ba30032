"""The workflow modules' compiled code, kept once per process for the sandbox's re-imports.

Temporal's sandbox imports a workflow's module afresh for every new workflow instance:
that is how it keeps runs apart. Python makes that cheap with the bytecode in
``__pycache__``, but where it cannot use it (``PYTHONDONTWRITEBYTECODE`` with a stale or
missing ``.pyc``, a read-only install) or where another import hook owns the file loader
(beartype's claw, which fastmcp's storage dependency installs), every new run compiled
``temporal_workflows/agent_run.py`` from source again: ≈ 9 ms of a run's worker CPU, and
on the path to its first token (bench/profile_run.py).

:class:`WorkflowCodeCache` serves the modules of the packages it is given from code
compiled once. Executing a code object in a fresh module namespace is what any import
does, so each instance still gets its own module, classes and globals.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from types import CodeType, ModuleType


@dataclass(frozen=True)
class _Compiled:
    origin: str
    code: CodeType
    search_locations: list[str] | None  # a package's, else None


class _CodeLoader(importlib.abc.Loader):
    """Executes already compiled code in the new module."""

    def __init__(self, code: CodeType) -> None:
        self._code = code

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        """The default module object."""
        return None

    def exec_module(self, module: ModuleType) -> None:
        """Run the module's code in its namespace."""
        exec(self._code, module.__dict__)  # noqa: S102 - the module's own compiled source


class WorkflowCodeCache(importlib.abc.MetaPathFinder):
    """A finder for ``packages``' source modules that compiles each one once."""

    def __init__(self, packages: Sequence[str]) -> None:
        self._packages = tuple(packages)
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        """A spec whose loader runs the cached code; None for modules of other packages."""
        if not any(fullname == p or fullname.startswith(p + ".") for p in self._packages):
            return None
        compiled = self._compiled.get(fullname) or self._compile(fullname, path)
        if compiled is None:
            return None  # not a source module: the usual finders handle it
        spec = importlib.machinery.ModuleSpec(
            fullname,
            _CodeLoader(compiled.code),
            origin=compiled.origin,
            is_package=compiled.search_locations is not None,
        )
        if compiled.search_locations is not None:
            spec.submodule_search_locations = list(compiled.search_locations)
        spec.has_location = True
        return spec

    def _compile(self, fullname: str, path: Sequence[str] | None) -> _Compiled | None:
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        loader = spec.loader if spec is not None else None
        if spec is None or spec.origin is None or not isinstance(loader, importlib.abc.Loader):
            return None
        get_code = getattr(loader, "get_code", None)
        code = get_code(fullname) if get_code is not None else None
        if code is None:
            return None
        search = spec.submodule_search_locations
        compiled = _Compiled(spec.origin, code, list(search) if search is not None else None)
        with self._lock:
            return self._compiled.setdefault(fullname, compiled)


def install_workflow_code_cache(packages: Sequence[str]) -> WorkflowCodeCache:
    """Put a cache for ``packages`` first on ``sys.meta_path`` (once per process)."""
    for finder in sys.meta_path:
        if isinstance(finder, WorkflowCodeCache) and finder._packages == tuple(packages):
            return finder
    cache = WorkflowCodeCache(packages)
    sys.meta_path.insert(0, cache)
    return cache
