"""Errors raised by the pure graph layer, and the Problem record used by validation."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from node_types.problem_codes import ProblemCode

# What a problem's params hold: the JSON scalars its message names.
ParamValue = str | int | float | bool | None


class Problem(BaseModel):
    """One thing wrong with a definition: a JSON pointer into it, a message and its code.

    `message` is English; `code` (stable) and `params` (the values the message names) let
    a client say it in the reader's language.
    """

    model_config = ConfigDict(frozen=True)

    path: str
    message: str
    code: ProblemCode
    params: dict[str, ParamValue] = Field(default_factory=dict)

    def __hash__(self) -> int:
        # params is a dict (unhashable); the message already spells out its values.
        return hash((self.path, self.message, self.code))

    @classmethod
    def at(cls, path: str, message: str, code: ProblemCode, /, **params: ParamValue) -> Problem:
        """Shorthand: `Problem.at("/nodes/0/type", "unknown ...", ProblemCode.X, type="foo")`."""
        return cls(path=path, message=message, code=code, params=params)


class ConfigProblem(tuple[str, str]):
    """A node type's own config check: `(pointer, message)` with its code and params.

    It compares and unpacks as the plain pair, so callers that read only the pair (and
    tests written against it) keep working.
    """

    code: ProblemCode
    params: dict[str, ParamValue]

    def __new__(
        cls, path: str, message: str, code: ProblemCode, params: dict[str, Any] | None = None
    ) -> ConfigProblem:
        """The pair `(path, message)` carrying `code` and `params`."""
        made = super().__new__(cls, (path, message))
        made.code = code
        made.params = dict(params or {})
        return made


class NodeTypesError(Exception):
    """Base class of every error raised by `node_types`."""


class ExpressionError(NodeTypesError):
    """An expression failed to parse or to evaluate.

    `position` is the 0-based character offset in the expression text (None when the
    error is not tied to one place, e.g. an evaluation budget running out).
    """

    def __init__(self, message: str, position: int | None = None, text: str | None = None):
        self.message = message
        self.position = position
        self.text = text
        where = f" at position {position}" if position is not None else ""
        super().__init__(f"{message}{where}")


class InvalidUpdateError(NodeTypesError):
    """A node wrote something the state cannot take (mirrors LangGraph's error of that name)."""


class RoutingError(NodeTypesError):
    """An edge could not decide where to go (unmapped outcome, fan-out over a non-list)."""


class StepLimitExceeded(NodeTypesError):
    """The run reached `max_steps` supersteps (LangGraph: GraphRecursionError)."""

    def __init__(self, step: int, max_steps: int):
        self.step = step
        self.max_steps = max_steps
        super().__init__(
            f"step limit reached: step {step} would exceed max_steps={max_steps} "
            "(the graph loops more than its definition allows)"
        )


class DefinitionInvalid(NodeTypesError):
    """A workflow definition has problems; `problems` lists every one of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "; ".join(f"{p.path or '/'}: {p.message}" for p in problems[:5])
        more = f" (+{len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"invalid workflow definition: {shown}{more}")


class NodeOutputError(NodeTypesError):
    """A service's response cannot be turned into a state update (e.g. invalid JSON output)."""
