"""validate_definition: every problem of a raw workflow definition, each with a JSON pointer.

Shape errors come from the pydantic IR; the remaining checks run on whatever parts did
parse, so one call reports shape, node-config, expression, edge, reachability, cycle and
data-flow problems together. Checks that would only echo an earlier problem (e.g.
reachability when an edge failed to parse) are skipped.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from typing import Any

import jsonschema
from pydantic import TypeAdapter, ValidationError

from node_types.errors import ExpressionError, Problem
from node_types.expressions import CONSTANT_NAMES, parse
from node_types.graph_checks import find_cycle, reachable_from_start, reaching_end
from node_types.ir import (
    END,
    START,
    STATE_KEY_PATTERN,
    ConditionalEdge,
    Edge,
    FanoutEdge,
    NodeSpec,
    NormalEdge,
    StateKey,
    WorkflowDefinition,
    edge_targets,
)
from node_types.registry import NodeTypeEntry, get_node_type, node_type_names
from node_types.state_types import schema_problems, type_problem
from node_types.templating import parse_template, template_keys

_EDGE_ADAPTER: TypeAdapter[Any] = TypeAdapter(Edge)
_EDGE_TAGS = {"normal", "conditional", "fanout"}


@dataclass
class _Parts:
    """The pieces of a definition that parsed, with their indexes in the raw document."""

    raw: dict[str, Any]
    state: dict[str, StateKey] = field(default_factory=dict)
    nodes: list[tuple[int, NodeSpec]] = field(default_factory=list)
    edges: list[tuple[int, Any]] = field(default_factory=list)
    node_names: set[str] = field(default_factory=set)  # includes names of unparsed nodes
    complete: bool = True


@dataclass
class _Read:
    key: str
    path: str
    node: str | None  # None for reads by edges (their view is the state)


def validate_definition(raw: Any) -> list[Problem]:
    """Every problem with `raw` (empty list = valid): shape first, then each check in turn."""
    if not isinstance(raw, dict):
        return [Problem(path="", message="a workflow definition must be a JSON object")]
    problems: list[Problem] = []
    try:
        WorkflowDefinition.model_validate(raw)
    except ValidationError as exc:
        problems += [_shape_problem(err) for err in exc.errors()]
    parts = _parse_parts(raw)
    problems += _state_problems(parts)
    problems += _node_problems(parts)
    problems += _edge_problems(parts)
    problems += _graph_problems(parts)
    problems += _data_flow_problems(parts)
    return _unique(problems)


def _shape_problem(error: Any) -> Problem:
    loc = list(error["loc"])
    # Discriminated unions add the tag to the location: /edges/3/fanout/targets.
    if len(loc) >= 3 and loc[0] == "edges" and loc[2] in _EDGE_TAGS:
        del loc[2]
    message = str(error["msg"]).removeprefix("Value error, ")
    return Problem(path=_pointer(loc), message=message)


def _parse_parts(raw: dict[str, Any]) -> _Parts:
    parts = _Parts(raw=raw)
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
    edges = raw.get("edges")
    for i, value in enumerate(edges if isinstance(edges, list) else []):
        if isinstance(value, dict) and "type" not in value:
            value = {"type": "normal", **value}
        try:
            parts.edges.append((i, _EDGE_ADAPTER.validate_python(value)))
        except ValidationError:
            parts.complete = False
    if not isinstance(nodes, list) or not isinstance(edges if edges is not None else [], list):
        parts.complete = False
    return parts


def _state_problems(parts: _Parts) -> list[Problem]:
    problems = []
    raw_state = parts.raw.get("state") if isinstance(parts.raw.get("state"), dict) else {}
    for key, spec in parts.state.items():
        path = f"/state/{_escape(key)}"
        if not re.match(STATE_KEY_PATTERN, key) or key.startswith("__"):
            problems.append(
                Problem(
                    path=path,
                    message=f"state key {key!r} must be an identifier "
                    "(letters, digits, _; not starting with __)",
                )
            )
        elif keyword.iskeyword(key) or key in CONSTANT_NAMES:
            problems.append(Problem(path=path, message=f"state key {key!r} is a reserved word"))
        problems += [Problem(path=f"{path}/type", message=m) for m in schema_problems(spec.type)]
        if "default" in raw_state.get(key, {}) and spec.default is not None:
            problems += _default_problems(path, spec)
    return problems


def _default_problems(path: str, spec: StateKey) -> list[Problem]:
    needs = {"append": list, "add_messages": list, "merge": dict}.get(spec.reducer)
    if needs is not None and not isinstance(spec.default, needs):
        kind = "list" if needs is list else "object"
        return [
            Problem(
                path=f"{path}/default", message=f"a {spec.reducer} key's default must be a {kind}"
            )
        ]
    if not schema_problems(spec.type):
        problem = type_problem(spec.type, spec.default)
        if problem:
            return [Problem(path=f"{path}/default", message=problem)]
    return []


def _node_problems(parts: _Parts) -> list[Problem]:
    problems = []
    first_index: dict[str, int] = {}
    for i, node in parts.nodes:
        base = f"/nodes/{i}"
        if node.name in first_index:
            problems.append(
                Problem(
                    path=f"{base}/name",
                    message=f"duplicate node name {node.name!r} "
                    f"(first used by /nodes/{first_index[node.name]})",
                )
            )
        else:
            first_index[node.name] = i
        if node.name in parts.state:
            problems.append(
                Problem(
                    path=f"{base}/name",
                    message=f"node name {node.name!r} is also a "
                    "state key; LangGraph requires them to differ",
                )
            )
        entry = _entry(node)
        if entry is None:
            known = ", ".join(node_type_names())
            problems.append(
                Problem(
                    path=f"{base}/type", message=f"unknown node type {node.type!r} (known: {known})"
                )
            )
            continue
        problems += _config_problems(base, entry, node)
    return problems


def _config_problems(base: str, entry: NodeTypeEntry, node: NodeSpec) -> list[Problem]:
    config = {**entry.spec.default_config, **node.config}
    validator = jsonschema.Draft202012Validator(entry.spec.config_schema)
    errors = sorted(validator.iter_errors(config), key=lambda e: [str(p) for p in e.absolute_path])
    problems = [
        Problem(path=f"{base}/config{_pointer(e.absolute_path)}", message=e.message) for e in errors
    ]
    if problems:
        return problems  # semantic hooks assume a schema-valid config
    problems += [
        Problem(path=f"{base}/config{pointer}", message=message)
        for pointer, message in entry.config_problems(config)
    ]
    for pointer, kind, text in entry.config_expressions(config):
        problem = _expression_problem(f"{base}/config{pointer}", text, template=kind == "template")
        if problem is not None:
            problems.append(problem)
    return problems


def _edge_problems(parts: _Parts) -> list[Problem]:
    problems = []
    seen: dict[tuple[Any, ...], int] = {}
    for i, edge in parts.edges:
        base = f"/edges/{i}"
        problems += _endpoint_problems(parts, base, edge)
        for identity in _identities(edge):
            if identity in seen:
                problems.append(
                    Problem(path=base, message=f"duplicate edge (same as /edges/{seen[identity]})")
                )
                break
            seen[identity] = i
        if isinstance(edge, ConditionalEdge):
            if not edge.mapping and edge.default is None:
                problems.append(
                    Problem(path=base, message="a conditional edge needs a mapping or a default")
                )
            problem = _expression_problem(f"{base}/condition", edge.condition, template=False)
            problems += [problem] if problem else []
        elif isinstance(edge, FanoutEdge) and edge.over is not None:
            problem = _expression_problem(f"{base}/over", edge.over, template=False)
            problems += [problem] if problem else []
    if isinstance(parts.raw.get("edges"), list) and parts.complete:
        if not any(edge.source == START for _, edge in parts.edges):
            problems.append(Problem(path="/edges", message="no edge leaves __start__"))
    return problems


def _endpoint_problems(parts: _Parts, base: str, edge: Any) -> list[Problem]:
    problems = []
    if edge.source == END:
        problems.append(Problem(path=f"{base}/source", message="no edge may leave __end__"))
    elif edge.source != START and edge.source not in parts.node_names:
        problems.append(
            Problem(path=f"{base}/source", message=f"unknown source node {edge.source!r}")
        )
    for pointer, target in _target_fields(edge):
        if target == START:
            problems.append(
                Problem(path=f"{base}{pointer}", message="no edge may lead to __start__")
            )
        elif target == END and isinstance(edge, FanoutEdge):
            problems.append(
                Problem(path=f"{base}{pointer}", message="a fan-out cannot target __end__")
            )
        elif target != END and target not in parts.node_names:
            problems.append(
                Problem(path=f"{base}{pointer}", message=f"unknown target node {target!r}")
            )
    return problems


def _target_fields(edge: Any) -> list[tuple[str, str]]:
    if isinstance(edge, NormalEdge):
        return [("/target", edge.target)]
    if isinstance(edge, ConditionalEdge):
        found = [(f"/mapping/{_escape(k)}", v) for k, v in edge.mapping.items()]
        return found + ([("/default", edge.default)] if edge.default is not None else [])
    if edge.targets is not None:
        return [(f"/targets/{j}", t) for j, t in enumerate(edge.targets)]
    return [("/target", edge.target)]


def _identities(edge: Any) -> list[tuple[Any, ...]]:
    if isinstance(edge, NormalEdge):
        return [("pair", edge.source, edge.target)]
    if isinstance(edge, ConditionalEdge):
        return [("conditional", edge.source, edge.condition)]
    if edge.targets is not None:
        pairs = [("pair", edge.source, t) for t in edge.targets]
        return pairs if len(set(pairs)) == len(pairs) else [*pairs, pairs[0]]
    return [("send", edge.source, edge.target, edge.over, edge.item_key)]


def _graph_problems(parts: _Parts) -> list[Problem]:
    if not parts.complete or not parts.nodes:
        return []  # structural gaps would make every reachability answer misleading
    adjacency = adjacency_of([edge for _, edge in parts.edges])
    forward = set(reachable_from_start(adjacency))
    backward = set(reaching_end(adjacency))
    problems = []
    for i, node in parts.nodes:
        if node.name not in forward:
            problems.append(
                Problem(
                    path=f"/nodes/{i}", message=f"node {node.name!r} is unreachable from __start__"
                )
            )
        elif node.name not in backward:
            problems.append(
                Problem(path=f"/nodes/{i}", message=f"node {node.name!r} has no path to __end__")
            )
    cycle = find_cycle(adjacency)
    if cycle is not None and "max_steps" not in parts.raw:
        problems.append(
            Problem(
                path="/max_steps",
                message="the graph loops ("
                + " → ".join(cycle)
                + "); set max_steps explicitly to bound it",
            )
        )
    return problems


def adjacency_of(edges: list[Any]) -> dict[str, list[str]]:
    """source -> every possible target, edges in order (used by the compiler too)."""
    adjacency: dict[str, list[str]] = {}
    for edge in edges:
        targets = adjacency.setdefault(edge.source, [])
        targets += [t for t in edge_targets(edge) if t not in targets]
    return adjacency


def _data_flow_problems(parts: _Parts) -> list[Problem]:
    problems: list[Problem] = []
    declared = set(parts.state)
    written = _provided_keys(parts, problems)
    payload_keys, pulled = _send_payloads(parts)
    for read in _reads(parts):
        payload = payload_keys.get(read.node or "", [])
        if read.key in payload:
            continue  # the Send payload provides it
        # A node that only ever runs as a Send target sees its payload, not the state.
        sees_state = read.node is None or read.node in pulled or read.node not in payload_keys
        if not sees_state or read.key not in declared:
            where = " or in its Send payload" if payload else ""
            problems.append(
                Problem(
                    path=read.path,
                    message=f"reads {read.key!r}, which is not a declared state key{where}",
                )
            )
        elif read.key not in written:
            problems.append(
                Problem(
                    path=read.path,
                    message=f"reads state key {read.key!r}, which no "
                    "node writes, no input provides and has no default",
                )
            )
    for i, edge in parts.edges:
        if isinstance(edge, FanoutEdge):
            for j, key in enumerate(edge.include):
                if key not in declared:
                    problems.append(
                        Problem(
                            path=f"/edges/{i}/include/{j}", message=f"unknown state key {key!r}"
                        )
                    )
    return problems


def _provided_keys(parts: _Parts, problems: list[Problem]) -> set[str]:
    raw_state = parts.raw.get("state") if isinstance(parts.raw.get("state"), dict) else {}
    provided = {k for k, v in raw_state.items() if isinstance(v, dict) and "default" in v}
    inputs = parts.raw.get("inputs")
    if inputs is None:
        inputs = ["messages"] if "messages" in parts.state else []
    for j, key in enumerate(inputs if isinstance(inputs, list) else []):
        if key not in parts.state:
            problems.append(Problem(path=f"/inputs/{j}", message=f"unknown state key {key!r}"))
        provided.add(key)
    output = parts.raw.get("output")
    if isinstance(output, str) and output not in parts.state:
        problems.append(Problem(path="/output", message=f"unknown state key {output!r}"))
    for i, node in parts.nodes:
        entry = _entry(node)
        derived = (
            entry.state_writes(_config(entry, node)) if entry and _config_ok(entry, node) else []
        )
        for key in derived:
            if key not in parts.state:
                problems.append(
                    Problem(
                        path=f"/nodes/{i}/config",
                        message=f"writes {key!r}, which is not a declared state key",
                    )
                )
        for j, key in enumerate(node.writes or []):
            if key not in parts.state:
                problems.append(
                    Problem(path=f"/nodes/{i}/writes/{j}", message=f"unknown state key {key!r}")
                )
        provided |= set(derived) | set(node.writes or [])
    return provided


def _send_payloads(parts: _Parts) -> tuple[dict[str, list[str]], set[str]]:
    payloads: dict[str, list[str]] = {}
    pulled: set[str] = set()
    for _, edge in parts.edges:
        if isinstance(edge, FanoutEdge) and edge.target is not None:
            payloads.setdefault(edge.target, []).extend([edge.item_key, *edge.include])
        else:
            pulled |= set(edge_targets(edge))
    return payloads, pulled


def _reads(parts: _Parts) -> list[_Read]:
    reads: list[_Read] = []
    for i, node in parts.nodes:
        base = f"/nodes/{i}"
        entry = _entry(node)
        if entry is not None and _config_ok(entry, node):
            config = _config(entry, node)
            reads += [_Read(k, f"{base}/config", node.name) for k in entry.state_reads(config)]
            for pointer, kind, text in entry.config_expressions(config):
                reads += [_Read(k, f"{base}/config{pointer}", node.name) for k in _keys(text, kind)]
        reads += [_Read(k, f"{base}/reads/{j}", node.name) for j, k in enumerate(node.reads or [])]
    for i, edge in parts.edges:
        if isinstance(edge, ConditionalEdge):
            reads += [
                _Read(k, f"/edges/{i}/condition", None) for k in _keys(edge.condition, "expression")
            ]
        elif isinstance(edge, FanoutEdge) and edge.over is not None:
            reads += [_Read(k, f"/edges/{i}/over", None) for k in _keys(edge.over, "expression")]
    return reads


def _keys(text: str, kind: str) -> list[str]:
    try:
        return template_keys(text) if kind == "template" else list(parse(text).keys)
    except ExpressionError:
        return []  # reported by the expression check


def _expression_problem(path: str, text: str, *, template: bool) -> Problem | None:
    try:
        parse_template(text) if template else parse(text)
    except ExpressionError as exc:
        what = "template" if template else "expression"
        where = f" at position {exc.position}" if exc.position is not None else ""
        return Problem(path=path, message=f"invalid {what}: {exc.message}{where}")
    return None


def _entry(node: NodeSpec) -> NodeTypeEntry | None:
    try:
        return get_node_type(node.type)
    except KeyError:
        return None


def _config(entry: NodeTypeEntry, node: NodeSpec) -> dict[str, Any]:
    return {**entry.spec.default_config, **node.config}


def _config_ok(entry: NodeTypeEntry, node: NodeSpec) -> bool:
    return jsonschema.Draft202012Validator(entry.spec.config_schema).is_valid(_config(entry, node))


def _pointer(loc: Any) -> str:
    return "".join("/" + _escape(str(p)) for p in loc)


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))
