"""The web UI's committed OpenAPI snapshot (``ui/openapi.json``) is the API's own document,
so the TypeScript types generated from it (``ui/src/api/schema.gen.ts``, checked by the UI's
``tests/apiSchema.test.ts``) describe the API as it is. ``npm run gen:api`` rewrites both."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from agentpaas.cli import main, openapi_text
from platform_api.app import create_app
from platform_core.settings import Settings

SNAPSHOT = Path(__file__).resolve().parents[2] / "ui" / "openapi.json"
REGENERATE = "run `npm run gen:api` in ui/ and commit ui/openapi.json and ui/src/api/schema.gen.ts"


def _app() -> FastAPI:
    return create_app(
        Settings(environment="test", jwt_secret=SecretStr("k" * 40)),
        database_url="postgresql://nobody@127.0.0.1:1/none",
        temporal_address="127.0.0.1:1",
        ui_dist=None,
    )


def _changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Which paths and schemas differ: a readable message where a text diff would be huge."""
    lines = []
    sections = (
        ("path", old.get("paths", {}), new["paths"]),
        ("schema", old.get("components", {}).get("schemas", {}), new["components"]["schemas"]),
    )
    for kind, before, after in sections:
        lines += [f"new {kind} {name}" for name in sorted(after.keys() - before.keys())]
        lines += [f"removed {kind} {name}" for name in sorted(before.keys() - after.keys())]
        lines += [
            f"changed {kind} {name}"
            for name in sorted(after.keys() & before.keys())
            if after[name] != before[name]
        ]
    return lines or ["the same document, written differently (edited by hand?)"]


def test_the_committed_snapshot_is_the_apis_openapi_document() -> None:
    fresh = openapi_text(_app())
    committed = SNAPSHOT.read_text(encoding="utf-8")
    if committed != fresh:
        try:
            changes = _changes(json.loads(committed), json.loads(fresh))
        except json.JSONDecodeError:
            changes = ["ui/openapi.json is not JSON"]
        shown = "\n  ".join(changes[:20]) + ("\n  …" if len(changes) > 20 else "")
        pytest.fail(f"ui/openapi.json is stale: {REGENERATE}.\n  {shown}", pytrace=False)


def test_the_cli_writes_the_document_whatever_the_environment_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Production without its secrets: every other command refuses to start; this one reads
    # no configuration, so `npm run gen:api` works on any machine.
    monkeypatch.setenv("AGENTPAAS_ENVIRONMENT", "production")
    monkeypatch.setenv("AGENTPAAS_JWT_SECRET", "short")
    output = tmp_path / "openapi.json"
    assert main(["openapi", "--output", str(output)]) == 0
    written = output.read_text(encoding="utf-8")
    assert written == openapi_text(_app())
    document = json.loads(written)
    assert document["info"]["title"] == "AgentPaaS API"
    assert "/api/auth/me" in document["paths"]
    assert list(document["paths"]) == sorted(document["paths"])
