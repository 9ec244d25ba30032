"""The chaos suite's own platform (never the session's shared services) and its report.

`AGENTPAAS_CHAOS_HEAVY=1` runs every scenario with more runs and more or longer faults;
the default variant asserts the same invariants with fewer runs, within CI's time.
Each scenario's numbers are written to `chaos-report.json` in its tmp dir and summed up
at the end of the pytest run (the terminal summary), since tests run without `-s`.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.chaos.cluster import Cluster
from tests.chaos.runs import HEAVY

_REPORTS: list[dict[str, Any]] = []
# Shown in the JSON file only.
SUMMARY_SKIPS = {"scenario", "variant", "report_file"}


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Each chaos scenario's numbers, in the normal pytest output."""
    if not _REPORTS:
        return
    terminalreporter.section(f"chaos scenarios ({'heavy' if HEAVY else 'default'} variant)")
    for report in _REPORTS:
        numbers = ", ".join(
            f"{key}={value}"
            for key, value in report.items()
            if key not in SUMMARY_SKIPS and value != []
        )
        terminalreporter.write_line(f"{report['scenario']}:")
        for line in textwrap.wrap(numbers, width=96):
            terminalreporter.write_line(f"    {line}")
        terminalreporter.write_line(f"    (all numbers: {report['report_file']})")


@pytest.fixture
def chaos_report(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Callable[[dict[str, Any]], None]:
    """Record a scenario's numbers: the summary at the end and a JSON file in tmp_path."""

    def record(numbers: dict[str, Any]) -> None:
        report = {"scenario": request.node.name, "variant": "heavy" if HEAVY else "default"}
        report.update(numbers)
        report["report_file"] = str(tmp_path / "chaos-report.json")
        (tmp_path / "chaos-report.json").write_text(json.dumps(report, indent=2, default=str))
        _REPORTS.append(report)

    return record


@pytest.fixture
async def cluster(tmp_path: Path) -> AsyncIterator[Cluster]:
    """A fresh split platform for one scenario; every process group is killed at the end."""
    cluster = Cluster(tmp_path / "platform")
    try:
        yield cluster
    finally:
        cluster.close()
