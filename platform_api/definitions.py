"""Turning definitions and templates into compiled plans, with every problem as a 422.

The one place where the engine's problem lists become API validation errors, so
agents, versions and templates report them the same way (JSON pointers prefixed
with where in the request the definition sits).
"""

from __future__ import annotations

from typing import Any

import jsonschema

from node_types.compiler import compile_plan
from node_types.errors import DefinitionInvalid, Problem
from node_types.plan import ExecutionPlan
from platform_api.errors import ValidationFailed
from platform_core.models import WorkflowTemplate
from templates_catalog import (
    TemplateDefinitionInvalid,
    TemplateParametersInvalid,
    TemplateSpec,
    instantiate,
)


def _errors(problems: list[Problem], prefix: str) -> list[dict[str, Any]]:
    # code + params let clients translate; message stays the English text.
    return [
        {"path": prefix + p.path, "message": p.message, "code": p.code.value, "params": p.params}
        for p in problems
    ]


def compile_definition(definition: dict[str, Any], *, prefix: str) -> ExecutionPlan:
    """Validate and compile; 422 listing every problem (paths under ``prefix``)."""
    try:
        return compile_plan(definition)
    except DefinitionInvalid as exc:
        raise ValidationFailed(
            f"the workflow definition has {len(exc.problems)} problem(s)",
            errors=_errors(exc.problems, prefix),
        ) from exc


def template_spec(row: WorkflowTemplate) -> TemplateSpec:
    """The engine's view of a stored template."""
    return TemplateSpec(
        name=row.name,
        display_name=row.display_name,
        description=row.description or "",
        category=row.category,
        version=row.version,
        status=row.status,
        parameter_schema=row.parameter_schema,
        definition=row.template_definition,
    )


def instantiate_template(
    row: WorkflowTemplate, parameters: dict[str, Any], *, prefix: str
) -> tuple[dict[str, Any], ExecutionPlan]:
    """Instantiate a stored template and compile the result; 422 on bad parameters."""
    try:
        definition = instantiate(template_spec(row), parameters)
    except TemplateParametersInvalid as exc:
        raise ValidationFailed(
            "the template parameters are invalid", errors=_errors(exc.problems, prefix)
        ) from exc
    except TemplateDefinitionInvalid as exc:
        raise ValidationFailed(
            "the template does not produce a valid definition with these parameters",
            errors=_errors(exc.problems, "/template/definition"),
        ) from exc
    return definition, compile_definition(definition, prefix="/template/definition")


def check_parameter_schema(schema: dict[str, Any], *, prefix: str) -> None:
    """422 unless ``schema`` is a valid JSON Schema describing an object."""
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.exceptions.SchemaError as exc:
        raise ValidationFailed(
            "parameter_schema is not a valid JSON Schema",
            errors=[{"path": prefix, "message": exc.message}],
        ) from exc
    if schema.get("type", "object") != "object":
        raise ValidationFailed(
            "parameter_schema must describe an object",
            errors=[{"path": prefix + "/type", "message": "must be 'object'"}],
        )
