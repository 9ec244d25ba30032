"""A security-definer counter for template usage.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22

Shared catalog templates have no tenant, so the app role may read but not write
them (RLS). Counting their use is the one write tenants need; this function does
exactly that and nothing else.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        """
        CREATE FUNCTION agentpaas_count_template_use(p_template_id uuid)
        RETURNS void
        LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
            UPDATE workflow_templates SET usage_count = usage_count + 1
            WHERE id = p_template_id
              AND (tenant_id IS NULL
                   OR tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
        $$
        """
    )
    op.execute("REVOKE ALL ON FUNCTION agentpaas_count_template_use(uuid) FROM PUBLIC")
    op.execute("GRANT EXECUTE ON FUNCTION agentpaas_count_template_use(uuid) TO agentpaas_app")


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS agentpaas_count_template_use(uuid)")
