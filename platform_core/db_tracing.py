"""Client spans around every SQL statement an engine runs inside a recorded span.

Spans name the operation and the first table (``SELECT workflow_executions``) and never
carry the statement's text or parameters: bound values are user content. They are made
only once something receives spans (:func:`export_statement_spans`: an exporter or a
processor is configured): request and run spans still record without one, for the
trace ids in logs, but a span per statement would be ≈ 3.5 ms of CPU per run for no one.
"""

from __future__ import annotations

import re
from typing import Any

from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

_tracer = trace.get_tracer("agentpaas.db")
_TABLE = re.compile(r"\b(?:FROM|INTO|UPDATE|JOIN|TABLE)\s+\"?([A-Za-z_][\w.]*)", re.IGNORECASE)
_WRITE = re.compile(r"\b(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
_SPAN_KEY = "_agentpaas_span"
_exported = False


def export_statement_spans(enabled: bool) -> None:
    """Make statement spans (True) once spans go somewhere; by default none are made."""
    global _exported
    _exported = enabled


def statement_summary(statement: str) -> tuple[str, str | None]:
    """The operation (first keyword) and the first table a statement names; for a ``WITH``
    statement, its first write (a record written with its events is named by the record)."""
    words = statement.lstrip().split(None, 1)
    operation = words[0].upper() if words else "SQL"
    if operation == "WITH" and (write := _WRITE.search(statement)):
        operation, statement = write.group(1).upper(), statement[write.start() :]
    table = _TABLE.search(statement)
    return operation, table.group(1) if table else None


def trace_engine(engine: AsyncEngine) -> None:
    """Add statement spans to ``engine`` (idempotent)."""
    sync_engine = engine.sync_engine
    if event.contains(sync_engine, "before_cursor_execute", _before):
        return
    event.listen(sync_engine, "before_cursor_execute", _before)
    event.listen(sync_engine, "after_cursor_execute", _after)
    event.listen(sync_engine, "handle_error", _error)


def _before(
    conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
) -> None:
    if not _exported or not trace.get_current_span().is_recording():
        # Nothing records the request or activity this statement belongs to (tracing is
        # off, or not sampled): a span of its own would be work for no one.
        return
    operation, table = statement_summary(statement)
    attributes: dict[str, str] = {"db.system.name": "postgresql", "db.operation.name": operation}
    if table:
        attributes["db.collection.name"] = table
    database = getattr(conn.engine.url, "database", None)
    if database:
        attributes["db.namespace"] = database
    name = f"{operation} {table}" if table else operation
    span = _tracer.start_span(name, kind=SpanKind.CLIENT, attributes=attributes)
    if context is not None:
        setattr(context, _SPAN_KEY, span)


def _after(
    conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
) -> None:
    span = getattr(context, _SPAN_KEY, None)
    if span is not None:
        span.end()
        setattr(context, _SPAN_KEY, None)


def _error(exception_context: Any) -> None:
    span = getattr(exception_context.execution_context, _SPAN_KEY, None)
    if span is None:
        return
    error = exception_context.original_exception
    span.set_status(Status(StatusCode.ERROR, type(error).__name__))
    span.end()
    setattr(exception_context.execution_context, _SPAN_KEY, None)
