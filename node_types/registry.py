"""The registry of node types: one entry per node-type module, in a fixed order.

To add a node type (e.g. `code`), write a module exporting `NODE_TYPE`, `state_reads`,
`state_writes`, `config_expressions` (and `config_problems`, `run` when relevant) and
append it to `_MODULES`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from node_types import code, human, llm, rag, router, tool, transform
from node_types.spec import NodeTypeSpec

_MODULES: tuple[ModuleType, ...] = (llm, tool, rag, human, router, transform, code)

ConfigFn = Callable[[dict[str, Any]], list[Any]]


@dataclass(frozen=True)
class NodeTypeEntry:
    """A node type's catalogue spec plus the hooks validation and the interpreter use."""

    spec: NodeTypeSpec
    state_reads: ConfigFn
    state_writes: ConfigFn
    config_expressions: ConfigFn
    config_problems: ConfigFn
    run: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]] | None

    @property
    def name(self) -> str:
        """The type name used in definitions."""
        return self.spec.type_name


class UnknownNodeType(KeyError):
    """No node type of that name is registered."""


def _no_problems(config: dict[str, Any]) -> list[Any]:
    return []


def _entry(module: ModuleType) -> NodeTypeEntry:
    spec: NodeTypeSpec = module.NODE_TYPE
    return NodeTypeEntry(
        spec=spec,
        state_reads=module.state_reads,
        state_writes=module.state_writes,
        config_expressions=module.config_expressions,
        config_problems=getattr(module, "config_problems", _no_problems),
        run=getattr(module, "run", None) if spec.execution == "inline" else None,
    )


_ENTRIES: dict[str, NodeTypeEntry] = {e.name: e for e in (_entry(m) for m in _MODULES)}


def get_node_type(name: str) -> NodeTypeEntry:
    """The registered node type `name`; raises UnknownNodeType."""
    try:
        return _ENTRIES[name]
    except KeyError:
        raise UnknownNodeType(name) from None


def all_node_types() -> list[NodeTypeEntry]:
    """Every registered node type, in registration order."""
    return list(_ENTRIES.values())


def node_type_names() -> list[str]:
    """Names of the registered node types, in registration order."""
    return list(_ENTRIES)
