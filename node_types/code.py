"""`code` node type: a developer's Python function run in a WebAssembly sandbox (activity).

Config:
- `code`: Python source defining `def main(inputs: dict) -> ...` at top level. It runs
  in CPython 3.12 compiled to WASI under wasmtime: no network, no processes, no host
  files except a fresh per-call scratch directory (`/scratch`, also the working
  directory); `time.sleep` is unavailable.
  The standard library is there; third-party packages are not.
- `inputs`: argument name -> expression over state; `main` receives them as one dict.
- `output_key`: state key that receives main's whole return value (any JSON), or
- `outputs`: state key -> field of the dict main returns (every field must be present).
  Exactly one of the two is set. Values go through the keys' reducers like any update.
- `output_schema`: optional JSON Schema main's return value must satisfy.
- `logs_key`: optional state key receiving `{stdout, stderr, stdout_truncated,
  stderr_truncated}`.
- `limits`: `fuel` (WebAssembly instructions, interpreter start included: about
  0.3e9 for a trivial function), `memory_mb` (linear memory cap), `timeout_seconds` (wall clock),
  `max_output_bytes` (stdout and stderr are each cut to this and flagged). Unset
  fields take DEFAULT_LIMITS.

Syntax is checked at validation with the built-in `compile` (never run here), so a
definition with a syntax error is rejected with the line and column in the message.
The host checks with its own Python (3.11); the sandbox runs 3.12.

Pure halves: `prepare(config, node_input)` computes the sandbox job and
`to_update(config, result, logs)` checks the result and builds the state update.
"""

from __future__ import annotations

import ast
import copy
from typing import Any

import jsonschema

from node_types.errors import ConfigProblem, NodeOutputError
from node_types.expressions import evaluate
from node_types.problem_codes import ProblemCode
from node_types.spec import STATE_KEY_NAME, STATE_SCHEMA, NodeTypeSpec

FILENAME = "<code node>"
MAX_CODE_CHARS = 100_000
DEFAULT_LIMITS: dict[str, Any] = {
    "fuel": 10_000_000_000,
    "memory_mb": 128,
    "timeout_seconds": 10.0,
    "max_output_bytes": 65_536,
}
DEFAULT_CODE = 'def main(inputs: dict) -> dict:\n    return {"echo": inputs}\n'

_OPTIONAL_KEY = {"anyOf": [STATE_KEY_NAME, {"type": "null"}]}
_LIMITS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "fuel": {"type": "integer", "minimum": 1_000_000_000, "maximum": 1_000_000_000_000},
        "memory_mb": {"type": "integer", "minimum": 32, "maximum": 2048},
        "timeout_seconds": {"type": "number", "exclusiveMinimum": 0, "maximum": 60},
        "max_output_bytes": {"type": "integer", "minimum": 0, "maximum": 1_048_576},
    },
}

CONFIG_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["code"],
    "properties": {
        "code": {
            "type": "string",
            "minLength": 1,
            "maxLength": MAX_CODE_CHARS,
            "description": "Python source defining main(inputs).",
        },
        "inputs": {
            "type": "object",
            "propertyNames": {"minLength": 1, "maxLength": 128},
            "additionalProperties": {"type": "string"},
            "description": "Argument name -> expression over state.",
        },
        "output_key": _OPTIONAL_KEY,
        "outputs": {
            "type": "object",
            "propertyNames": STATE_KEY_NAME,
            "additionalProperties": {"type": "string", "minLength": 1},
            "description": "State key -> field of main's returned dict.",
        },
        "output_schema": {"type": ["object", "null"]},
        "logs_key": _OPTIONAL_KEY,
        "limits": _LIMITS_SCHEMA,
    },
}

DEFAULT_CONFIG: dict[str, Any] = {
    "code": DEFAULT_CODE,
    "inputs": {},
    "output_key": None,
    "outputs": {},
    "output_schema": None,
    "logs_key": None,
    "limits": {},
}

