"""A node's own log lines, kept with its record so its developer can read them on the node.

What a node activity logs (its own lines, and warnings from litellm, httpx and the MCP
client) while it runs is copied, with credentials masked, into a per-task buffer: a
context variable, so concurrent activities in one worker never mix their lines. The
recorder starts the buffer when the task starts and stores it with the task's outcome.
Bounded: a node keeps at most ``MAX_LINES`` lines of at most ``MAX_LINE_CHARS``.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from platform_core.redaction import redact

MAX_LINES = 200
MAX_LINE_CHARS = 2000
# Loggers whose INFO lines are a node's story (the rest reach the buffer from WARNING up,
# as their own levels decide).
NODE_LOGGERS = ("activities",)

_lines: ContextVar[list[dict[str, Any]] | None] = ContextVar("node_log_lines", default=None)


class NodeLogHandler(logging.Handler):
    """Copies records into the running node task's buffer, if there is one."""

    def emit(self, record: logging.LogRecord) -> None:
        lines = _lines.get()
        if lines is None or len(lines) >= MAX_LINES:
            return
        try:
            message = redact(record.getMessage())
        except Exception:  # a record whose arguments do not fit its format
            message = redact(str(record.msg))
        lines.append(
            {
                "at": datetime.fromtimestamp(record.created, UTC).isoformat(),
                "level": record.levelname,
                "logger": record.name,
                "message": message[:MAX_LINE_CHARS],
            }
        )


_handler = NodeLogHandler(level=logging.INFO)


def install() -> None:
    """Attach the handler to the root logger once per process; let node INFO lines through."""
    root = logging.getLogger()
    if _handler not in root.handlers:
        root.addHandler(_handler)
    for name in NODE_LOGGERS:
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() > logging.INFO:
            logger.setLevel(logging.INFO)


def start() -> None:
    """Begin a fresh buffer for the node task running in this context."""
    _lines.set([])


def taken() -> list[dict[str, Any]]:
    """The lines the current node task has logged so far."""
    return list(_lines.get() or [])
