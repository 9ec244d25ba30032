"""Limits and value helpers shared by the expression evaluator and its functions.

Evaluation cost is bounded twice: every AST visit and every element a function walks
charges a budget, and every string/list/dict an expression *produces* is size-checked,
so `"a" * 10**9`, `10 ** 10**9` and friends fail before any work is done.
"""

from __future__ import annotations

import json
import math
from typing import Any

from node_types.errors import ExpressionError

MAX_SEQUENCE = 100_000  # longest string / list / dict an expression may produce
MAX_INT_BITS = 256  # largest integer an expression may produce
EVAL_BUDGET = 1_000_000  # AST visits + elements walked by functions, per evaluation


class Budget:
    """Counts work done by one evaluation and stops it when the budget is spent."""

    def __init__(self, limit: int = EVAL_BUDGET):
        self.remaining = limit

    def charge(self, units: int = 1) -> None:
        """Spend `units`; raise ExpressionError once the budget is exhausted."""
        self.remaining -= max(units, 1)
        if self.remaining < 0:
            raise ExpressionError("expression is too expensive to evaluate")


def is_number(value: Any) -> bool:
    """True for int/float but not bool (JSON booleans are not numbers here)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def kind(value: Any) -> str:
    """The JSON type name of a value, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if is_number(value):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "list"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def checked(value: Any) -> Any:
    """Return `value` if it is within the size limits for produced values, else raise."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        if value.bit_length() > MAX_INT_BITS:
            raise ExpressionError(f"integer result is larger than {MAX_INT_BITS} bits")
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ExpressionError("number result is not finite")
    elif isinstance(value, str | list | dict) and len(value) > MAX_SEQUENCE:
        raise ExpressionError(f"result is longer than {MAX_SEQUENCE} items/characters")
    return value


def to_text(value: Any) -> str:
    """How a value reads inside text: null → "", booleans → true/false, lists/objects → JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)
