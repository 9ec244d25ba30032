"""Safe expression language over workflow state (conditions, fan-out `over`, transforms).

Expressions use Python expression syntax, parsed with `ast.parse(mode="eval")` and then
checked against a strict whitelist; nothing is ever compiled or `eval`-ed. Names read
state keys, `.key` and `[i]` read dict keys / list items only, and calls are limited to
the functions in `node_types.expression_functions`. The grammar is in docs/expressions.md.
"""

from __future__ import annotations

import ast
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from node_types.errors import ExpressionError
from node_types.expression_eval import Evaluator
from node_types.expression_functions import FUNCTIONS

MAX_LENGTH = 2000
MAX_DEPTH = 32
MAX_NODES = 400

CONSTANT_NAMES: dict[str, Any] = {
    "true": True,
    "false": False,
    "null": None,
    "True": True,
    "False": False,
    "None": None,
}

_ALLOWED_NODES: tuple[type[ast.AST], ...] = (
    ast.Expression,
    ast.BoolOp,
    ast.And,
    ast.Or,
    ast.UnaryOp,
    ast.Not,
    ast.USub,
    ast.UAdd,
    ast.BinOp,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.FloorDiv,
    ast.Mod,
    ast.Pow,
    ast.Compare,
    ast.Eq,
    ast.NotEq,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
    ast.In,
    ast.NotIn,
    ast.Is,
    ast.IsNot,
    ast.IfExp,
    ast.Call,
    ast.Name,
    ast.Load,
    ast.Constant,
    ast.Attribute,
    ast.Subscript,
    ast.Slice,
    ast.List,
    ast.Tuple,
    ast.Dict,
)


@dataclass(frozen=True)
class Expression:
    """A parsed, whitelisted expression. Build with `parse`; evaluate with `evaluate`."""

    text: str
    tree: ast.expr = field(compare=False, repr=False)
    keys: tuple[str, ...] = ()
    # Leading whitespace is stripped before parsing; positions add it back.
    lead: int = field(default=0, compare=False, repr=False)

    def position_of(self, node: ast.AST) -> int | None:
        """Character offset of an AST node of this expression in `text`."""
        return _pos(node, self.text[self.lead :], self.lead)


def parse(text: str) -> Expression:
    """Parse and check `text`; raises `ExpressionError` (with a position) if it is not allowed."""
    if not isinstance(text, str):
        raise ExpressionError("an expression must be a string")
    return _parse_cached(text)


@lru_cache(maxsize=2048)
def _parse_cached(text: str) -> Expression:
    # Parsed expressions are immutable, so caching is safe and keeps hot conditions cheap.
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression is longer than {MAX_LENGTH} characters", 0, text)
    if not text.strip():
        raise ExpressionError("expression is empty", 0, text)
    body = text.lstrip()
    lead = len(text) - len(body)
    try:
        module = ast.parse(body, mode="eval")
    except SyntaxError as exc:
        position = lead + _syntax_error_position(body, exc)
        raise ExpressionError(f"syntax error: {exc.msg}", position, text) from None
    except (ValueError, RecursionError, MemoryError):
        raise ExpressionError("expression is too complex to parse", 0, text) from None
    _check_tree(module, body, lead, text)
    keys = tuple(_collect_keys(module.body))
    return Expression(text=text, tree=module.body, keys=keys, lead=lead)


def evaluate(expr: Expression | str, state: Mapping[str, Any]) -> Any:
    """Evaluate an expression against `state` (a mapping of state keys to JSON values).

    Missing keys, `.key` on a missing dict key and out-of-range `[i]` all give None,
    so conditions over partially-filled state stay simple. Type errors, division by zero
    and exceeding the size/cost limits raise `ExpressionError`.
    """
    parsed = parse(expr) if isinstance(expr, str) else expr
    return Evaluator(state, parsed).run(parsed.tree)


def referenced_keys(expr: Expression | str) -> list[str]:
    """State keys the expression reads, in order of first appearance."""
    parsed = parse(expr) if isinstance(expr, str) else expr
    return list(parsed.keys)


