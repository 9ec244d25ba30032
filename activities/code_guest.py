"""The program the sandbox runs (inside CPython on WASI, never imported by the host).

It loads the job (the developer's code and the inputs, marshalled by the host), runs
`main(inputs)` and writes `{"ok": true, "result": ...}` or `{"ok": false, "error":
{type, message, traceback}}` as JSON for the host. Frames of this runner are left out
of tracebacks: the developer sees their own.

Every import here costs each call time and fuel, so the runner uses only built-in
modules: `marshal` for the job (data the host made, safe to load) and the C JSON
encoder `_json` for the result (the host parses only JSON, never marshal, from the
guest). Importing the `json` package (and `re` with it) would add ~40 ms per call.
`typing` is not imported for the same reason; the traceback machinery only on failure.
"""

from __future__ import annotations

import _json
import marshal
import os
import sys

SCRATCH = "/scratch"
JOB = "/scratch/.agentpaas/job.marshal"
RESULT = "/scratch/.agentpaas/result.json"
FILENAME = "<code node>"
TRACEBACK_LINES = 30


def _not_json(value: object) -> object:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def to_json(value: object) -> str:
    """ASCII JSON text of `value`, as `json.dumps(value, allow_nan=False)` gives."""
    # The arguments json.encoder passes: markers (cycle detection), default, string
    # encoder, indent, key and item separators, sort_keys, skipkeys, allow_nan.
    encode = _json.make_encoder(
        {},
        _not_json,
        _json.encode_basestring_ascii,  # escapes lone surrogates too: the file stays UTF-8
        None,
        ": ",
        ", ",
        False,
        False,
        False,
    )
    return "".join(encode(value, 0))


def _error(exc: BaseException, code: str) -> dict[str, object]:
    # Drop the runner's own frame so the traceback starts in the developer's code.
    tb = exc.__traceback__.tb_next if exc.__traceback__ else None
    if isinstance(exc, MemoryError):
        # The failed frames may still hold the memory: describe them without importing.
        frames = []
        while tb is not None:
            where = tb.tb_frame.f_code
            frames.append(f'  File "{where.co_filename}", line {tb.tb_lineno}, in {where.co_name}')
            tb = tb.tb_next
        head = ["Traceback (most recent call last):", *frames[-TRACEBACK_LINES:]]
        lines = [*head, f"MemoryError: {exc}".rstrip(": ")]
    else:
        import linecache  # only on failure: importing these costs fuel and time
        import traceback

        # Lets the traceback show the developer's source lines.
        linecache.cache[FILENAME] = (len(code), None, code.splitlines(True), FILENAME)
        lines = "".join(traceback.format_exception(type(exc), exc, tb)).splitlines()
    return {
        "type": type(exc).__name__,
        "message": str(exc),
        "traceback": "\n".join(lines[-TRACEBACK_LINES:]),
    }


def run() -> None:
    """Run the job and write its outcome."""
    with open(JOB, "rb") as f:
        job = marshal.load(f)
    code = job["code"]
    os.chdir(SCRATCH)  # relative paths land in the scratch directory
    namespace: dict[str, object] = {"__name__": "__code_node__"}
    stage = "main"
    try:
        exec(compile(code, FILENAME, "exec", dont_inherit=True), namespace)
        main = namespace.get("main")
        if not callable(main):
            raise TypeError("the code must define a function main(inputs)")
        result = main(job["inputs"])
        stage = "result"
        text = to_json({"ok": True, "result": result})
    except BaseException as exc:  # SystemExit too: main must return, not exit
        error = _error(exc, code)
        if stage == "result":
            error["message"] = f"main's return value is not JSON data: {error['message']}"
            error["traceback"] = ""
        text = to_json({"ok": False, "error": error})
    sys.stdout.flush()
    with open(RESULT, "w", encoding="ascii") as f:
        f.write(text)


if __name__ == "__main__":
    run()
