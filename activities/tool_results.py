"""Shaping a tool's result for the conversation: validated arguments in, bounded content out."""

from __future__ import annotations

import json
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

TRUNCATION_MARKER = "…[truncated: {kept} of {total} bytes]"
MAX_ARGUMENT_ERRORS = 5


def argument_errors(schema: dict[str, Any], arguments: dict[str, Any]) -> list[str]:
    """Why ``arguments`` do not satisfy the tool's input schema (empty when they do)."""
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError:
        return ["the tool's input schema is invalid; it cannot be called safely"]
    errors = sorted(
        Draft202012Validator(schema).iter_errors(arguments), key=lambda e: list(e.absolute_path)
    )
    return [
        f"{'/' + '/'.join(str(p) for p in e.absolute_path) if e.absolute_path else '(root)'}: "
        f"{e.message}"
        for e in errors[:MAX_ARGUMENT_ERRORS]
    ]


def bounded(content: Any, max_bytes: int) -> Any:
    """``content`` as is when its JSON fits in ``max_bytes``; else truncated text with a marker."""
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return content
    kept = data[:max_bytes].decode("utf-8", errors="ignore")
    return kept + TRUNCATION_MARKER.format(kept=len(kept.encode("utf-8")), total=len(data))
