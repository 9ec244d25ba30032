"""The parsed pieces of a raw definition, and helpers shared by the validation checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import jsonschema
from pydantic import TypeAdapter, ValidationError

from node_types.errors import ExpressionError, Problem
from node_types.expressions import parse
from node_types.ir import Edge, NodeSpec, StateKey
from node_types.problem_codes import ProblemCode
from node_types.registry import NodeTypeEntry, get_node_type
from node_types.templating import parse_template, template_keys

_EDGE_ADAPTER: TypeAdapter[Any] = TypeAdapter(Edge)


@dataclass
class DefinitionParts:
    """The pieces of a definition that parsed, with their indexes in the raw document.

    Pieces that failed to parse are left out (their shape errors are reported
    separately) and `complete` turns False so whole-graph checks can stand down.
    """

    raw: dict[str, Any]
    state: dict[str, StateKey] = field(default_factory=dict)
    nodes: list[tuple[int, NodeSpec]] = field(default_factory=list)
    edges: list[tuple[int, Any]] = field(default_factory=list)
    node_names: set[str] = field(default_factory=set)  # includes names of unparsed nodes
    complete: bool = True


def parse_parts(raw: dict[str, Any]) -> DefinitionParts:
    """Parse each state key, node and edge on its own."""
    parts = DefinitionParts(raw=raw)
    state = raw.get("state")
    for key, value in state.items() if isinstance(state, dict) else []:
        try:
            parts.state[key] = StateKey.model_validate(value)
        except ValidationError:
            parts.complete = False
    nodes = raw.get("nodes")
    for i, value in enumerate(nodes if isinstance(nodes, list) else []):
        if isinstance(value, dict) and isinstance(value.get("name"), str):
            parts.node_names.add(value["name"])
        try:
            parts.nodes.append((i, NodeSpec.model_validate(value)))
        except ValidationError:
            parts.complete = False
    edges = raw.get("edges", [])
    for i, value in enumerate(edges if isinstance(edges, list) else []):
        if isinstance(value, dict) and "type" not in value:
            value = {"type": "normal", **value}
        try:
            parts.edges.append((i, _EDGE_ADAPTER.validate_python(value)))
        except ValidationError:
            parts.complete = False
    if not isinstance(nodes, list) or not isinstance(edges, list):
        parts.complete = False
    return parts


def node_entry(node: NodeSpec) -> NodeTypeEntry | None:
    """The node's registered type, or None if unknown."""
    try:
        return get_node_type(node.type)
    except KeyError:
        return None


def merged_config(entry: NodeTypeEntry, node: NodeSpec) -> dict[str, Any]:
    """The node's config over its type's defaults."""
    return {**entry.spec.default_config, **node.config}


def usable_config(node: NodeSpec) -> tuple[NodeTypeEntry, dict[str, Any]] | None:
    """(type, merged config) when the type is known and the config matches its schema."""
    entry = node_entry(node)
    if entry is None:
        return None
    config = merged_config(entry, node)
    if not jsonschema.Draft202012Validator(entry.spec.config_schema).is_valid(config):
        return None
    return entry, config


def expression_keys(text: str, kind: str) -> list[str]:
    """State keys read by an expression or template; [] if it does not parse."""
    try:
        return template_keys(text) if kind == "template" else list(parse(text).keys)
    except ExpressionError:
        return []  # reported by the expression check


def expression_problem(path: str, text: str, *, template: bool) -> Problem | None:
    """A Problem if `text` is not a valid expression (or template)."""
    try:
        parse_template(text) if template else parse(text)
    except ExpressionError as exc:
        what = "template" if template else "expression"
        where = f" at position {exc.position}" if exc.position is not None else ""
        code, params = _expression_code(exc, template=template)
        message = f"invalid {what}: {exc.message}{where}"
        return Problem(path=path, message=message, code=code, params=params)
    return None


def _expression_code(exc: ExpressionError, *, template: bool) -> tuple[ProblemCode, dict[str, Any]]:
    """The code of a parse error, and its params: the position (when known) and the detail."""
    params: dict[str, Any] = {} if exc.position is None else {"position": exc.position}
    if template:
        if exc.message == "'{{' without a closing '}}'":
            return ProblemCode.TEMPLATE_UNCLOSED, params
        return ProblemCode.TEMPLATE_INVALID, {**params, "detail": exc.message}
    if exc.message == "expression is empty":
        return ProblemCode.EXPRESSION_EMPTY, params
    if exc.message.startswith("syntax error: "):
        detail = exc.message.removeprefix("syntax error: ")
        return ProblemCode.EXPRESSION_SYNTAX, {**params, "detail": detail}
    return ProblemCode.EXPRESSION_INVALID, {**params, "detail": exc.message}


def pointer(loc: Any) -> str:
    """A JSON pointer from a sequence of keys / indexes."""
    return "".join("/" + escape(str(p)) for p in loc)


def escape(part: str) -> str:
    """Escape one JSON pointer segment (RFC 6901)."""
    return part.replace("~", "~0").replace("/", "~1")
