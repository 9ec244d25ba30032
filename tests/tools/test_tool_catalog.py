"""The tool store's catalogue file: the shipped one loads, bad ones say entry and field."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from platform_api.errors import ServiceUnavailable
from platform_api.tool_store import catalog
from platform_core.settings import Settings
from platform_core.tool_catalog import CatalogError, load_catalog, parse_catalog


def _entry(**changes: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": "weather",
        "name": {"zh-CN": "天气", "en": "Weather"},
        "description": {"zh-CN": "天气预报", "en": "Forecasts"},
        "url_template": "https://{host}/mcp/{path}",
        "parameters": [
            {"name": "host", "kind": "host", "label": {"zh-CN": "主机", "en": "Host"}},
            {
                "name": "path",
                "label": {"zh-CN": "路径", "en": "Path"},
                "default": "v1",
                "pattern": "v[0-9]+",
            },
        ],
        "credentials": [{"name": "token", "label": {"zh-CN": "令牌", "en": "Token"}}],
        "tags": ["weather"],
    }
    entry.update(changes)
    return entry


def _write(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_the_shipped_catalogue_loads_and_renders() -> None:
    entries = load_catalog(Settings().tool_catalog_path)
    assert {"agentpaas-remote-tools", "github", "self-hosted-mcp"} <= {e.id for e in entries}
    remote = next(e for e in entries if e.id == "agentpaas-remote-tools")
    assert remote.render_url({"host": "tools.example.org:8000"}) == (
        "http://tools.example.org:8000/mcp/tools/",
        {},
    )
    assert [c.sent_as for c in remote.credentials] == ["bearer"]


def test_parameters_are_validated_before_rendering() -> None:
    (entry,) = parse_catalog({"entries": [_entry()]})
    assert entry.render_url({"host": "api.example.org"}) == ("https://api.example.org/mcp/v1", {})
    for host in ("evil.org/x", "a@b.org", "b.org?x=1", "b.org#f", "a b", "%2e%2e", ""):
        url, errors = entry.render_url({"host": host})
        assert url == "" and "host" in errors, host
    latest = entry.render_url({"host": "a.org", "path": "latest"})
    assert latest[1] == {"path": "must match v[0-9]+"}
    assert entry.render_url({"host": "a.org", "port": "1"})[1] == {"port": "no such parameter"}


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"entries": [_entry(), _entry(id="x", name={"zh-CN": "x"})]}, "entry 1 ('x'): name.en"),
        ({"entries": [_entry(url_template="https://{host}/mcp")]}, "entry 0 ('weather'): "),
        ({"entries": [_entry(), _entry()]}, "entry 1 ('weather'): id: duplicate"),
        ({"entries": [_entry(id="Bad Id")]}, "entry 0 ('Bad Id'): id:"),
        ({"entries": [_entry(url_template="ftp://{host}/{path}")]}, "url_template"),
        ({"entries": [_entry(homepage="javascript:alert(1)")]}, "homepage"),
        ({"entries": [_entry(credentials=[{"name": "t", "sent_as": "query"}])]}, "credentials"),
        ({"entries": [_entry(tags=["has space"])]}, "tags"),
        ({"entries": [_entry(unknown=1)]}, "unknown"),
        ({"items": []}, "entries"),
    ],
)
def test_a_bad_catalogue_names_the_entry_and_the_field(document: object, expected: str) -> None:
    with pytest.raises(CatalogError) as raised:
        parse_catalog(document, source="cat.json")
    assert str(raised.value).startswith("cat.json: ") and expected in str(raised.value)


def test_placeholders_must_be_the_parameters() -> None:
    with pytest.raises(CatalogError, match=r"placeholders \['host'\] must be the parameters"):
        parse_catalog({"entries": [_entry(url_template="https://{host}/mcp")]})


def test_unreadable_files_and_the_bundled_id_are_refused_at_start(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="cannot read"):
        catalog.check_catalog(Settings(tool_catalog_path=tmp_path / "missing.json"))
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(CatalogError, match="not JSON"):
        catalog.check_catalog(Settings(tool_catalog_path=broken))
    reserved = _write(tmp_path / "reserved.json", {"entries": [_entry(id=catalog.BUNDLED_ID)]})
    with pytest.raises(CatalogError, match="reserved for the bundled tools"):
        catalog.check_catalog(Settings(tool_catalog_path=reserved))
    # Never loaded well: the store says why (503), never a 500.
    with pytest.raises(ServiceUnavailable, match="tool catalogue is invalid"):
        catalog.all_entries(Settings(tool_catalog_path=broken))


def test_a_broken_change_keeps_the_last_good_catalogue(tmp_path: Path) -> None:
    path = _write(tmp_path / "cat.json", {"entries": [_entry()]})
    settings = Settings(tool_catalog_path=path)
    assert catalog.check_catalog(settings) == 1
    assert [e.id for e in catalog.all_entries(settings)] == [catalog.BUNDLED_ID, "weather"]
    _write(path, {"entries": [_entry(), _entry(id="second")]})
    os.utime(path, ns=(1, 2))  # a new modification time whatever the clock's resolution
    assert [e.id for e in catalog.all_entries(settings)][1:] == ["weather", "second"]
    _write(path, {"entries": [_entry(id="")]})
    os.utime(path, ns=(3, 4))
    assert [e.id for e in catalog.all_entries(settings)][1:] == ["weather", "second"]
