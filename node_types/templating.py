"""Text templates with `{{ expression }}` placeholders, rendered from state.

Used by prompt templates (llm), instructions (human) and the like. Each placeholder is
an expression of the safe expression language; its value is inserted with `to_text`
(null → "", lists/objects → JSON). There is no other syntax.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from node_types.errors import ExpressionError
from node_types.expression_runtime import to_text
from node_types.expressions import Expression, evaluate, parse

MAX_TEMPLATE_LENGTH = 100_000
MAX_RENDERED_LENGTH = 1_000_000

Part = str | Expression


def parse_template(text: str) -> tuple[Part, ...]:
    """Split a template into literal strings and parsed expressions.

    Raises ExpressionError whose position is an offset into the whole template.
    """
    if not isinstance(text, str):
        raise ExpressionError("a template must be a string")
    return _parse_cached(text)


@lru_cache(maxsize=1024)
def _parse_cached(text: str) -> tuple[Part, ...]:
    if len(text) > MAX_TEMPLATE_LENGTH:
        raise ExpressionError(f"template is longer than {MAX_TEMPLATE_LENGTH} characters", 0, text)
    parts: list[Part] = []
    cursor = 0
    while True:
        start = text.find("{{", cursor)
        if start < 0:
            parts.append(text[cursor:])
            break
        end = text.find("}}", start + 2)
        if end < 0:
            raise ExpressionError("'{{' without a closing '}}'", start, text)
        parts.append(text[cursor:start])
        inner = text[start + 2 : end]
        try:
            parts.append(parse(inner))
        except ExpressionError as exc:
            offset = start + 2 + (exc.position or 0)
            raise ExpressionError(f"in placeholder: {exc.message}", offset, text) from None
        cursor = end + 2
    return tuple(p for p in parts if p != "")


def render(text: str, scope: Mapping[str, Any]) -> str:
    """Render a template against `scope` (the state or a Send payload)."""
    out: list[str] = []
    size = 0
    for part in parse_template(text):
        piece = part if isinstance(part, str) else to_text(evaluate(part, scope))
        size += len(piece)
        if size > MAX_RENDERED_LENGTH:
            raise ExpressionError(f"rendered text is longer than {MAX_RENDERED_LENGTH} characters")
        out.append(piece)
    return "".join(out)


def template_keys(text: str) -> list[str]:
    """State keys read by the template's placeholders, in order of first appearance."""
    keys: list[str] = []
    for part in parse_template(text):
        if isinstance(part, Expression):
            keys.extend(k for k in part.keys if k not in keys)
    return keys
