"""Tool store installs.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06

A tenant admin installs an MCP server from the tool store's catalogue: the server is
registered like any other (``mcp_topic_servers``, credential sealed there), and this
row remembers which catalogue entry it came from, the URL parameters filled in, who
installed it and the roles it was granted to. Tenant-scoped under row-level security
like every other tenant table.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "agentpaas_app"
CURRENT_TENANT = "NULLIF(current_setting('app.tenant_id', true), '')::uuid"


def upgrade() -> None:
    """Create tool_installations with its tenant isolation policy."""
    op.create_table(
        "tool_installations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("entry_id", sa.String(length=64), nullable=False),
        sa.Column("tool_server_id", sa.Uuid(), nullable=False),
        sa.Column("installed_by", sa.Uuid(), nullable=True),
        sa.Column(
            "parameters",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column(
            "granted_roles",
            postgresql.ARRAY(sa.Text()),
            server_default=sa.text("'{}'::text[]"),
            nullable=False,
        ),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tool_server_id"], ["mcp_topic_servers.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["installed_by"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "entry_id", name="uq_tool_installations_entry"),
    )
    for column in ("tenant_id", "tool_server_id"):
        op.create_index(op.f(f"ix_tool_installations_{column}"), "tool_installations", [column])
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON tool_installations TO {APP_ROLE}")
    op.execute("ALTER TABLE tool_installations ENABLE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY tenant_isolation ON tool_installations "
        f"USING (tenant_id = {CURRENT_TENANT}) WITH CHECK (tenant_id = {CURRENT_TENANT})"
    )


def downgrade() -> None:
    """Drop tool_installations (the servers it installed stay registered)."""
    op.execute("DROP POLICY IF EXISTS tenant_isolation ON tool_installations")
    for column in ("tenant_id", "tool_server_id"):
        op.drop_index(op.f(f"ix_tool_installations_{column}"), table_name="tool_installations")
    op.drop_table("tool_installations")
