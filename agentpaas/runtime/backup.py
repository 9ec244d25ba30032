"""Backing up and restoring the embedded platform's data directory (``agentpaas dev``).

A backup may be taken while the platform runs. Its three stores are copied one after
the other, each as one consistent snapshot, in this order:

1. Temporal's database (SQLite online backup),
2. Qdrant's local-mode collections (the same, per collection),
3. PostgreSQL (``pg_dump``: one repeatable-read snapshot).

Temporal comes first because its histories decide what a run does after a restore: every
activity whose completion is not in the copied history runs again. Anything an activity
wrote to Qdrant or PostgreSQL before the Temporal copy is therefore in the later copies,
and anything written after it is either in them too or written again by the replayed
activity. Activities write by keys (records by workflow id + node + step, task rows by
task id, points by chunk id), so the second write finds the first and changes nothing.
Human-task answers go through a Temporal update before any row changes, so a task
completed after the Temporal copy is still open in the restored platform, in both stores.
The reverse order would restore histories that point at rows the dump lacks.

What the order cannot cover is a run *started* in the window between the Temporal copy
and the PostgreSQL snapshot: its execution row is in the dump, its workflow is not. The
window is recorded in the manifest (usually well under a second); a backup of a quiet
platform, or of a stopped one, has no such run.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from agentpaas.runtime import backup_stores as stores
from agentpaas.runtime.temporal_server import DATABASE_FILE, temporal_binary
from agentpaas.runtime.vectors import LOCAL_STORAGE_DIR

MANIFEST = "manifest.json"
FORMAT = 1
POSTGRES_DIR = "postgres"
Progress = Callable[[str], None]


class BackupError(RuntimeError):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _versions() -> dict[str, str]:
    def version_of(args: list[str]) -> str:
        try:
            out = subprocess.run(args, capture_output=True, text=True, timeout=30, check=False)
        except OSError:
            return "unknown"
        return out.stdout.strip() or "unknown"

    def package_version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "unknown"

    return {
        "agentpaas": package_version("agentpaas"),
        "python": sys.version.split()[0],
        "temporal_cli": version_of([str(temporal_binary()), "--version"]),
        "pg_dump": version_of([str(stores._postgres_bin("pg_dump")), "--version"]),
        "qdrant_client": package_version("qdrant-client"),
        "sqlite": sqlite3.sqlite_version,
    }


def _empty_target(target: Path) -> None:
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: back up into a new directory")
    target.mkdir(parents=True, exist_ok=True)


def back_up(data_dir: Path, target: Path, progress: Progress = lambda _: None) -> dict[str, Any]:
    """Copy the data directory's stores into ``target`` (new or empty); returns the manifest.

    The manifest is written last: a directory without one is not a backup.
    """
    pgdata = data_dir / POSTGRES_DIR
    if not (pgdata / "PG_VERSION").exists():
        raise BackupError(f"no embedded platform in {data_dir} (run `agentpaas dev` once)")
    _empty_target(target)
    running = stores.postgres_is_running(pgdata)
    components: dict[str, Any] = {}
    started = _now()
    # The server first (started if the platform is stopped): no delay between the copies.
    with stores.embedded_postgres(pgdata) as server_url:
        temporal_at = time.monotonic()
        if (data_dir / DATABASE_FILE).exists():
            components["temporal"] = {"taken_at": _now()}
            stores.copy_sqlite(data_dir / DATABASE_FILE, target / DATABASE_FILE)
            progress(f"Temporal: {DATABASE_FILE}")
        components["qdrant"] = {"taken_at": _now()}
        collections = stores.copy_qdrant(data_dir / LOCAL_STORAGE_DIR, target / LOCAL_STORAGE_DIR)
        progress(f"Qdrant: {max(len(collections) - 1, 0)} collection(s)")
        components["postgres"] = {"taken_at": _now()}
        window = time.monotonic() - temporal_at
        stores.dump_postgres(server_url, target / POSTGRES_DIR)
        progress("PostgreSQL: roles and database dumped")
        facts = stores.postgres_facts(server_url)
    files = sorted(p for p in target.rglob("*") if p.is_file())
    manifest = {
        "format": FORMAT,
        "kind": "agentpaas-embedded",
        "started_at": started,
        "finished_at": _now(),
        "source_data_dir": str(data_dir),
        "platform_was_running": running,
        "order": ["temporal", "qdrant", "postgres"],
        "window_seconds": round(window, 3),
        "components": components,
        "versions": {**_versions(), **facts},
        "files": {
            str(p.relative_to(target)): {"bytes": p.stat().st_size, "sha256": _sha256(p)}
            for p in files
        },
    }
    partial = target / f".{MANIFEST}.partial"
    partial.write_text(json.dumps(manifest, indent=2) + "\n")
    partial.replace(target / MANIFEST)
    return manifest


def read_manifest(source: Path) -> dict[str, Any]:
    """The backup's manifest, after checking every file it lists against its checksum."""
    try:
        manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source} is not a complete backup: {exc}") from exc
    if manifest.get("format") != FORMAT or manifest.get("kind") != "agentpaas-embedded":
        raise BackupError(f"{source}: unknown backup format {manifest.get('format')!r}")
    for name, expected in manifest["files"].items():
        path = source / name
        if not path.is_file() or _sha256(path) != expected["sha256"]:
            raise BackupError(f"{source}: {name} is missing or changed since the backup")
    return manifest


