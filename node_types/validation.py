"""validate_definition: every problem of a raw workflow definition, each with a JSON pointer.

Shape errors come from the pydantic IR; the other checks (state keys, nodes, edges,
graph shape, data flow) run on whatever parts did parse, so one call reports them all.
Checks that would only echo an earlier problem (e.g. reachability when an edge failed
to parse) stand down.
"""

from __future__ import annotations

import keyword
import re
from typing import Any

from pydantic import ValidationError

from node_types.dataflow_checks import dataflow_problems
from node_types.edge_checks import edge_problems, graph_problems
from node_types.errors import Problem
from node_types.expressions import CONSTANT_NAMES
from node_types.ir import STATE_KEY_PATTERN, StateKey, WorkflowDefinition
from node_types.node_checks import node_problems
from node_types.state_types import schema_problems, type_problem
from node_types.validation_parts import DefinitionParts, escape, parse_parts, pointer

_EDGE_TAGS = {"normal", "conditional", "fanout"}


def validate_definition(raw: Any) -> list[Problem]:
    """Every problem with `raw` (empty list = valid): shape first, then each check in turn."""
    if not isinstance(raw, dict):
        return [Problem.at("", "a workflow definition must be a JSON object")]
    problems: list[Problem] = []
    try:
        WorkflowDefinition.model_validate(raw)
    except ValidationError as exc:
        problems += [_shape_problem(err) for err in exc.errors()]
    parts = parse_parts(raw)
    problems += state_problems(parts)
    problems += node_problems(parts)
    problems += edge_problems(parts)
    problems += graph_problems(parts)
    problems += dataflow_problems(parts)
    return list(dict.fromkeys(problems))  # drop repeats, keep order


def state_problems(parts: DefinitionParts) -> list[Problem]:
    """State key names usable in expressions, valid types, defaults fitting type and reducer."""
    problems = []
    raw_state = parts.raw.get("state") if isinstance(parts.raw.get("state"), dict) else {}
    for key, spec in parts.state.items():
        path = f"/state/{escape(key)}"
        if not re.match(STATE_KEY_PATTERN, key) or key.startswith("__"):
            message = f"state key {key!r} must be an identifier (letters, digits, _; no leading __)"
            problems.append(Problem.at(path, message))
        elif keyword.iskeyword(key) or key in CONSTANT_NAMES:
            problems.append(Problem.at(path, f"state key {key!r} is a reserved word"))
        problems += [Problem.at(f"{path}/type", m) for m in schema_problems(spec.type)]
        if "default" in raw_state.get(key, {}) and spec.default is not None:
            problems += _default_problems(path, spec)
    return problems


def _default_problems(path: str, spec: StateKey) -> list[Problem]:
    needs = {"append": list, "add_messages": list, "merge": dict}.get(spec.reducer)
    if needs is not None and not isinstance(spec.default, needs):
        kind = "list" if needs is list else "object"
        return [Problem.at(f"{path}/default", f"a {spec.reducer} key's default must be a {kind}")]
    if not schema_problems(spec.type):
        problem = type_problem(spec.type, spec.default)
        if problem:
            return [Problem.at(f"{path}/default", problem)]
    return []


def _shape_problem(error: Any) -> Problem:
    loc = list(error["loc"])
    # Discriminated unions add the tag to the location: /edges/3/fanout/targets.
    if len(loc) >= 3 and loc[0] == "edges" and loc[2] in _EDGE_TAGS:
        del loc[2]
    return Problem.at(pointer(loc), str(error["msg"]).removeprefix("Value error, "))
