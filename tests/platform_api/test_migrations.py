"""Migrations upgrade and downgrade cleanly, and the models and migrations agree."""

from __future__ import annotations

import asyncio

import asyncpg
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from agentpaas.runtime.postgres import ensure_database
from migrations import runner
from platform_core.db import to_plain_url, with_database
from platform_core.models import metadata


async def _tables(url: str) -> set[str]:
    conn = await asyncpg.connect(to_plain_url(url))
    try:
        rows = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return {r["tablename"] for r in rows}
    finally:
        await conn.close()


def _diff(url: str) -> list[object]:
    # Autogenerate compares with a sync connection; psycopg is in the dev dependencies.
    engine = create_engine(to_plain_url(url).replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


async def test_upgrade_downgrade_upgrade(pg_server_url: str) -> None:
    await ensure_database(pg_server_url, "migration_roundtrip")
    url = with_database(pg_server_url, "migration_roundtrip")

    await asyncio.to_thread(runner.upgrade, url)
    after_upgrade = await _tables(url)
    assert set(metadata.tables) <= after_upgrade

    await asyncio.to_thread(runner.downgrade, url, "base")
    assert await _tables(url) <= {"alembic_version"}

    await asyncio.to_thread(runner.upgrade, url)
    assert await _tables(url) == after_upgrade


async def test_autogenerate_finds_no_difference(pg_server_url: str) -> None:
    await ensure_database(pg_server_url, "migration_diff")
    url = with_database(pg_server_url, "migration_diff")
    await asyncio.to_thread(runner.upgrade, url)
    assert await asyncio.to_thread(_diff, url) == []
