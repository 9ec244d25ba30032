"""Codes and params for schema errors: JSON-Schema (jsonschema) and IR shape (pydantic).

Both kinds map onto the same `schema.<keyword>` codes, so a reader sees "required",
"must be a string", "at least 1 character" the same way wherever the rule came from.
"""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema

from node_types.errors import ParamValue
from node_types.problem_codes import ProblemCode

Coded = tuple[ProblemCode, dict[str, ParamValue]]

# jsonschema keywords whose params are the keyword's own value, named `limit`.
_LIMIT_KEYWORDS = (
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
)
_BARE_KEYWORDS = ("uniqueItems", "anyOf", "oneOf", "not")

# pydantic error type -> (the JSON-Schema keyword it means, the ctx entry holding its value).
_PYDANTIC_LIMITS = {
    "greater_than_equal": ("minimum", "ge"),
    "greater_than": ("exclusiveMinimum", "gt"),
    "less_than_equal": ("maximum", "le"),
    "less_than": ("exclusiveMaximum", "lt"),
    "multiple_of": ("multipleOf", "multiple_of"),
    "string_too_short": ("minLength", "min_length"),
    "string_too_long": ("maxLength", "max_length"),
    "too_short": ("minItems", "min_length"),
    "too_long": ("maxItems", "max_length"),
}
# pydantic type errors -> the JSON type named in the message.
_PYDANTIC_TYPES = {
    "string": "string",
    "int": "integer",
    "float": "number",
    "bool": "boolean",
    "dict": "object",
    "model": "object",
    "list": "array",
}
# The IR's own validators raise ValueError with these texts (node_types/ir.py).
_IR_VALUE_ERRORS = {
    "a fanout edge has either `targets` or `target` + `over`": (
        ProblemCode.EDGE_FANOUT_TARGETS_OR_OVER
    ),
    "`targets` must name at least one node": ProblemCode.EDGE_FANOUT_NO_TARGETS,
    "a dynamic fanout needs both `target` and `over`": (
        ProblemCode.EDGE_FANOUT_NEEDS_TARGET_AND_OVER
    ),
}


def param_value(value: Any) -> ParamValue:
    """A JSON scalar as it is; lists and objects as compact JSON text."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "), default=str)


def schema_error_code(error: jsonschema.ValidationError) -> Coded:
    """The code and params of one jsonschema error, by the keyword that failed."""
    keyword = str(error.validator)
    value = error.validator_value
    if keyword == "required":
        missing = _missing_property(error)
        return ProblemCode.SCHEMA_REQUIRED, {"property": missing}
    if keyword == "type":
        expected = ", ".join(value) if isinstance(value, list) else str(value)
        return ProblemCode.SCHEMA_TYPE, {"expected": expected}
    if keyword == "enum":
        allowed = ", ".join(json.dumps(v, ensure_ascii=False) for v in value)
        return ProblemCode.SCHEMA_ENUM, {"allowed": allowed}
    if keyword == "const":
        return ProblemCode.SCHEMA_CONST, {"expected": json.dumps(value, ensure_ascii=False)}
    if keyword in _LIMIT_KEYWORDS:
        return ProblemCode(f"schema.{keyword}"), {"limit": param_value(value)}
    if keyword in _BARE_KEYWORDS:
        return ProblemCode(f"schema.{keyword}"), {}
    if keyword == "additionalProperties":
        return ProblemCode.SCHEMA_ADDITIONAL_PROPERTIES, {"properties": _extras(error)}
    if keyword == "pattern":
        return ProblemCode.SCHEMA_PATTERN, {"pattern": str(value)}
    if keyword == "format":
        return ProblemCode.SCHEMA_FORMAT, {"format": str(value)}
    return ProblemCode.SCHEMA_OTHER, {"keyword": keyword, "detail": error.message}


def shape_error_code(error: Any) -> Coded:
    """The code and params of one pydantic error on the IR (`ValidationError.errors()` item)."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    loc = error.get("loc") or ()
    if kind == "missing":
        return ProblemCode.SCHEMA_REQUIRED, {"property": str(loc[-1]) if loc else ""}
    if kind == "extra_forbidden":
        return ProblemCode.SCHEMA_ADDITIONAL_PROPERTIES, {"properties": str(loc[-1]) if loc else ""}
    if kind in _PYDANTIC_LIMITS:
        keyword, name = _PYDANTIC_LIMITS[kind]
        return ProblemCode(f"schema.{keyword}"), {"limit": param_value(ctx.get(name))}
    if kind == "string_pattern_mismatch":
        return ProblemCode.SCHEMA_PATTERN, {"pattern": str(ctx.get("pattern", ""))}
    if kind == "literal_error":
        return ProblemCode.SCHEMA_ENUM, {"allowed": str(ctx.get("expected", ""))}
    if kind == "union_tag_invalid":
        return ProblemCode.EDGE_UNKNOWN_KIND, {
            "kind": str(ctx.get("tag", "")),
            "expected": str(ctx.get("expected_tags", "")),
        }
    type_name = re.match(r"^([a-z]+)_(type|parsing)$", kind)
    if type_name and type_name.group(1) in _PYDANTIC_TYPES:
        return ProblemCode.SCHEMA_TYPE, {"expected": _PYDANTIC_TYPES[type_name.group(1)]}
    if kind == "value_error":
        text = str(error.get("msg", "")).removeprefix("Value error, ")
        if text in _IR_VALUE_ERRORS:
            return _IR_VALUE_ERRORS[text], {}
    return ProblemCode.SHAPE_INVALID, {"detail": str(error.get("msg", ""))}


def _missing_property(error: jsonschema.ValidationError) -> str:
    # One error per missing property, which only the message names: find whose it is.
    for name in error.validator_value:
        if error.message == f"{name!r} is a required property":
            return str(name)
    return ""


def _extras(error: jsonschema.ValidationError) -> str:
    instance = error.instance if isinstance(error.instance, dict) else {}
    schema = error.schema if isinstance(error.schema, dict) else {}
    known = set(schema.get("properties") or {})
    patterns = list(schema.get("patternProperties") or {})
    extras = [
        key for key in instance if key not in known and not any(re.search(p, key) for p in patterns)
    ]
    return ", ".join(extras)
