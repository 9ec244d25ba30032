"""Validation of edges (endpoints, duplicates, expressions) and of the graph they form."""

from __future__ import annotations

from typing import Any

from node_types.errors import Problem
from node_types.graph_checks import find_cycle, reachable_from_start, reaching_end
from node_types.ir import END, START, ConditionalEdge, FanoutEdge, NormalEdge, edge_targets
from node_types.problem_codes import ProblemCode
from node_types.validation_parts import DefinitionParts, escape, expression_problem


def edge_problems(parts: DefinitionParts) -> list[Problem]:
    """Unknown or illegal endpoints, duplicates, empty conditionals, invalid expressions."""
    problems = []
    seen: dict[tuple[Any, ...], int] = {}
    for i, edge in parts.edges:
        base = f"/edges/{i}"
        problems += _endpoint_problems(parts, base, edge)
        for identity in _identities(edge):
            if identity in seen:
                first = seen[identity]
                message = f"duplicate edge (same as /edges/{first})"
                problems.append(Problem.at(base, message, ProblemCode.EDGE_DUPLICATE, first=first))
                break
            seen[identity] = i
        if isinstance(edge, ConditionalEdge):
            if not edge.mapping and edge.default is None:
                message = "a conditional edge needs a mapping or a default"
                code = ProblemCode.EDGE_CONDITIONAL_NEEDS_MAPPING
                problems.append(Problem.at(base, message, code))
            problems += _some(
                expression_problem(f"{base}/condition", edge.condition, template=False)
            )
        elif isinstance(edge, FanoutEdge) and edge.over is not None:
            problems += _some(expression_problem(f"{base}/over", edge.over, template=False))
    if parts.complete and not any(edge.source == START for _, edge in parts.edges):
        problems.append(
            Problem.at("/edges", "no edge leaves __start__", ProblemCode.GRAPH_NO_START_EDGE)
        )
    return problems


def graph_problems(parts: DefinitionParts) -> list[Problem]:
    """Unreachable nodes, nodes with no way to __end__, loops without an explicit max_steps."""
    if not parts.complete or not parts.nodes:
        return []  # structural gaps would make every reachability answer misleading
    adjacency = adjacency_of([edge for _, edge in parts.edges])
    forward = set(reachable_from_start(adjacency))
    backward = set(reaching_end(adjacency))
    problems = []
    for i, node in parts.nodes:
        if node.name not in forward:
            message = f"node {node.name!r} is unreachable from __start__"
            code = ProblemCode.NODE_UNREACHABLE
            problems.append(Problem.at(f"/nodes/{i}", message, code, node=node.name))
        elif node.name not in backward:
            message = f"node {node.name!r} has no path to __end__"
            code = ProblemCode.NODE_NO_PATH_TO_END
            problems.append(Problem.at(f"/nodes/{i}", message, code, node=node.name))
    cycle = find_cycle(adjacency)
    if cycle is not None and "max_steps" not in parts.raw:
        loop = " → ".join(cycle)
        message = f"the graph loops ({loop}); set max_steps explicitly to bound it"
        code = ProblemCode.GRAPH_LOOP_NEEDS_MAX_STEPS
        problems.append(Problem.at("/max_steps", message, code, loop=loop))
    return problems


def adjacency_of(edges: list[Any]) -> dict[str, list[str]]:
    """source -> every node its edges can lead to, in edge order."""
    adjacency: dict[str, list[str]] = {}
    for edge in edges:
        targets = adjacency.setdefault(edge.source, [])
        targets += [t for t in edge_targets(edge) if t not in targets]
    return adjacency


def _some(problem: Problem | None) -> list[Problem]:
    return [problem] if problem is not None else []


def _endpoint_problems(parts: DefinitionParts, base: str, edge: Any) -> list[Problem]:
    problems = []
    if edge.source == END:
        message = "no edge may leave __end__"
        problems.append(Problem.at(f"{base}/source", message, ProblemCode.EDGE_SOURCE_IS_END))
    elif edge.source != START and edge.source not in parts.node_names:
        message = f"unknown source node {edge.source!r}"
        code = ProblemCode.EDGE_UNKNOWN_SOURCE
        problems.append(Problem.at(f"{base}/source", message, code, node=edge.source))
    for path, target in _target_fields(edge):
        if target == START:
            message = "no edge may lead to __start__"
            problems.append(Problem.at(f"{base}{path}", message, ProblemCode.EDGE_TARGET_IS_START))
        elif target == END and isinstance(edge, FanoutEdge):
            message = "a fan-out cannot target __end__"
            problems.append(Problem.at(f"{base}{path}", message, ProblemCode.EDGE_FANOUT_TO_END))
        elif target != END and target not in parts.node_names:
            message = f"unknown target node {target!r}"
            code = ProblemCode.EDGE_UNKNOWN_TARGET
            problems.append(Problem.at(f"{base}{path}", message, code, node=target))
    return problems


def _target_fields(edge: Any) -> list[tuple[str, str]]:
    if isinstance(edge, NormalEdge):
        return [("/target", edge.target)]
    if isinstance(edge, ConditionalEdge):
        found = [(f"/mapping/{escape(k)}", v) for k, v in edge.mapping.items()]
        return found + ([("/default", edge.default)] if edge.default is not None else [])
    if edge.targets is not None:
        return [(f"/targets/{j}", t) for j, t in enumerate(edge.targets)]
    return [("/target", edge.target)]


def _identities(edge: Any) -> list[tuple[Any, ...]]:
    # Normal edges and static fan-out targets share one identity space: a → b twice is a
    # duplicate however it is written.
    if isinstance(edge, NormalEdge):
        return [("pair", edge.source, edge.target)]
    if isinstance(edge, ConditionalEdge):
        return [("conditional", edge.source, edge.condition)]
    if edge.targets is not None:
        pairs = [("pair", edge.source, t) for t in edge.targets]
        return pairs if len(set(pairs)) == len(pairs) else [*pairs, pairs[0]]
    return [("send", edge.source, edge.target, edge.over, edge.item_key)]
