"""Tree-walking evaluator for whitelisted expression ASTs (see `node_types.expressions`).

Only the node kinds the parser let through are handled; values are JSON values
(None, bool, int, float, str, list, dict) and tuples become lists.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from node_types.errors import ExpressionError
from node_types.expression_functions import FUNCTIONS
from node_types.expression_runtime import MAX_SEQUENCE, Budget, checked, is_number, kind

if TYPE_CHECKING:
    from node_types.expressions import Expression

_CONSTANTS: dict[str, Any] = {
    "true": True,
    "false": False,
    "null": None,
    "True": True,
    "False": False,
    "None": None,
}

_ORDERING: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}


class Evaluator:
    """Evaluates one parsed expression against one state mapping."""

    def __init__(self, state: Mapping[str, Any], expression: Expression):
        self.state = state
        self.expression = expression
        self.budget = Budget()

    def run(self, tree: ast.expr) -> Any:
        """Evaluate the tree; every failure becomes an ExpressionError with a position."""
        return self._eval(tree)

    def _fail(self, node: ast.AST, message: str) -> ExpressionError:
        return ExpressionError(message, self.expression.position_of(node), self.expression.text)

    def _eval(self, node: ast.expr) -> Any:
        self.budget.charge()
        handler = getattr(self, f"_eval_{type(node).__name__}", None)
        if handler is None:  # the parser's whitelist makes this unreachable
            raise self._fail(node, f"cannot evaluate {type(node).__name__}")
        try:
            return handler(node)
        except ExpressionError as exc:
            if exc.position is None:
                raise self._fail(node, exc.message) from None
            raise

    def _eval_Constant(self, node: ast.Constant) -> Any:
        return node.value

    def _eval_Name(self, node: ast.Name) -> Any:
        if node.id in _CONSTANTS:
            return _CONSTANTS[node.id]
        return self.state.get(node.id)

    def _eval_Attribute(self, node: ast.Attribute) -> Any:
        base = self._eval(node.value)
        if base is None:
            return None
        if isinstance(base, dict):
            return base.get(node.attr)
        raise self._fail(node, f"'.{node.attr}' reads object keys, but the value is a {kind(base)}")

    def _eval_Subscript(self, node: ast.Subscript) -> Any:
        base = self._eval(node.value)
        if isinstance(node.slice, ast.Slice):
            return self._slice(node, base, node.slice)
        key = self._eval(node.slice)
        if base is None:
            return None
        if isinstance(base, dict):
            if not isinstance(key, str):
                raise self._fail(node, f"object keys are strings, got {kind(key)}")
            return base.get(key)
        if isinstance(base, list | str):
            if not isinstance(key, int) or isinstance(key, bool):
                raise self._fail(node, f"list/string index must be an integer, got {kind(key)}")
            return base[key] if -len(base) <= key < len(base) else None
        raise self._fail(node, f"cannot index a {kind(base)}")

    def _slice(self, node: ast.Subscript, base: Any, part: ast.Slice) -> Any:
        bounds = [None if p is None else self._eval(p) for p in (part.lower, part.upper, part.step)]
        if not all(b is None or (isinstance(b, int) and not isinstance(b, bool)) for b in bounds):
            raise self._fail(node, "slice bounds must be integers")
        if bounds[2] == 0:
            raise self._fail(node, "slice step cannot be zero")
        if base is None:
            return None
        if not isinstance(base, list | str):
            raise self._fail(node, f"cannot slice a {kind(base)}")
        self.budget.charge(len(base))
        return base[slice(*bounds)]

    def _eval_List(self, node: ast.List) -> list[Any]:
        return checked([self._eval(e) for e in node.elts])

    def _eval_Tuple(self, node: ast.Tuple) -> list[Any]:
        return checked([self._eval(e) for e in node.elts])

    def _eval_Dict(self, node: ast.Dict) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in zip(node.keys, node.values, strict=True):
            key = self._eval(key_node) if key_node is not None else None
            if not isinstance(key, str):
                raise self._fail(node, f"object keys must be strings, got {kind(key)}")
            result[key] = self._eval(value_node)
        return checked(result)

    def _eval_IfExp(self, node: ast.IfExp) -> Any:
        return self._eval(node.body) if self._eval(node.test) else self._eval(node.orelse)

    def _eval_BoolOp(self, node: ast.BoolOp) -> Any:
        is_and = isinstance(node.op, ast.And)
        value: Any = None
        for operand in node.values:
            value = self._eval(operand)
            if bool(value) != is_and:  # short-circuit like Python
                return value
        return value

    def _eval_UnaryOp(self, node: ast.UnaryOp) -> Any:
        value = self._eval(node.operand)
        if isinstance(node.op, ast.Not):
            return not value
        if not is_number(value):
            raise self._fail(node, f"unary minus/plus needs a number, got {kind(value)}")
        return -value if isinstance(node.op, ast.USub) else value

    def _eval_BinOp(self, node: ast.BinOp) -> Any:
        left, right = self._eval(node.left), self._eval(node.right)
        try:
            return checked(self._arith(node, left, right))
        except ZeroDivisionError:
            raise self._fail(node, "division by zero") from None
        except OverflowError:
            raise self._fail(node, "number result is too large") from None

    def _arith(self, node: ast.BinOp, left: Any, right: Any) -> Any:
        op = node.op
        if isinstance(op, ast.Add):
            if is_number(left) and is_number(right):
                return left + right
            for kinds in ((str, str), (list, list)):
                if isinstance(left, kinds[0]) and isinstance(right, kinds[1]):
                    self._check_size(node, len(left) + len(right))
                    return left + right
        elif isinstance(op, ast.Mult):
            if is_number(left) and is_number(right):
                return left * right
            seq, count = (left, right) if isinstance(left, str | list) else (right, left)
            if (
                isinstance(seq, str | list)
                and isinstance(count, int)
                and not isinstance(count, bool)
            ):
                self._check_size(node, len(seq) * max(count, 0))
                return seq * count
        elif isinstance(op, ast.Pow):
            if is_number(left) and is_number(right):
                return self._power(node, left, right)
        elif is_number(left) and is_number(right):
            if isinstance(op, ast.Sub):
                return left - right
            if isinstance(op, ast.Div):
                return left / right
            if isinstance(op, ast.FloorDiv):
                return left // right
            if isinstance(op, ast.Mod):
                return left % right
        raise self._fail(node, f"unsupported operand types {kind(left)} and {kind(right)}")

    def _power(self, node: ast.BinOp, base: int | float, exponent: int | float) -> Any:
        if isinstance(base, int) and isinstance(exponent, int):
            # Estimate the result size first: never build a huge integer.
            if exponent < 0:
                if base == 0:
                    raise ZeroDivisionError
                return float(base) ** exponent
            if abs(base) > 1 and base.bit_length() * exponent > 2 * 256:
                raise self._fail(node, "integer result is too large")
            return base**exponent
        result = float(base) ** float(exponent)
        if isinstance(result, complex):
            raise self._fail(node, "power of a negative number gives no real result")
        return result

    def _check_size(self, node: ast.AST, size: int) -> None:
        if size > MAX_SEQUENCE:
            raise self._fail(node, f"result would be longer than {MAX_SEQUENCE}")
        self.budget.charge(size)

    def _eval_Compare(self, node: ast.Compare) -> bool:
        left = self._eval(node.left)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = self._eval(right_node)
            if not self._compare(node, op, left, right):
                return False
            left = right
        return True

    def _compare(self, node: ast.Compare, op: ast.cmpop, left: Any, right: Any) -> bool:
        if isinstance(op, ast.Eq | ast.Is):
            return _equal(left, right)
        if isinstance(op, ast.NotEq | ast.IsNot):
            return not _equal(left, right)
        if isinstance(op, ast.In | ast.NotIn):
            found = FUNCTIONS["contains"].fn(self.budget, right, left)
            return found if isinstance(op, ast.In) else not found
        comparable = (is_number(left) and is_number(right)) or (
            isinstance(left, str) and isinstance(right, str)
        )
        if not comparable:
            raise self._fail(node, f"cannot order {kind(left)} and {kind(right)}")
        return _ORDERING[type(op)](left, right)

    def _eval_Call(self, node: ast.Call) -> Any:
        assert isinstance(node.func, ast.Name)  # guaranteed by the parser
        spec = FUNCTIONS[node.func.id]
        args = [self._eval(a) for a in node.args]
        try:
            return checked(spec.fn(self.budget, *args))
        except (TypeError, ValueError, OverflowError) as exc:
            raise self._fail(node, f"{node.func.id}(): {exc}") from None


def _equal(left: Any, right: Any) -> bool:
    # JSON semantics: true != 1 (Python would say True == 1).
    if isinstance(left, bool) != isinstance(right, bool):
        return False
    return bool(left == right)
