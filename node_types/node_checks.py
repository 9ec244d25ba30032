"""Validation of nodes: unique names, known types, configs against their types' schemas."""

from __future__ import annotations

from typing import Any

import jsonschema

from node_types.errors import Problem
from node_types.ir import NodeSpec
from node_types.problem_codes import ProblemCode
from node_types.registry import NodeTypeEntry, node_type_names
from node_types.schema_errors import schema_error_code
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
            message = f"duplicate node name {node.name!r} (first used by /nodes/{first})"
            code = ProblemCode.NODE_DUPLICATE_NAME
            problems.append(Problem.at(f"{base}/name", message, code, node=node.name, first=first))
        else:
            first_index[node.name] = i
        if node.name in parts.state:
            message = f"node name {node.name!r} is also a state key; LangGraph needs them distinct"
            code = ProblemCode.NODE_NAME_IS_STATE_KEY
            problems.append(Problem.at(f"{base}/name", message, code, node=node.name))
        entry = node_entry(node)
        if entry is None:
            known = ", ".join(node_type_names())
            message = f"unknown node type {node.type!r} (known: {known})"
            code = ProblemCode.NODE_UNKNOWN_TYPE
            problems.append(Problem.at(f"{base}/type", message, code, type=node.type, known=known))
            continue
        problems += _config_problems(base, entry, node)
    return problems


def _config_problems(base: str, entry: NodeTypeEntry, node: NodeSpec) -> list[Problem]:
    config = merged_config(entry, node)
    validator = jsonschema.Draft202012Validator(entry.spec.config_schema)
    errors = sorted(validator.iter_errors(config), key=lambda e: [str(p) for p in e.absolute_path])
    problems = [_schema_problem(f"{base}/config{pointer(e.absolute_path)}", e) for e in errors]
    if problems:
        return problems  # the semantic hooks assume a schema-valid config
    problems += [_hook_problem(f"{base}/config", found) for found in entry.config_problems(config)]
    for path, kind, text in entry.config_expressions(config):
        problem = expression_problem(f"{base}/config{path}", text, template=kind == "template")
        if problem is not None:
            problems.append(problem)
    return problems


def _schema_problem(path: str, error: jsonschema.ValidationError) -> Problem:
    code, params = schema_error_code(error)
    return Problem(path=path, message=error.message, code=code, params=params)


def _hook_problem(base: str, found: Any) -> Problem:
    """A node type's `(pointer, message)`; a ConfigProblem brings its own code."""
    path, message = found
    code = getattr(found, "code", ProblemCode.NODE_CONFIG_INVALID)
    params = getattr(found, "params", {"detail": message})
    return Problem(path=f"{base}{path}", message=message, code=code, params=params)
