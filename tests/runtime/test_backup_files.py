"""The file-level parts of a backup: live SQLite copies, Qdrant's locked directory, checksums."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from qdrant_client import QdrantClient, models

from agentpaas.runtime.backup import BackupError, back_up, read_manifest, restore
from agentpaas.runtime.backup_stores import copy_qdrant, copy_sqlite


def test_a_live_wal_database_is_copied_with_its_committed_rows_as_one_file(
    tmp_path: Path,
) -> None:
    source = tmp_path / "live.sqlite"
    writer = sqlite3.connect(source)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY)")
    writer.executemany("INSERT INTO runs VALUES (?)", [(i,) for i in range(100)])
    writer.commit()
    writer.execute("INSERT INTO runs VALUES (1000)")  # open transaction: not in the copy
    try:
        assert (tmp_path / "live.sqlite-wal").stat().st_size > 0  # the rows are in the WAL
        copy_sqlite(source, tmp_path / "copy" / "copy.sqlite")
    finally:
        writer.rollback()
        writer.close()
    assert sorted(p.name for p in (tmp_path / "copy").iterdir()) == ["copy.sqlite"]
    copy = sqlite3.connect(tmp_path / "copy" / "copy.sqlite")
    try:
        assert copy.execute("SELECT count(*), max(id) FROM runs").fetchone() == (100, 99)
    finally:
        copy.close()


def test_qdrant_local_mode_is_copied_while_its_client_holds_the_lock(tmp_path: Path) -> None:
    live = QdrantClient(path=str(tmp_path / "qdrant"))
    try:
        live.create_collection(
            "kb", vectors_config=models.VectorParams(size=3, distance=models.Distance.COSINE)
        )
        live.upsert(
            "kb",
            [models.PointStruct(id=i, vector=[1.0, float(i), 0.5]) for i in range(20)],
        )
        copied = copy_qdrant(tmp_path / "qdrant", tmp_path / "copy")
    finally:
        live.close()
    assert {p.name for p in copied} == {"meta.json", "storage.sqlite"}
    restored = QdrantClient(path=str(tmp_path / "copy"))
    try:
        assert restored.count("kb").count == 20
    finally:
        restored.close()


def test_a_data_directory_without_a_platform_is_not_backed_up(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="no embedded platform"):
        back_up(tmp_path / "data", tmp_path / "backup")


def _fake_backup(root: Path) -> Path:
    """A manifest over one file: enough for the checks that run before anything is restored."""
    (root / "temporal").mkdir(parents=True)
    (root / "temporal" / "temporal.sqlite").write_bytes(b"history")
    digest = hashlib.sha256(b"history").hexdigest()
    manifest = {
        "format": 1,
        "kind": "agentpaas-embedded",
        "files": {"temporal/temporal.sqlite": {"bytes": 7, "sha256": digest}},
    }
    (root / "manifest.json").write_text(json.dumps(manifest))
    return root


def test_a_changed_or_incomplete_backup_is_refused(tmp_path: Path) -> None:
    backup = _fake_backup(tmp_path / "backup")
    assert read_manifest(backup)["format"] == 1
    (backup / "temporal" / "temporal.sqlite").write_bytes(b"tampered")
    with pytest.raises(BackupError, match="missing or changed"):
        read_manifest(backup)
    (backup / "manifest.json").unlink()
    with pytest.raises(BackupError, match="not a complete backup"):
        read_manifest(backup)


def test_restore_leaves_a_non_empty_data_directory_alone_without_force(tmp_path: Path) -> None:
    backup = _fake_backup(tmp_path / "backup")
    data = tmp_path / "data"
    data.mkdir()
    (data / "keep.txt").write_text("mine")
    with pytest.raises(BackupError, match="not empty"):
        restore(backup, data)
    assert [p.name for p in data.iterdir()] == ["keep.txt"]


def test_a_backup_of_a_newer_schema_is_refused(tmp_path: Path) -> None:
    backup = _fake_backup(tmp_path / "backup")
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["versions"] = {"alembic_revision": "9999_from_a_later_release"}
    (backup / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(BackupError, match="newer than this AgentPaaS"):
        restore(backup, tmp_path / "data")
    assert not (tmp_path / "data").exists()
