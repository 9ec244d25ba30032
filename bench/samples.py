"""Percentiles of latency samples, for the load benchmarks' tables."""

from __future__ import annotations

import math


def percentile(values: list[float], q: float) -> float | None:
    """The ``q``-th percentile (0–100) by linear interpolation; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100.0
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def p50_p95(values: list[float]) -> dict[str, float | None]:
    """Median and 95th percentile, in the samples' unit."""
    return {"p50": percentile(values, 50), "p95": percentile(values, 95)}


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator ÷ denominator, None when either is missing or the denominator is 0."""
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def ms(value: float | None) -> str:
    """Seconds as milliseconds for a table cell ('-' when missing)."""
    return "-" if value is None else f"{value * 1000:.0f}"