def outcome_key(value: Any) -> str:
    """The string a conditional edge looks up in its mapping for a condition's value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        if isinstance(value, float) and value.is_integer() and math.isfinite(value):
            return str(int(value))
        return json.dumps(value)
    raise ExpressionError(
        f"a condition must give a string, number, boolean or null, not {_kind(value)}"
    )


def _kind(value: Any) -> str:
    return "a list" if isinstance(value, list) else "an object"


def _check_tree(module: ast.Expression, body: str, lead: int, text: str) -> None:
    # Iterative walk so hostile nesting cannot overflow the Python stack. Operator nodes
    # (`&`, `is`…) carry no position, so errors on them use their parent's.
    stack: list[tuple[ast.AST, int, int | None]] = [(module, 0, 0)]
    count = 0
    while stack:
        node, depth, parent_position = stack.pop()
        position = _pos(node, body, lead)
        if position is None:
            position = parent_position
        count += 1
        if count > MAX_NODES:
            raise ExpressionError(f"expression has more than {MAX_NODES} parts", 0, text)
        if depth > MAX_DEPTH:
            raise ExpressionError(
                f"expression nests deeper than {MAX_DEPTH} levels", position, text
            )
        try:
            _check_node(node)
        except _Rejected as rejected:
            raise ExpressionError(rejected.message, position, text) from None
        stack.extend((child, depth + 1, position) for child in ast.iter_child_nodes(node))


def _check_node(node: ast.AST) -> None:
    if not isinstance(node, _ALLOWED_NODES):
        raise _Rejected(f"{_describe(node)} is not allowed")
    if isinstance(node, ast.Name):
        if node.id.startswith("__"):
            raise _Rejected("names starting with '__' are not allowed")
    elif isinstance(node, ast.Attribute):
        if node.attr.startswith("_"):
            raise _Rejected(f"'.{node.attr}': keys starting with '_' cannot be read with '.'")
    elif isinstance(node, ast.Constant):
        if not (node.value is None or isinstance(node.value, bool | int | float | str)):
            raise _Rejected("only string, number, boolean and null literals")
    elif isinstance(node, ast.Call):
        _check_call(node)
    elif isinstance(node, ast.Dict):
        if any(key is None for key in node.keys):
            raise _Rejected("'**' unpacking is not allowed")
    elif isinstance(node, ast.Compare):
        _check_identity(node)


def _check_call(node: ast.Call) -> None:
    if not isinstance(node.func, ast.Name):
        raise _Rejected("only plain function calls like lower(x) are allowed (no methods)")
    name = node.func.id
    spec = FUNCTIONS.get(name)
    if spec is None:
        raise _Rejected(f"unknown function {name!r}")
    if node.keywords:
        raise _Rejected("keyword arguments are not supported")
    if any(isinstance(a, ast.Starred) for a in node.args):
        raise _Rejected("'*' unpacking is not allowed")
    if not spec.min_args <= len(node.args) <= spec.max_args:
        raise _Rejected(f"{name}() takes {spec.arity_text()}")


def _check_identity(node: ast.Compare) -> None:
    # `is` only makes sense against null/true/false; for anything else it would expose
    # Python object identity, which differs between runs.
    operands = [node.left, *node.comparators]
    for i, op in enumerate(node.ops):
        if isinstance(op, ast.Is | ast.IsNot):
            pair = (operands[i], operands[i + 1])
            if not any(_is_singleton(o) for o in pair):
                raise _Rejected("'is' compares only with null, true or false")


def _is_singleton(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return node.value is None or isinstance(node.value, bool)
    return isinstance(node, ast.Name) and node.id in CONSTANT_NAMES


def _collect_keys(tree: ast.expr) -> list[str]:
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    found = [
        (node.lineno, node.col_offset, node.id)
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id not in CONSTANT_NAMES and id(node) not in called
    ]
    return list(dict.fromkeys(name for _, _, name in sorted(found)))


def _describe(node: ast.AST) -> str:
    labels = {
        ast.Lambda: "lambda",
        ast.ListComp: "a comprehension",
        ast.DictComp: "a comprehension",
        ast.SetComp: "a comprehension",
        ast.GeneratorExp: "a comprehension",
        ast.JoinedStr: "an f-string",
        ast.NamedExpr: "':='",
        ast.Set: "a set literal",
        ast.Starred: "'*' unpacking",
        ast.Await: "await",
        ast.Yield: "yield",
        ast.BitAnd: "'&'",
        ast.BitOr: "'|'",
        ast.BitXor: "'^'",
        ast.LShift: "'<<'",
        ast.RShift: "'>>'",
        ast.Invert: "'~'",
        ast.MatMult: "'@'",
    }
    return labels.get(type(node), f"'{type(node).__name__}'")


class _Rejected(Exception):
    def __init__(self, message: str):
        self.message = message


def _pos(node: ast.AST, body: str, lead: int) -> int | None:
    lineno = getattr(node, "lineno", None)
    col = getattr(node, "col_offset", None)
    if lineno is None or col is None:
        return None
    return lead + _absolute_offset(body, lineno, col)


def _absolute_offset(text: str, lineno: int, byte_col: int) -> int:
    # ast columns are UTF-8 byte offsets within a line; report character offsets.
    lines = text.split("\n")
    before = sum(len(line) + 1 for line in lines[: lineno - 1])
    line = lines[lineno - 1] if lineno - 1 < len(lines) else ""
    return before + len(line.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))


def _syntax_error_position(text: str, exc: SyntaxError) -> int:
    lines = text.split("\n")
    lineno = min(max(exc.lineno or 1, 1), len(lines))
    col = max((exc.offset or 1) - 1, 0)  # SyntaxError offsets are 1-based characters
    return min(sum(len(line) + 1 for line in lines[: lineno - 1]) + col, len(text))
