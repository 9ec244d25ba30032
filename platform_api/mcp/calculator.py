"""Safe arithmetic for the bundled ``calculator`` tool: a tiny AST walker, never ``eval``.

Only number literals, the listed operators, a few math functions and two constants
are accepted; anything else (names, attributes, calls of other things, subscripts,
strings) is refused with a message naming what was found. Exponents and results are
bounded so a request cannot make the server compute a number with millions of digits.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable

MAX_EXPRESSION_CHARS = 500
MAX_EXPONENT = 1000
MAX_MAGNITUDE = 1e300
MAX_INT_DIGITS = 400

Number = int | float

BINARY: dict[type[ast.operator], Callable[[Number, Number], Number]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
UNARY: dict[type[ast.unaryop], Callable[[Number], Number]] = {
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}
FUNCTIONS: dict[str, Callable[..., Number]] = {
    "sqrt": math.sqrt,
    "log": math.log,
    "log10": math.log10,
    "exp": math.exp,
    "sin": math.sin,
    "cos": math.cos,
    "tan": math.tan,
    "abs": abs,
    "round": round,
    "floor": math.floor,
    "ceil": math.ceil,
    "min": min,
    "max": max,
}
CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e, "tau": math.tau}


class CalculationError(ValueError):
    """The expression is not arithmetic this calculator accepts, or cannot be computed."""


def calculate(expression: str) -> Number:
    """The value of an arithmetic expression such as ``2 * (3 + 4) ** 2 / sqrt(16)``."""
    text = expression.strip()
    if not text:
        raise CalculationError("the expression is empty")
    if len(text) > MAX_EXPRESSION_CHARS:
        raise CalculationError(f"the expression is longer than {MAX_EXPRESSION_CHARS} characters")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise CalculationError(f"not an arithmetic expression: {exc.msg}") from exc
    try:
        return _checked(_evaluate(tree.body))
    except ZeroDivisionError as exc:
        raise CalculationError("division by zero") from exc
    except OverflowError as exc:
        raise CalculationError("the result is too large") from exc
    except (ValueError, TypeError) as exc:
        if isinstance(exc, CalculationError):
            raise
        raise CalculationError(f"cannot compute: {exc}") from exc


def _evaluate(node: ast.expr) -> Number:
    if isinstance(node, ast.Constant):
        # bool is an int subclass; True + True is not arithmetic anyone means.
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise CalculationError(f"only numbers are allowed, not {node.value!r}")
        return node.value
    if isinstance(node, ast.Name):
        if node.id not in CONSTANTS:
            raise CalculationError(f"unknown name {node.id!r} (constants: {', '.join(CONSTANTS)})")
        return CONSTANTS[node.id]
    if isinstance(node, ast.UnaryOp) and type(node.op) in UNARY:
        return UNARY[type(node.op)](_evaluate(node.operand))
    if isinstance(node, ast.BinOp) and type(node.op) in BINARY:
        left, right = _evaluate(node.left), _evaluate(node.right)
        if isinstance(node.op, ast.Pow):
            _check_power(left, right)
        return _checked(BINARY[type(node.op)](left, right))
    if isinstance(node, ast.Call):
        return _call(node)
    raise CalculationError(f"{type(node).__name__} is not allowed in an arithmetic expression")


def _check_power(base: Number, exponent: Number) -> None:
    """Refuse a power before computing it when its result would be too large to keep."""
    if abs(exponent) > MAX_EXPONENT:
        raise CalculationError(f"exponents are limited to ±{MAX_EXPONENT}")
    if abs(base) > 1 and exponent > 0 and exponent * math.log10(abs(base)) > MAX_INT_DIGITS:
        raise CalculationError(f"the result has more than {MAX_INT_DIGITS} digits")


def _call(node: ast.Call) -> Number:
    if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
        shown = node.func.id if isinstance(node.func, ast.Name) else type(node.func).__name__
        raise CalculationError(f"unknown function {shown!r} (functions: {', '.join(FUNCTIONS)})")
    if node.keywords:
        raise CalculationError("functions take positional arguments only")
    arguments = [_evaluate(argument) for argument in node.args]
    result = FUNCTIONS[node.func.id](*arguments)
    if isinstance(result, complex):  # pow of a negative base can be complex
        raise CalculationError("the result is not a real number")
    return _checked(result)


def _checked(value: Number) -> Number:
    if isinstance(value, complex):
        raise CalculationError("the result is not a real number")
    if isinstance(value, int):
        # Compare against a bound instead of str(value): that conversion is itself slow.
        if abs(value) >= 10**MAX_INT_DIGITS:
            raise CalculationError(f"the result has more than {MAX_INT_DIGITS} digits")
        return value
    if math.isnan(value):
        raise CalculationError("the result is not a number")
    if math.isinf(value) or abs(value) > MAX_MAGNITUDE:
        raise CalculationError("the result is too large")
    return value
