"""The API serves the built web UI at / (when it has been built)."""

from __future__ import annotations

from pathlib import Path

import httpx
from pydantic import SecretStr

from platform_api.app import create_app
from platform_core.settings import Settings


def _client_of(dist: Path) -> httpx.AsyncClient:
    """A client of an app serving `dist` (no database or Temporal behind it)."""
    settings = Settings(environment="test", jwt_secret=SecretStr("k" * 40))
    app = create_app(
        settings,
        database_url="postgresql://nobody@127.0.0.1:1/none",
        temporal_address="127.0.0.1:1",
        ui_dist=dist,
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ui")


async def test_built_ui_is_served_at_root_without_shadowing_the_api(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><div id=root></div>")
    (dist / "assets" / "app.js").write_text("console.log('ui')")
    async with _client_of(dist) as client:
        index = await client.get("/")
        asset = await client.get("/assets/app.js")
        api = await client.get("/api/auth/me")
    assert index.status_code == 200 and "<div id=root>" in index.text
    assert asset.status_code == 200
    assert api.status_code == 401 and api.json()["status"] == 401


async def test_ui_paths_fall_back_to_index_so_deep_links_survive_a_reload(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><div id=root></div>")
    async with _client_of(dist) as client:
        deep = await client.get("/chat/3f1c0000-0000-0000-0000-000000000000")
        admin = await client.get("/admin/audit")
        missing_asset = await client.get("/assets/gone.js")
        missing_file = await client.get("/favicon.png")
        unknown_api = await client.get("/api/v1/no-such-route")
    assert deep.status_code == 200 and "<div id=root>" in deep.text
    assert admin.status_code == 200 and "<div id=root>" in admin.text
    assert missing_asset.status_code == 404
    assert missing_file.status_code == 404
    assert unknown_api.status_code in (401, 404) and "<div id=root>" not in unknown_api.text
