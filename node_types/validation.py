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

import jsonschema
from jsonschema.exceptions import best_match
from pydantic import ValidationError

from node_types.dataflow_checks import dataflow_problems
from node_types.edge_checks import edge_problems, graph_problems
from node_types.errors import Problem
from node_types.expressions import CONSTANT_NAMES
from node_types.ir import STATE_KEY_PATTERN, StateKey, WorkflowDefinition
from node_types.node_checks import node_problems
from node_types.problem_codes import ProblemCode
from node_types.schema_errors import schema_error_code, shape_error_code
from node_types.state_types import SIMPLE_TYPE_NAMES, schema_problems, type_problem
from node_types.validation_parts import DefinitionParts, escape, parse_parts, pointer

_EDGE_TAGS = {"normal", "conditional", "fanout"}


def validate_definition(raw: Any) -> list[Problem]:
    """Every problem with `raw` (empty list = valid): shape first, then each check in turn."""
    if not isinstance(raw, dict):
        message = "a workflow definition must be a JSON object"
        return [Problem.at("", message, ProblemCode.DEFINITION_NOT_OBJECT)]
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
            problems.append(
                Problem.at(path, message, ProblemCode.STATE_KEY_NOT_IDENTIFIER, key=key)
            )
        elif keyword.iskeyword(key) or key in CONSTANT_NAMES:
            message = f"state key {key!r} is a reserved word"
            problems.append(Problem.at(path, message, ProblemCode.STATE_KEY_RESERVED, key=key))
        problems += [
            _type_declaration_problem(f"{path}/type", spec, m) for m in schema_problems(spec.type)
        ]
        if "default" in raw_state.get(key, {}) and spec.default is not None:
            problems += _default_problems(path, spec)
    return problems


def _default_problems(path: str, spec: StateKey) -> list[Problem]:
    needs = {"append": list, "add_messages": list, "merge": dict}.get(spec.reducer)
    if needs is not None and not isinstance(spec.default, needs):
        kind = "list" if needs is list else "object"
        message = f"a {spec.reducer} key's default must be a {kind}"
        code = ProblemCode.STATE_DEFAULT_KIND
        return [Problem.at(f"{path}/default", message, code, reducer=spec.reducer, kind=kind)]
    if not schema_problems(spec.type):
        problem = type_problem(spec.type, spec.default)
        if problem:
            return [_default_type_problem(f"{path}/default", spec, problem)]
    return []


def _type_declaration_problem(path: str, spec: StateKey, message: str) -> Problem:
    if isinstance(spec.type, str):
        known = ", ".join(SIMPLE_TYPE_NAMES)
        return Problem.at(
            path, message, ProblemCode.STATE_UNKNOWN_TYPE, type=spec.type, known=known
        )
    detail = message.removeprefix("invalid JSON Schema: ")
    return Problem.at(path, message, ProblemCode.STATE_INVALID_SCHEMA, detail=detail)


def _default_type_problem(path: str, spec: StateKey, message: str) -> Problem:
    # type_problem says "expected <type>, got <type>" for simple types, else the schema's reason.
    simple = re.fullmatch(r"expected (\w+), got (\w+)", message)
    if isinstance(spec.type, str) and simple:
        expected, actual = simple.groups()
        code = ProblemCode.STATE_DEFAULT_TYPE
        return Problem.at(path, message, code, expected=expected, actual=actual)
    # A schema type: the same best-matching error type_problem described, by its keyword.
    schema = spec.type if isinstance(spec.type, dict) else {}
    error = best_match(jsonschema.Draft202012Validator(schema).iter_errors(spec.default))
    if error is None:  # cannot happen while type_problem found one; keep the problem anyway
        return Problem.at(path, message, ProblemCode.SCHEMA_OTHER, keyword="", detail=message)
    code, params = schema_error_code(error)
    return Problem(path=path, message=message, code=code, params=params)


def _shape_problem(error: Any) -> Problem:
    loc = list(error["loc"])
    # Discriminated unions add the tag to the location: /edges/3/fanout/targets.
    if len(loc) >= 3 and loc[0] == "edges" and loc[2] in _EDGE_TAGS:
        del loc[2]
    code, params = shape_error_code(error)
    message = str(error["msg"]).removeprefix("Value error, ")
    return Problem(path=pointer(loc), message=message, code=code, params=params)
