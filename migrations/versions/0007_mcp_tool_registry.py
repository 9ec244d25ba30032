"""MCP tool registry: server credentials and the last health-check error.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22

A topic server may need a bearer credential; it is stored as an SM4 envelope
(``v1.<key id>.<iv>.<ciphertext>.<mac>``, bound to the tenant and the server row)
like provider API keys, with a short hint for people, and never returned. The
table already has row-level security (0002): new columns inherit its policy.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("mcp_topic_servers", sa.Column("credentials", sa.Text(), nullable=True))
    op.add_column(
        "mcp_topic_servers",
        sa.Column("credentials_hint", sa.String(length=32), nullable=True),
    )
    op.add_column("mcp_topic_servers", sa.Column("last_error", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("mcp_topic_servers", "last_error")
    op.drop_column("mcp_topic_servers", "credentials_hint")
    op.drop_column("mcp_topic_servers", "credentials")
