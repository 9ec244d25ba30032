"""A node task's own log lines, kept with its record.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06

Developers debugging a run read each node's log lines on the node (its own lines and
the warnings of the libraries it called, credentials masked): they are written with the
node's outcome, bounded per node (``activities.node_logs``).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "workflow_node_executions",
        sa.Column(
            "logs",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
    )


def downgrade() -> None:
    op.drop_column("workflow_node_executions", "logs")