def _check_schema_known(revision: str | None) -> None:
    """Refuse a dump whose schema this code's migrations don't know (a newer AgentPaaS's).

    An older one is fine: `agentpaas dev` migrates it forward when it starts.
    """
    if not revision:
        return
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    from migrations.runner import MIGRATIONS_DIR

    try:
        known = ScriptDirectory(str(MIGRATIONS_DIR)).get_revision(revision) is not None
    except CommandError:
        known = False
    if not known:
        raise BackupError(
            f"the backup's database schema (revision {revision}) is newer than this "
            "AgentPaaS: restore it with the version that made it"
        )


def restore(
    source: Path, data_dir: Path, *, force: bool = False, progress: Progress = lambda _: None
) -> dict[str, Any]:
    """Restore a backup into ``data_dir``, which must be new or empty unless ``force``.

    With ``force`` the old contents are moved aside (never deleted), and only while no
    platform runs on them. Everything is restored into a sibling directory first and
    renamed into place at the end, so a failed restore leaves ``data_dir`` as it was.
    """
    manifest = read_manifest(source)
    _check_schema_known(manifest.get("versions", {}).get("alembic_revision"))
    occupied = data_dir.exists() and any(data_dir.iterdir())
    if occupied and not force:
        raise BackupError(
            f"{data_dir} is not empty: restore into a new data directory, "
            "or pass --force to move its contents aside"
        )
    if occupied and stores.postgres_is_running(data_dir / POSTGRES_DIR):
        raise BackupError(f"a platform is running on {data_dir}: stop it first")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = data_dir.with_name(f".{data_dir.name}.restoring-{stamp}")
    staging.mkdir()
    try:
        with stores.embedded_postgres(staging / POSTGRES_DIR) as server_url:
            stores.restore_postgres(server_url, source / POSTGRES_DIR)
        progress("PostgreSQL: roles and database restored")
        for part in (DATABASE_FILE.parent, Path(LOCAL_STORAGE_DIR)):
            if (source / part).is_dir():
                stores.restore_files(source / part, staging / part)
        progress("Temporal and Qdrant: files restored")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if occupied:
        aside = data_dir.with_name(f"{data_dir.name}.replaced-{stamp}")
        data_dir.rename(aside)
        progress(f"the previous contents of {data_dir} are in {aside}")
    elif data_dir.exists():
        data_dir.rmdir()
    os.replace(staging, data_dir)
    return manifest
