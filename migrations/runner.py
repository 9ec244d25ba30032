"""Run Alembic programmatically (the ``agentpaas migrate`` command and the tests use this)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent


def alembic_config(admin_url: str) -> Config:
    """An Alembic config pointing at this package and at ``admin_url`` (the table owner)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", admin_url.replace("%", "%%"))
    return config


def upgrade(admin_url: str, revision: str = "head") -> None:
    """Apply migrations up to ``revision``. Blocking: call it from a thread in async code."""
    command.upgrade(alembic_config(admin_url), revision)


def downgrade(admin_url: str, revision: str = "base") -> None:
    """Revert migrations down to ``revision``."""
    command.downgrade(alembic_config(admin_url), revision)
