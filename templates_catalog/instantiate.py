"""instantiate: template + parameters → a raw definition that passes validate_definition."""

from __future__ import annotations

import copy
from typing import Any

import jsonschema

from node_types.errors import Problem
from node_types.problem_codes import ProblemCode
from node_types.schema_errors import schema_error_code
from node_types.validation import validate_definition
from templates_catalog.spec import TemplateSpec

PARAM_KEY = "$param"


class TemplateParametersInvalid(ValueError):
    """The parameters do not match the template's parameter schema; lists every problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.path}: {p.message}" for p in problems))


class TemplateDefinitionInvalid(ValueError):
    """The instantiated definition fails validation (a template bug or a bad parameter)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.path}: {p.message}" for p in problems))


def instantiate(template: TemplateSpec, parameters: dict[str, Any] | None = None) -> dict[str, Any]:
    """Validate `parameters` (defaults applied) and substitute them into the definition.

    Raises TemplateParametersInvalid with every parameter problem (paths like
    "/parameters/top_k"), or TemplateDefinitionInvalid if the result does not validate.
    """
    values = with_defaults(template.parameter_schema, parameters or {})
    problems = parameter_problems(template.parameter_schema, values)
    if problems:
        raise TemplateParametersInvalid(problems)
    undeclared = undeclared_references(template.definition, values)
    if undeclared:
        raise TemplateDefinitionInvalid(undeclared)
    definition = substitute(template.definition, values)
    definition_problems = validate_definition(definition)
    if definition_problems:
        raise TemplateDefinitionInvalid(definition_problems)
    return definition


def with_defaults(schema: dict[str, Any], parameters: dict[str, Any]) -> dict[str, Any]:
    """A copy of `parameters` with the schema's property defaults filled in (recursively)."""
    if not isinstance(parameters, dict):
        return parameters
    result = copy.deepcopy(parameters)
    for name, prop in (schema.get("properties") or {}).items():
        if name not in result and "default" in prop:
            result[name] = copy.deepcopy(prop["default"])
        if isinstance(result.get(name), dict) and prop.get("type") == "object":
            result[name] = with_defaults(prop, result[name])
    return result


def parameter_problems(schema: dict[str, Any], parameters: Any) -> list[Problem]:
    """Every way `parameters` fails the schema, as Problems under /parameters."""
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(
        validator.iter_errors(parameters), key=lambda e: [str(p) for p in e.absolute_path]
    )
    return [_parameter_problem(e) for e in errors]


def _parameter_problem(error: jsonschema.ValidationError) -> Problem:
    code, params = schema_error_code(error)
    path = "/parameters" + _pointer(error.absolute_path)
    return Problem(path=path, message=error.message, code=code, params=params)


def substitute(value: Any, parameters: dict[str, Any]) -> Any:
    """Replace every `{"$param": name}` in `value` with `parameters[name]` (deep copy)."""
    if isinstance(value, dict):
        if set(value) == {PARAM_KEY}:
            name = value[PARAM_KEY]
            if name not in parameters:
                raise KeyError(f"template references unknown parameter {name!r}")
            return copy.deepcopy(parameters[name])
        return {k: substitute(v, parameters) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, parameters) for v in value]
    return value


def undeclared_references(definition: Any, parameters: dict[str, Any]) -> list[Problem]:
    """A Problem for every `{"$param": name}` whose name has no value (the schema lacks it)."""
    problems: list[Problem] = []

    def walk(value: Any, path: list[Any]) -> None:
        if isinstance(value, dict):
            if set(value) == {PARAM_KEY}:
                name = value[PARAM_KEY]
                if not isinstance(name, str) or name not in parameters:
                    problems.append(
                        Problem(
                            path=_pointer(path),
                            message=f"references parameter {name!r}, "
                            "which the parameter schema does not declare",
                            code=ProblemCode.TEMPLATE_UNKNOWN_PARAMETER,
                            params={"parameter": str(name)},
                        )
                    )
                return
            for key, item in value.items():
                walk(item, [*path, key])
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, [*path, index])

    walk(definition, [])
    return problems


def parameter_references(value: Any) -> list[str]:
    """Names of every parameter a definition references, in document order."""
    if isinstance(value, dict):
        if set(value) == {PARAM_KEY}:
            return [value[PARAM_KEY]]
        return [name for v in value.values() for name in parameter_references(v)]
    if isinstance(value, list):
        return [name for v in value for name in parameter_references(v)]
    return []


def _pointer(path: Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)
