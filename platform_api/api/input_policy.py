"""One input policy at the boundary: text that PostgreSQL or a secret cannot hold is a 422.

PostgreSQL refuses NUL (0x00) in text and JSON, a lone UTF-16 surrogate cannot be encoded
as UTF-8 (sealing a secret raised), Python's JSON parser accepts `NaN` and `Infinity`,
which are not JSON and which PostgreSQL refuses in `jsonb`, and an integer past bigint
overflows a column. Before this, each of them reached
the database or the crypto layer and came back as a 500 that also dropped the connection.
Checking once here, over JSON bodies, query strings and paths alike, keeps every route's
answer a problem document that names the field.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, unquote

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from platform_api.errors import problem

# Bodies larger than this are refused before they are parsed (uploads are multipart, not JSON).
MAX_JSON_BODY_BYTES = 4 * 1024 * 1024
# Deeper JSON than this is refused: nothing the API takes nests that far, and deep nesting
# makes recursive walkers (ours, pydantic's, PostgreSQL's) slow or crash.
MAX_JSON_DEPTH = 64
# The widest integer PostgreSQL stores (bigint); larger literals are refused, not overflowed.
MAX_INTEGER = 2**63 - 1
_CHECKED_PREFIXES = ("/api/", "/v1/")
_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class _NonFinite:
    """Marks a NaN or Infinity literal so the walk can report where it was."""

    def __init__(self, literal: str) -> None:
        self.literal = literal


def _text_problem(value: str) -> str | None:
    """Why `value` cannot be stored as text, or None when it can."""
    if "\x00" in value:
        return "must not contain NUL characters (\\u0000)"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "must not contain lone surrogates (invalid Unicode)"
    return None


def _walk(value: Any, path: str, depth: int = 0) -> Iterator[tuple[str, str]]:
    """Yield (JSON pointer, message) for every value the policy refuses."""
    if depth > MAX_JSON_DEPTH:
        yield path or "/", f"nests deeper than {MAX_JSON_DEPTH} levels"
        return
    if isinstance(value, str):
        reason = _text_problem(value)
        if reason:
            yield path or "/", reason
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INTEGER:
        yield path or "/", "is out of range (at most 2^63-1 in size)"
    elif isinstance(value, _NonFinite):
        yield path or "/", f"{value.literal} is not a JSON number"
    elif isinstance(value, dict):
        for key, item in value.items():
            pointer = f"{path}/{str(key).replace('~', '~0').replace('/', '~1')}"
            reason = _text_problem(str(key))
            if reason:
                yield pointer, f"key {reason}"
            yield from _walk(item, pointer, depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}/{index}", depth + 1)


def body_errors(raw: bytes) -> list[dict[str, str]]:
    """The policy's findings for a JSON body (empty when it passes or is not JSON at all).

    Malformed JSON is left to FastAPI, which already answers it with a 422 of its own.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return [{"path": "/body", "message": "is not valid UTF-8"}]
    try:
        document = json.loads(text, parse_constant=_NonFinite)
    except RecursionError:
        return [{"path": "/body", "message": f"nests deeper than {MAX_JSON_DEPTH} levels"}]
    except ValueError:
        return []
    return [{"path": f"/body{pointer}", "message": msg} for pointer, msg in _walk(document, "")]


def url_errors(scope: Scope) -> list[dict[str, str]]:
    """The policy's findings for the path and the query string."""
    errors: list[dict[str, str]] = []
    raw_path = scope.get("raw_path") or scope.get("path", "").encode()
    path = unquote(raw_path.decode("latin-1"), errors="surrogateescape")
    if "\x00" in path:
        errors.append({"path": "/path", "message": "must not contain NUL characters (%00)"})
    query = scope.get("query_string", b"").decode("latin-1")
    for key, value in parse_qsl(query, keep_blank_values=True, errors="surrogateescape"):
        reason = _text_problem(value) or _text_problem(key)
        if reason:
            errors.append({"path": f"/query/{key}", "message": reason})
    return errors


def _is_json(scope: Scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"content-type":
            media = value.split(b";", 1)[0].strip().lower()
            return bool(media == b"application/json" or media.endswith(b"+json"))
    return False


class InputPolicy:
    """ASGI middleware applying the policy to `/api/…` and `/v1/…` requests."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope.get("path", "").startswith(_CHECKED_PREFIXES):
            await self.app(scope, receive, send)
            return
        errors = url_errors(scope)
        if errors:
            await _refuse(scope, receive, send, 422, errors)
            return
        if scope.get("method") not in _BODY_METHODS or not _is_json(scope):
            await self.app(scope, receive, send)
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > MAX_JSON_BODY_BYTES:
                await _refuse(scope, receive, send, 413, [], drain=more)
                return
        errors = body_errors(bytes(body))
        if errors:
            await _refuse(scope, receive, send, 422, errors)
            return
        await self.app(scope, _replay(bytes(body), receive), send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands the buffered body over once, then defers to the real one."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _refuse(
    scope: Scope,
    receive: Receive,
    send: Send,
    status: int,
    errors: list[dict[str, str]],
    *,
    drain: bool = False,
) -> None:
    # Reading the rest of an oversized body keeps the connection usable for the next request.
    while drain:
        message = await receive()
        drain = message.get("more_body", False) and message["type"] == "http.request"
    if status == 413:
        response = problem(
            413,
            "Request too large",
            f"a JSON body may hold at most {MAX_JSON_BODY_BYTES // (1024 * 1024)} MiB",
            slug="too-large",
            instance=scope.get("path"),
        )
    else:
        response = problem(
            422,
            "Invalid input",
            "the request holds text that cannot be stored: " + errors[0]["path"],
            slug="validation-failed",
            errors=errors,
            instance=scope.get("path"),
        )
    await response(scope, receive, send)
