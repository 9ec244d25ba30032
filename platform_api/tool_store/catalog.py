"""The store's entries: the platform's bundled tools, then the admin's catalogue file.

The file is read when the app is built (a bad file stops the start with the entry and
field named) and again whenever it changes; a change that breaks it is logged and the
last good catalogue is kept.
"""

from __future__ import annotations

import logging
from pathlib import Path

from platform_api.errors import NotFound, ServiceUnavailable
from platform_api.mcp.mount import TOOLS_PATH
from platform_core.settings import Settings
from platform_core.tool_catalog import (
    CatalogCredential,
    CatalogEntry,
    CatalogError,
    Localized,
    load_catalog,
)

logger = logging.getLogger(__name__)

# The id the dev seed registers the bundled tools under, so they show as installed there.
BUNDLED_ID = "agentpaas-tools"
# path -> (modification time, entries) of the last good read.
_loaded: dict[Path, tuple[int, list[CatalogEntry]]] = {}


def bundled_entry(settings: Settings) -> CatalogEntry:
    """The platform's own tools (served by the API at /mcp/tools/); installing mints a key."""
    return CatalogEntry(
        id=BUNDLED_ID,
        name=Localized.model_validate({"zh-CN": "AgentPaaS 内置工具", "en": "AgentPaaS tools"}),
        description=Localized.model_validate(
            {
                "zh-CN": "平台自带的工具：计算器、当前时间、知识库检索、HTTP GET。"
                "安装时为安装者创建一个 tools:call 密钥作为凭据。",
                "en": "The platform's own tools: calculator, current time, knowledge search, "
                "HTTP GET. Installing creates a tools:call key of the installer as the "
                "credential.",
            }
        ),
        url_template=f"http://127.0.0.1:{settings.api_port}{TOOLS_PATH}/",
        tags=["agentpaas", "bundled", "math", "time", "knowledge", "http"],
        bundled=True,
    )


def check_catalog(settings: Settings) -> int:
    """Load the catalogue file now; raises :class:`CatalogError` naming the bad entry."""
    entries = _read(settings.tool_catalog_path)
    logger.info("tool catalogue: %d entries from %s", len(entries), settings.tool_catalog_path)
    return len(entries)


def all_entries(settings: Settings) -> list[CatalogEntry]:
    """Every entry of the store, bundled first."""
    path = settings.tool_catalog_path
    try:
        entries = _read(path)
    except CatalogError as exc:
        last = _loaded.get(path)
        if last is None:
            raise ServiceUnavailable(f"the tool catalogue is invalid: {exc}") from None
        logger.error("tool catalogue change ignored, the last good one is used: %s", exc)
        entries = last[1]
    return [bundled_entry(settings), *entries]


def get_entry_or_raise(settings: Settings, entry_id: str) -> CatalogEntry:
    """One entry by id (404 when the store has none)."""
    for entry in all_entries(settings):
        if entry.id == entry_id:
            return entry
    raise NotFound("no such entry in the tool store")


def credential_fields(entry: CatalogEntry) -> list[CatalogCredential]:
    """The credentials the installer fills in (none for the bundled tools: a key is minted)."""
    return [] if entry.bundled else entry.credentials


def _read(path: Path) -> list[CatalogEntry]:
    try:
        stamp = path.stat().st_mtime_ns
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read: {exc.strerror or exc}") from None
    last = _loaded.get(path)
    if last is not None and last[0] == stamp:
        return last[1]
    entries = load_catalog(path)
    clash = [e.id for e in entries if e.id == BUNDLED_ID]
    if clash:
        raise CatalogError(f"{path}: entry {BUNDLED_ID!r}: id: reserved for the bundled tools")
    _loaded[path] = (stamp, entries)
    return entries
