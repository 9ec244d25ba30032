"""Type checks for state values: a simple JSON type name or a JSON Schema per key."""

from __future__ import annotations

from typing import Any

import jsonschema

_SIMPLE_CHECKS: dict[str, Any] = {
    "any": lambda v: True,
    "string": lambda v: isinstance(v, str),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "null": lambda v: v is None,
}

SIMPLE_TYPE_NAMES = tuple(_SIMPLE_CHECKS)


def type_problem(type_spec: str | dict[str, Any], value: Any) -> str | None:
    """Why `value` does not fit the key's type, or None if it fits (null always fits)."""
    if value is None:
        return None
    if isinstance(type_spec, str):
        check = _SIMPLE_CHECKS.get(type_spec)
        if check is None:
            return f"unknown type {type_spec!r}"
        return None if check(value) else f"expected {type_spec}, got {_json_type(value)}"
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(type_spec).iter_errors(value)
    )
    return None if error is None else f"value does not match the key's schema: {error.message}"


def schema_problems(type_spec: str | dict[str, Any]) -> list[str]:
    """Problems with a key's type declaration itself (unknown name, invalid schema)."""
    if isinstance(type_spec, str):
        if type_spec in _SIMPLE_CHECKS:
            return []
        return [
            f"unknown type {type_spec!r}; use one of {', '.join(SIMPLE_TYPE_NAMES)} or a schema"
        ]
    try:
        jsonschema.Draft202012Validator.check_schema(type_spec)
    except jsonschema.exceptions.SchemaError as exc:
        return [f"invalid JSON Schema: {exc.message}"]
    return []


def _json_type(value: Any) -> str:
    for name in ("boolean", "integer", "number", "string", "array", "object"):
        if _SIMPLE_CHECKS[name](value):
            return name
    return type(value).__name__
