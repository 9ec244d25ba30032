"""The whitelisted functions callable from expressions.

Each function takes plain JSON values, returns plain JSON values, charges the evaluation
budget for the elements it walks and never reaches Python objects.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from node_types.errors import ExpressionError
from node_types.expression_runtime import Budget, checked, is_number, kind, to_text


@dataclass(frozen=True)
class FunctionSpec:
    """A callable from expressions: implementation and allowed number of arguments."""

    fn: Callable[..., Any]
    min_args: int
    max_args: int
    doc: str

    def arity_text(self) -> str:
        """Human wording of the accepted argument count."""
        if self.min_args == self.max_args:
            return f"{self.min_args} argument(s)"
        return f"{self.min_args} to {self.max_args} arguments"


def _text(value: Any, name: str) -> str:
    # null reads as "" so string tests over optional fields (e.g. a tool-call message's
    # content) do not need guards.
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ExpressionError(f"{name}() needs a string, got {kind(value)}")
    return value


def _items(value: Any, name: str, budget: Budget) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise ExpressionError(f"{name}() needs a list, got {kind(value)}")
    budget.charge(len(value))
    return list(value)


def _numbers(value: Any, name: str, budget: Budget) -> list[int | float]:
    items = _items(value, name, budget)
    if not all(is_number(v) for v in items):
        raise ExpressionError(f"{name}() needs a list of numbers")
    return items


def _len(budget: Budget, value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, str | list | tuple | dict):
        return len(value)
    raise ExpressionError(f"len() needs a string, list or object, got {kind(value)}")


def _contains(budget: Budget, container: Any, item: Any) -> bool:
    if container is None:
        return False
    if isinstance(container, str):
        budget.charge(len(container))
        return isinstance(item, str) and item in container
    if isinstance(container, list | tuple | dict):
        budget.charge(len(container))
        return item in container
    raise ExpressionError(f"contains() needs a string, list or object, got {kind(container)}")


def _get(budget: Budget, container: Any, key: Any, default: Any = None) -> Any:
    if isinstance(container, dict):
        return container.get(key, default) if isinstance(key, str) else default
    if isinstance(container, list | tuple) and isinstance(key, int) and not isinstance(key, bool):
        return container[key] if -len(container) <= key < len(container) else default
    return default


def _first(budget: Budget, value: Any) -> Any:
    items = value if isinstance(value, list | tuple) else _items(value, "first", budget)
    return items[0] if items else None


def _last(budget: Budget, value: Any) -> Any:
    items = value if isinstance(value, list | tuple) else _items(value, "last", budget)
    return items[-1] if items else None


def _int(budget: Budget, value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ExpressionError("int() of a non-finite number")
        return int(value)
    if isinstance(value, str):
        if len(value) > 100:
            raise ExpressionError("int() of a string longer than 100 characters")
        try:
            return checked(int(value.strip()))
        except ValueError:
            raise ExpressionError(f"int() cannot read {value!r}") from None
    raise ExpressionError(f"int() needs a number or string, got {kind(value)}")


def _float(budget: Budget, value: Any) -> float:
    if isinstance(value, bool | int | float):
        return checked(float(value))
    if isinstance(value, str) and len(value) <= 100:
        try:
            return checked(float(value.strip()))
        except ValueError:
            raise ExpressionError(f"float() cannot read {value!r}") from None
    raise ExpressionError(f"float() needs a number or short string, got {kind(value)}")


def _keys(budget: Budget, value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, dict):
        raise ExpressionError(f"keys() needs an object, got {kind(value)}")
    budget.charge(len(value))
    return list(value)


def _values(budget: Budget, value: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, dict):
        raise ExpressionError(f"values() needs an object, got {kind(value)}")
    budget.charge(len(value))
    return list(value.values())


def _extreme(name: str, pick: Callable[..., Any]) -> Callable[..., Any]:
    def fn(budget: Budget, *args: Any) -> Any:
        items = _items(args[0], name, budget) if len(args) == 1 else list(args)
        if not items:
            return None
        if all(is_number(v) for v in items) or all(isinstance(v, str) for v in items):
            return pick(items)
        raise ExpressionError(f"{name}() needs all numbers or all strings")

    return fn


def _sum(budget: Budget, value: Any) -> int | float:
    numbers = _numbers(value, "sum", budget)
    total = math.fsum(numbers) if any(isinstance(v, float) for v in numbers) else sum(numbers)
    return checked(total)


def _join(budget: Budget, value: Any, sep: Any = "") -> str:
    parts = [to_text(v) for v in _items(value, "join", budget)]
    separator = _text(sep, "join")
    size = sum(len(p) for p in parts) + len(separator) * max(len(parts) - 1, 0)
    if size > 100_000:
        raise ExpressionError("join() result is too long")
    return separator.join(parts)


def _split(budget: Budget, value: Any, sep: Any = None) -> list[str]:
    text = _text(value, "split")
    budget.charge(len(text))
    if sep is not None and not _text(sep, "split"):
        raise ExpressionError("split() separator must not be empty")
    return checked(text.split(sep))


def _strip(budget: Budget, value: Any, chars: Any = None) -> str:
    text = _text(value, "strip")
    return text.strip(None if chars is None else _text(chars, "strip"))


def _replace(budget: Budget, value: Any, old: Any, new: Any) -> str:
    text, old_s, new_s = _text(value, "replace"), _text(old, "replace"), _text(new, "replace")
    if not old_s:
        raise ExpressionError("replace() needs a non-empty string to replace")
    budget.charge(len(text))
    # Check the size before building the result.
    if len(text) + text.count(old_s) * (len(new_s) - len(old_s)) > 100_000:
        raise ExpressionError("replace() result is too long")
    return text.replace(old_s, new_s)


def _round(budget: Budget, value: Any, digits: Any = 0) -> int | float:
    if not is_number(value):
        raise ExpressionError(f"round() needs a number, got {kind(value)}")
    if not isinstance(digits, int) or isinstance(digits, bool) or not -15 <= digits <= 15:
        raise ExpressionError("round() digits must be an integer between -15 and 15")
    return round(value) if digits == 0 else round(value, digits)


def _abs(budget: Budget, value: Any) -> int | float:
    if not is_number(value):
        raise ExpressionError(f"abs() needs a number, got {kind(value)}")
    return abs(value)


def _to_json(budget: Budget, value: Any) -> str:
    return checked(json.dumps(value, ensure_ascii=False, sort_keys=True))


def _coalesce(budget: Budget, *args: Any) -> Any:
    return next((a for a in args if a is not None), None)


def _bool(budget: Budget, value: Any) -> bool:
    return bool(value)


def _lower(budget: Budget, value: Any) -> str:
    return _text(value, "lower").lower()


def _upper(budget: Budget, value: Any) -> str:
    return _text(value, "upper").upper()


def _startswith(budget: Budget, value: Any, prefix: Any) -> bool:
    return _text(value, "startswith").startswith(_text(prefix, "startswith"))


def _endswith(budget: Budget, value: Any, suffix: Any) -> bool:
    return _text(value, "endswith").endswith(_text(suffix, "endswith"))


def _any(budget: Budget, value: Any) -> bool:
    return any(_items(value, "any", budget))


def _all(budget: Budget, value: Any) -> bool:
    return all(_items(value, "all", budget))


FUNCTIONS: dict[str, FunctionSpec] = {
    "len": FunctionSpec(_len, 1, 1, "length of a string, list or object (null → 0)"),
    "lower": FunctionSpec(_lower, 1, 1, "lower-case a string"),
    "upper": FunctionSpec(_upper, 1, 1, "upper-case a string"),
    "strip": FunctionSpec(_strip, 1, 2, "trim whitespace (or the given characters)"),
    "startswith": FunctionSpec(_startswith, 2, 2, "prefix test"),
    "endswith": FunctionSpec(_endswith, 2, 2, "suffix test"),
    "contains": FunctionSpec(_contains, 2, 2, "substring / list item / object key test"),
    "split": FunctionSpec(_split, 1, 2, "split a string (on whitespace by default)"),
    "join": FunctionSpec(_join, 1, 2, "join list items as text with a separator"),
    "replace": FunctionSpec(_replace, 3, 3, "replace every occurrence in a string"),
    "get": FunctionSpec(_get, 2, 3, "object key / list index with a default"),
    "first": FunctionSpec(_first, 1, 1, "first list item (null if empty)"),
    "last": FunctionSpec(_last, 1, 1, "last list item (null if empty)"),
    "keys": FunctionSpec(_keys, 1, 1, "keys of an object"),
    "values": FunctionSpec(_values, 1, 1, "values of an object"),
    "str": FunctionSpec(lambda b, v: checked(to_text(v)), 1, 1, "value as text"),
    "int": FunctionSpec(_int, 1, 1, "integer from a number, boolean or string"),
    "float": FunctionSpec(_float, 1, 1, "number from a number, boolean or string"),
    "bool": FunctionSpec(_bool, 1, 1, "truthiness"),
    "min": FunctionSpec(_extreme("min", min), 1, 50, "smallest of a list or of the arguments"),
    "max": FunctionSpec(_extreme("max", max), 1, 50, "largest of a list or of the arguments"),
    "sum": FunctionSpec(_sum, 1, 1, "sum of a list of numbers"),
    "any": FunctionSpec(_any, 1, 1, "true if any list item is truthy"),
    "all": FunctionSpec(_all, 1, 1, "true if every list item is truthy"),
    "round": FunctionSpec(_round, 1, 2, "round a number (to the given digits)"),
    "abs": FunctionSpec(_abs, 1, 1, "absolute value"),
    "coalesce": FunctionSpec(_coalesce, 1, 20, "first argument that is not null"),
    "to_json": FunctionSpec(_to_json, 1, 1, "canonical JSON text of a value"),
}
