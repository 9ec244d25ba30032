"""The process's OpenTelemetry tracer provider, configured by the standard ``OTEL_*`` variables.

A provider is always installed (unless ``OTEL_SDK_DISABLED=true``), so every request and
run has a trace id that logs carry; spans leave the process only when an OTLP endpoint is
configured (``OTEL_EXPORTER_OTLP_ENDPOINT`` or ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``,
``OTEL_TRACES_EXPORTER`` not ``none``). Sampling follows ``OTEL_TRACES_SAMPLER``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from opentelemetry import trace
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

from platform_core.db_tracing import export_statement_spans
from temporal_workflows.client import record_workflow_spans

_provider: TracerProvider | None = None


def otlp_export_configured(environ: Mapping[str, str] = os.environ) -> bool:
    """True when the ``OTEL_*`` variables ask for spans to be sent over OTLP."""
    exporters = environ.get("OTEL_TRACES_EXPORTER", "otlp").lower()
    if "otlp" not in [name.strip() for name in exporters.split(",")]:
        return False
    return bool(
        environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
        or environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
    )


def configure_tracing(
    service_name: str, *, span_processors: Sequence[SpanProcessor] = ()
) -> TracerProvider | None:
    """Install the global tracer provider once; later calls only add ``span_processors``.

    ``OTEL_SERVICE_NAME`` (or ``service.name`` in ``OTEL_RESOURCE_ATTRIBUTES``) wins
    over ``service_name``. Returns None when the SDK is disabled.
    """
    global _provider
    if os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return None
    if _provider is None:
        named_by_env = os.environ.get("OTEL_SERVICE_NAME") or "service.name=" in os.environ.get(
            "OTEL_RESOURCE_ATTRIBUTES", ""
        )
        resource = Resource.create({} if named_by_env else {SERVICE_NAME: service_name})
        _provider = TracerProvider(resource=resource)
        if otlp_export_configured():
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            # The exporter reads endpoint, headers, timeout and compression from OTEL_*.
            _provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        trace.set_tracer_provider(_provider)
    for processor in span_processors:
        _provider.add_span_processor(processor)
    if span_processors or otlp_export_configured():
        export_statement_spans(True)
        record_workflow_spans(True)
    return _provider


def current_trace_id() -> str | None:
    """The current span's trace id as 32 hex digits, or None outside any recorded trace."""
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None
