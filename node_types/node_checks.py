"""Validation of nodes: unique names, known types, configs against their types' schemas."""

from __future__ import annotations

import jsonschema

from node_types.errors import Problem
from node_types.ir import NodeSpec
from node_types.registry import NodeTypeEntry, node_type_names
from node_types.validation_parts import (
    DefinitionParts,
    expression_problem,
    merged_config,
    node_entry,
    pointer,
)


def node_problems(parts: DefinitionParts) -> list[Problem]:
    """Duplicate names, names shadowing state keys, unknown types and config problems."""
    problems = []
    first_index: dict[str, int] = {}
    for i, node in parts.nodes:
        base = f"/nodes/{i}"
        if node.name in first_index:
            first = first_index[node.name]
            problems.append(
                Problem.at(
                    f"{base}/name",
                    f"duplicate node name {node.name!r} (first used by /nodes/{first})",
                )
            )
        else:
            first_index[node.name] = i
        if node.name in parts.state:
            message = f"node name {node.name!r} is also a state key; LangGraph needs them distinct"
            problems.append(Problem.at(f"{base}/name", message))
        entry = node_entry(node)
        if entry is None:
            known = ", ".join(node_type_names())
            problems.append(
                Problem.at(f"{base}/type", f"unknown node type {node.type!r} (known: {known})")
            )
            continue
        problems += _config_problems(base, entry, node)
    return problems


def _config_problems(base: str, entry: NodeTypeEntry, node: NodeSpec) -> list[Problem]:
    config = merged_config(entry, node)
    validator = jsonschema.Draft202012Validator(entry.spec.config_schema)
    errors = sorted(validator.iter_errors(config), key=lambda e: [str(p) for p in e.absolute_path])
    problems = [Problem.at(f"{base}/config{pointer(e.absolute_path)}", e.message) for e in errors]
    if problems:
        return problems  # the semantic hooks assume a schema-valid config
    problems += [
        Problem.at(f"{base}/config{path}", message)
        for path, message in entry.config_problems(config)
    ]
    for path, kind, text in entry.config_expressions(config):
        problem = expression_problem(f"{base}/config{path}", text, template=kind == "template")
        if problem is not None:
            problems.append(problem)
    return problems
