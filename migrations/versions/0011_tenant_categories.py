"""Store categories of a tenant's own beside the shared tree.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

The category tree was shared by every tenant and had no editor. Tenant admins now add,
rename, move and delete categories of their own: ``tenant_id`` NULL keeps a category
shared (seeded, read-only to tenants), a tenant's id makes it that tenant's. As for
workflow templates, row-level security lets a tenant read the shared rows and its own
and write only its own. Names were unique across the table; they are now unique among
the shared ones and within each tenant (NULLS NOT DISTINCT counts NULL as one owner).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CURRENT_TENANT = "NULLIF(current_setting('app.tenant_id', true), '')::uuid"


def upgrade() -> None:
    op.add_column("agent_categories", sa.Column("tenant_id", sa.Uuid(), nullable=True))
    op.create_foreign_key(
        "agent_categories_tenant_id_fkey",
        "agent_categories",
        "tenants",
        ["tenant_id"],
        ["id"],
        ondelete="CASCADE",
    )
    op.create_index(
        op.f("ix_agent_categories_tenant_id"), "agent_categories", ["tenant_id"], unique=False
    )
    op.drop_constraint("agent_categories_name_key", "agent_categories", type_="unique")
    op.create_unique_constraint(
        "uq_agent_categories_tenant_name",
        "agent_categories",
        ["tenant_id", "name"],
        postgresql_nulls_not_distinct=True,
    )
    op.execute("ALTER TABLE agent_categories ENABLE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY shared_or_own_read ON agent_categories FOR SELECT "
        f"USING (tenant_id IS NULL OR tenant_id = {CURRENT_TENANT})"
    )
    op.execute(
        "CREATE POLICY own_write ON agent_categories FOR ALL "
        f"USING (tenant_id = {CURRENT_TENANT}) WITH CHECK (tenant_id = {CURRENT_TENANT})"
    )


def downgrade() -> None:
    op.execute("DROP POLICY IF EXISTS own_write ON agent_categories")
    op.execute("DROP POLICY IF EXISTS shared_or_own_read ON agent_categories")
    op.execute("ALTER TABLE agent_categories DISABLE ROW LEVEL SECURITY")
    # Tenants' own categories cannot outlive the column that says whose they are; their
    # agents keep working without a category (the foreign key sets it to NULL).
    op.execute("DELETE FROM agent_categories WHERE tenant_id IS NOT NULL")
    op.drop_constraint("uq_agent_categories_tenant_name", "agent_categories", type_="unique")
    op.create_unique_constraint("agent_categories_name_key", "agent_categories", ["name"])
    op.drop_index(op.f("ix_agent_categories_tenant_id"), table_name="agent_categories")
    op.drop_constraint("agent_categories_tenant_id_fkey", "agent_categories", type_="foreignkey")
    op.drop_column("agent_categories", "tenant_id")
