"""A local OpenAI-compatible chat server for tests and benchmarks (a real HTTP endpoint).

Serves ``POST /v1/chat/completions`` (streaming SSE chunks or one JSON body) on
127.0.0.1 and a free port, from a thread of its own, and counts every call. Replies:

- a tool call of the first tool offered, when tools are offered and no tool result is
  in the conversation yet (arguments ``{"query": <last user text>}``);
- a JSON object ``{"answer": <last user text>}`` when a JSON schema is requested;
- otherwise ``"Local server says: <last user text>"``, one chunk per word.

Usage is reported as ``prompt_tokens`` = ``PROMPT_TOKENS`` and ``completion_tokens`` =
the request's ``max_tokens`` (as if the model used its whole budget) or the number of
chunks. A request with the wrong bearer key gets a 401 that echoes the key;
``fail_next(status)`` injects provider errors (429 rate limits, 5xx). ``hold()`` makes streams
pause after their first chunk until ``release()``, so a test can watch deltas arrive
while the "model" is still generating.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

PROMPT_TOKENS = 7


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _last_user_text(messages: list[dict[str, Any]]) -> str:
    for message in reversed(messages):
        if message.get("role") == "user":
            content = message.get("content")
            return content if isinstance(content, str) else json.dumps(content)
    return ""


@dataclass
class Reply:
    """What the server answers one request with."""

    words: list[str] = field(default_factory=list)
    tool_call: dict[str, Any] | None = None


def reply_for(body: dict[str, Any]) -> Reply:
    """The deterministic answer to a chat request (see the module docstring)."""
    messages = body.get("messages") or []
    said = _last_user_text(messages)
    tools = body.get("tools") or []
    if tools and not any(m.get("role") == "tool" for m in messages):
        name = tools[0]["function"]["name"]
        return Reply(tool_call={"name": name, "arguments": json.dumps({"query": said})})
    response_format = body.get("response_format") or {}
    if response_format.get("type") in ("json_schema", "json_object"):
        return Reply(words=[json.dumps({"answer": said})])
    text = f"Local server says: {said}"
    pieces = text.split(" ")
    return Reply(words=[p if i == len(pieces) - 1 else p + " " for i, p in enumerate(pieces)])


class OpenAICompatibleServer:
    """The server, its call counter and its controls."""

    def __init__(
        self,
        api_key: str | None = None,
        *,
        seconds_per_chunk: float = 0.0,
        seconds_to_first_chunk: float = 0.0,
    ) -> None:
        self.api_key = api_key
        self.seconds_per_chunk = seconds_per_chunk
        self.seconds_to_first_chunk = seconds_to_first_chunk
        self.port = free_port()
        self.calls = 0
        self.requests: list[dict[str, Any]] = []
        self.authorizations: list[str] = []
        self._lock = threading.Lock()
        self._held = threading.Event()
        self._released = threading.Event()
        self.first_chunk_sent = threading.Event()
        self._failures: list[int] = []
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """The OpenAI-style base URL (``…/v1``)."""
        return f"http://127.0.0.1:{self.port}/v1"

    def hold(self) -> None:
        """Make streams stop after their first chunk until ``release()``."""
        self._released.clear()
        self.first_chunk_sent.clear()
        self._held.set()

    def fail_next(self, status: int, times: int = 1) -> None:
        """Answer the next ``times`` authorised calls with HTTP ``status`` (e.g. 429, 500)."""
        with self._lock:
            self._failures.extend([status] * times)

    def release(self) -> None:
        """Let held streams finish."""
        self._held.clear()
        self._released.set()

    async def _completions(self, request: Request) -> Response:
        body = await request.json()
        authorization = request.headers.get("authorization", "")
        with self._lock:
            self.calls += 1
            self.requests.append(body)
            self.authorizations.append(authorization)
        if self.api_key is not None and authorization != f"Bearer {self.api_key}":
            return JSONResponse(
                {
                    "error": {
                        # Real providers echo (part of) the key they got: the platform
                        # must keep such messages out of records, history and logs.
                        "message": f"Incorrect API key provided: {authorization[7:]}",
                        "type": "invalid_request_error",
                        "code": "invalid_api_key",
                    }
                },
                status_code=401,
            )
        with self._lock:
            failure = self._failures.pop(0) if self._failures else None
        if failure is not None:
            return JSONResponse(
                {"error": {"message": f"injected failure {failure}", "type": "server_error"}},
                status_code=failure,
                headers={"Retry-After": "0"} if failure == 429 else None,
            )
        reply = reply_for(body)
        if body.get("stream"):
            return StreamingResponse(self._chunks(body, reply), media_type="text/event-stream")
        return JSONResponse(self._whole(body, reply))

    def _usage(self, body: dict[str, Any], reply: Reply) -> dict[str, int]:
        completion = int(body.get("max_tokens") or max(1, len(reply.words)))
        return {
            "prompt_tokens": PROMPT_TOKENS,
            "completion_tokens": completion,
            "total_tokens": PROMPT_TOKENS + completion,
        }

    def _chunk(self, body: dict[str, Any], chat_id: str, **delta: Any) -> str:
        finish = delta.pop("finish_reason", None)
        choice = {"index": 0, "delta": delta, "finish_reason": finish}
        data = {
            "id": chat_id,
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": body.get("model", "local"),
            "choices": [choice],
        }
        return f"data: {json.dumps(data)}\n\n"

    async def _chunks(self, body: dict[str, Any], reply: Reply) -> AsyncIterator[str]:
        chat_id = f"chatcmpl-{uuid.uuid4().hex[:12]}"
        if self.seconds_to_first_chunk:
            await asyncio.sleep(self.seconds_to_first_chunk)  # a provider's "thinking" time
        yield self._chunk(body, chat_id, role="assistant", content="")
        if reply.tool_call is not None:
            call_id = f"call_{uuid.uuid4().hex[:8]}"
            arguments = reply.tool_call["arguments"]
            yield self._chunk(
                body,
                chat_id,
                tool_calls=[
                    {
                        "index": 0,
                        "id": call_id,
                        "type": "function",
                        "function": {"name": reply.tool_call["name"], "arguments": ""},
                    }
                ],
            )
            half = len(arguments) // 2  # arguments arrive in pieces, as real servers send them
            for piece in (arguments[:half], arguments[half:]):
                yield self._chunk(
                    body, chat_id, tool_calls=[{"index": 0, "function": {"arguments": piece}}]
                )
            finish = "tool_calls"
        else:
            for index, word in enumerate(reply.words):
                yield self._chunk(body, chat_id, content=word)
                if index == 0:
                    self.first_chunk_sent.set()
                    while self._held.is_set():
                        await asyncio.sleep(0.01)
                if self.seconds_per_chunk:
                    await asyncio.sleep(self.seconds_per_chunk)
            finish = "stop"
        yield self._chunk(body, chat_id, finish_reason=finish)
        if (body.get("stream_options") or {}).get("include_usage"):
            usage_chunk = {
                "id": chat_id,
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": body.get("model", "local"),
                "choices": [],
                "usage": self._usage(body, reply),
            }
            yield f"data: {json.dumps(usage_chunk)}\n\n"
        yield "data: [DONE]\n\n"

    def _whole(self, body: dict[str, Any], reply: Reply) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": "".join(reply.words) or None}
        if reply.tool_call is not None:
            message["tool_calls"] = [
                {"id": "call_0", "type": "function", "function": reply.tool_call}
            ]
        return {
            "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "local"),
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "finish_reason": "tool_calls" if reply.tool_call else "stop",
                }
            ],
            "usage": self._usage(body, reply),
        }

    def start(self) -> None:
        """Serve from a background thread; returns once the port accepts connections."""
        app = Starlette(routes=[Route("/v1/chat/completions", self._completions, methods=["POST"])])
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the local OpenAI-compatible server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        """Stop serving (held streams are released first)."""
        self.release()
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)


@contextmanager
def openai_compatible_server(
    api_key: str | None = None,
    *,
    seconds_per_chunk: float = 0.0,
    seconds_to_first_chunk: float = 0.0,
) -> Iterator[OpenAICompatibleServer]:
    """A started server, stopped on exit."""
    server = OpenAICompatibleServer(
        api_key,
        seconds_per_chunk=seconds_per_chunk,
        seconds_to_first_chunk=seconds_to_first_chunk,
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()
