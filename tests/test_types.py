"""mypy stays clean on the typed packages (configuration in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "agentpaas",
    "platform_core",
    "platform_api",
    "activities",
    "temporal_workflows",
    "migrations",
)


def test_mypy_reports_no_errors() -> None:
    """mypy exits 0 on every typed package."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy", *PACKAGES],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"mypy failed:\n{result.stdout}{result.stderr}"