NODE_TYPE = NodeTypeSpec(
    type_name="code",
    display_name="Python code",
    description="Runs a developer's Python function main(inputs) in a WebAssembly sandbox "
    "(no network, no host files, fuel, memory and time limits) and writes its result "
    "to state.",
    category="processing",
    tags=["code", "python", "sandbox", "wasm", "activity"],
    config_schema=CONFIG_SCHEMA,
    input_schema=STATE_SCHEMA,
    output_schema={
        "type": "object",
        "description": "{output_key: result} or {state key: result[field]} per `outputs`, "
        "plus {logs_key: logs}.",
    },
    required_services=["code_sandbox"],
    default_config=DEFAULT_CONFIG,
    execution="activity",
    # Above the largest wall-clock limit (60 s) plus a first-ever module compile.
    default_timeouts={"start_to_close_seconds": 120},
    default_retry={"max_attempts": 3},
)


def _cfg(config: dict[str, Any]) -> dict[str, Any]:
    return {**DEFAULT_CONFIG, **config}


def limits(config: dict[str, Any]) -> dict[str, Any]:
    """The node's limits, unset fields filled from DEFAULT_LIMITS."""
    return {**DEFAULT_LIMITS, **(_cfg(config)["limits"] or {})}


def state_reads(config: dict[str, Any]) -> list[str]:
    """Keys read outside expressions (none: inputs are expressions)."""
    return []


def state_writes(config: dict[str, Any]) -> list[str]:
    """The output key or the mapped keys, and the logs key."""
    cfg = _cfg(config)
    keys = [cfg["output_key"]] if cfg["output_key"] else list(cfg["outputs"] or {})
    return keys + ([cfg["logs_key"]] if cfg["logs_key"] else [])


