"""Traces, metrics and the per-request context logs carry (DESIGN.md: operators' view)."""
