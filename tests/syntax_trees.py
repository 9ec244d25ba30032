"""Parsing our source files in the tests that read code (import direction, shape, purity)."""

from __future__ import annotations

import ast
import gc
from pathlib import Path


def parse_file(path: Path) -> ast.Module:
    """The file's syntax tree, built with the garbage collector paused.

    CPython 3.11 (gh-106905) can fail an AST build with "AST constructor recursion depth
    mismatch" when a collection runs finalizers (the suite's event loops, sockets) in the
    middle of it; paused, nothing else runs Python code during the build.
    """
    source = path.read_text(encoding="utf-8")
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return ast.parse(source, filename=str(path))
    finally:
        if was_enabled:
            gc.enable()