def config_expressions(config: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(config pointer, "expression"|"template", text) for validation and read tracking."""
    inputs = _cfg(config)["inputs"] or {}
    return [(f"/inputs/{_escape(k)}", "expression", v) for k, v in inputs.items()]


def config_problems(config: dict[str, Any]) -> list[tuple[str, str]]:
    """Syntax errors (with line numbers), a missing main, outputs and output_schema."""
    cfg = _cfg(config)
    problems = code_problems(cfg["code"])
    if bool(cfg["output_key"]) == bool(cfg["outputs"]):
        message = "set exactly one of output_key and outputs"
        problems.append(ConfigProblem("/output_key", message, ProblemCode.CODE_ONE_OUTPUT))
    if cfg["output_schema"] is not None:
        try:
            jsonschema.Draft202012Validator.check_schema(cfg["output_schema"])
        except jsonschema.SchemaError as exc:
            where = "".join(f"/{_escape(str(p))}" for p in exc.path)
            message = f"invalid JSON Schema: {exc.message}"
            code = ProblemCode.CODE_OUTPUT_SCHEMA_INVALID
            found = ConfigProblem(f"/output_schema{where}", message, code, {"detail": exc.message})
            problems.append(found)
    return problems


def code_problems(code: str) -> list[tuple[str, str]]:
    """Problems with the source: `[("/code", "line 3, column 5: ...")]`, or []."""
    try:
        tree = compile(code, FILENAME, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
        # Parsing alone misses the compiler's checks (`return` outside a function, ...).
        compile(tree, FILENAME, "exec", dont_inherit=True)
    except SyntaxError as exc:
        return [_syntax_problem(exc)]
    except (ValueError, RecursionError, MemoryError) as exc:  # e.g. NUL bytes, deep nesting
        message = f"the code cannot be compiled: {exc}"
        return [
            ConfigProblem("/code", message, ProblemCode.CODE_CANNOT_COMPILE, {"detail": str(exc)})
        ]
    bindings = [n for n in tree.body if "main" in _bound_names(n)]
    if not bindings:
        message = "the code must define a top-level function main(inputs)"
        return [ConfigProblem("/code", message, ProblemCode.CODE_NO_MAIN)]
    main = bindings[-1]
    line = {"line": main.lineno}
    if isinstance(main, ast.AsyncFunctionDef):
        message = f"line {main.lineno}: main must be a plain function, not async"
        return [ConfigProblem("/code", message, ProblemCode.CODE_MAIN_ASYNC, line)]
    if isinstance(main, ast.ClassDef):
        message = f"line {main.lineno}: main must be a function, not a class"
        return [ConfigProblem("/code", message, ProblemCode.CODE_MAIN_CLASS, line)]
    if isinstance(main, ast.FunctionDef):
        params = main.args
        if not (params.posonlyargs or params.args or params.vararg):
            message = f"line {main.lineno}: main must take one argument (inputs)"
            return [ConfigProblem("/code", message, ProblemCode.CODE_MAIN_NO_ARGUMENT, line)]
    return []  # `main = ...` or an import: checked when it runs


def _bound_names(statement: ast.stmt) -> set[str]:
    """Names a top-level statement binds (defs, classes, assignments, imports)."""
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {statement.name}
    if isinstance(statement, ast.Assign | ast.AnnAssign):
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        return {t.id for t in targets if isinstance(t, ast.Name)}
    if isinstance(statement, ast.Import | ast.ImportFrom):
        return {(a.asname or a.name).split(".")[0] for a in statement.names}
    return set()


def prepare(config: dict[str, Any], node_input: dict[str, Any]) -> dict[str, Any]:
    """The sandbox job: `{"code", "inputs": {name: value}, "limits"}`."""
    cfg = _cfg(config)
    inputs = {name: evaluate(text, node_input) for name, text in (cfg["inputs"] or {}).items()}
    return {"code": cfg["code"], "inputs": copy.deepcopy(inputs), "limits": limits(config)}


def to_update(
    config: dict[str, Any], result: Any, logs: dict[str, Any] | None = None
) -> dict[str, Any]:
    """State update from main's return value; NodeOutputError when it does not fit.

    The result is checked against `output_schema` first, then mapped by `output_key`
    or `outputs`; `logs` (stdout/stderr and their truncation flags) go to `logs_key`.
    """
    cfg = _cfg(config)
    if cfg["output_schema"] is not None:
        validator = jsonschema.Draft202012Validator(cfg["output_schema"])
        errors = sorted(validator.iter_errors(result), key=lambda e: list(map(str, e.path)))
        if errors:
            where = "".join(f"/{_escape(str(p))}" for p in errors[0].path) or "/"
            raise NodeOutputError(
                f"main's result does not match output_schema at {where}: {errors[0].message}"
            )
    update: dict[str, Any] = {}
    if cfg["output_key"]:
        update[cfg["output_key"]] = result
    else:
        if not isinstance(result, dict):
            raise NodeOutputError(
                f"main must return a dict when outputs is set (got {type(result).__name__})"
            )
        for key, field in cfg["outputs"].items():
            if field not in result:
                raise NodeOutputError(
                    f"main's result has no field {field!r} (for state key {key!r})"
                )
            update[key] = result[field]
    if cfg["logs_key"]:
        update[cfg["logs_key"]] = dict(logs or {})
    return update


def _syntax_problem(exc: SyntaxError) -> ConfigProblem:
    message = _syntax_message(exc)
    if not exc.lineno:
        code = ProblemCode.CODE_CANNOT_COMPILE
        return ConfigProblem("/code", message, code, {"detail": exc.msg})
    column = {"column": exc.offset} if exc.offset else {}
    params = {"line": exc.lineno, **column, "detail": exc.msg}
    return ConfigProblem("/code", message, ProblemCode.CODE_SYNTAX, params)


def _syntax_message(exc: SyntaxError) -> str:
    if not exc.lineno:
        return f"the code cannot be compiled: {exc.msg}"
    where = f"line {exc.lineno}" + (f", column {exc.offset}" if exc.offset else "")
    text = (exc.text or "").strip()
    return f"{where}: {exc.msg}" + (f": {text!r}" if text else "")


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")
