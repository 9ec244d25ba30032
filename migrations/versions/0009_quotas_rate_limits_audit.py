"""Quotas, rate limits and the audit log.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22

``rate_limit_counters`` holds one fixed-window hit count per bucket (an opaque digest
of a credential or client IP), shared by every API replica. It is UNLOGGED — a crash
only restarts the current windows — and keyed by no tenant, so it has no RLS.
The audit log becomes append-only for the application role: the app may write and
read its tenant's rows but never rewrite or erase history.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "agentpaas_app"


def upgrade() -> None:
    op.create_table(
        "rate_limit_counters",
        sa.Column("bucket", sa.String(length=80), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("bucket"),
        prefixes=["UNLOGGED"],
    )
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON rate_limit_counters TO {APP_ROLE}")
    op.execute(f"REVOKE UPDATE, DELETE ON audit_logs FROM {APP_ROLE}")


def downgrade() -> None:
    op.execute(f"GRANT UPDATE, DELETE ON audit_logs TO {APP_ROLE}")
    op.drop_table("rate_limit_counters")
