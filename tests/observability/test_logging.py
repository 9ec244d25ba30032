"""JSON logs carry the request id (X-Request-ID in and out) and the trace id; no secrets."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from agentpaas.logging_setup import JsonFormatter, RequestContextFilter, redact
from tests.helpers import Platform

UPSTREAM_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


@pytest.fixture
def access_lines() -> Iterator[io.StringIO]:
    """What the access logger writes during the test, formatted as in production."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    logger = logging.getLogger("agentpaas.access")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(level)


async def test_request_id_and_trace_id_are_in_the_header_the_span_and_the_log(
    platform: Platform, span_exporter: InMemorySpanExporter, access_lines: io.StringIO
) -> None:
    given = await platform.client.get(
        "/api/v1/node-types",
        headers={
            "X-Request-ID": "req-from-proxy-42",
            "traceparent": f"00-{UPSTREAM_TRACE}-00f067aa0ba902b7-01",
        },
    )
    fresh = await platform.client.get("/api/v1/node-types", headers={"X-Request-ID": "no spaces"})

    assert given.headers["X-Request-ID"] == "req-from-proxy-42"
    # An id that is not a plain token is replaced, never echoed.
    assert re.fullmatch(r"[0-9a-f]{32}", fresh.headers["X-Request-ID"])

    lines = [json.loads(line) for line in access_lines.getvalue().splitlines()]
    line = next(entry for entry in lines if entry.get("request_id") == "req-from-proxy-42")
    assert line["route"] == "/api/v1/node-types" and line["status"] == given.status_code
    assert line["logger"] == "agentpaas.access"
    # The request continued the caller's trace, and the log line names it.
    assert line["trace_id"] == UPSTREAM_TRACE
    span = next(
        s
        for s in span_exporter.get_finished_spans()
        if s.attributes and s.attributes.get("agentpaas.request_id") == "req-from-proxy-42"
    )
    assert span.context is not None and format(span.context.trace_id, "032x") == UPSTREAM_TRACE
    assert span.name == "GET /api/v1/node-types"


def test_secrets_are_masked_in_messages_and_tracebacks() -> None:
    record = logging.LogRecord(
        "agentpaas.test",
        logging.WARNING,
        __file__,
        1,
        "call failed: Authorization: Bearer abc.def-ghi for postgresql://agentpaas_app:"
        "s3cret-pw@db:5432/agentpaas with api_key=sk-live-0123456789abcdef token "
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
        None,
        None,
    )
    line = json.loads(JsonFormatter().format(record))
    for secret in ("abc.def-ghi", "s3cret-pw", "sk-live-0123456789abcdef", "eyJhbGciOiJIUzI1NiJ9"):
        assert secret not in line["message"], secret
    assert "postgresql://agentpaas_app:[redacted]@db:5432/agentpaas" in line["message"]
    assert redact("password=hunter2&x=1") == "password=[redacted]&x=1"
    assert redact("nothing to hide here") == "nothing to hide here"
