"""Auth hardening: login throttling, tenant administration.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22

``login_failures`` records failed logins so throttling per account and per client
IP holds across API replicas. It is not tenant-owned (no tenant is known at login),
so it has no row-level security; the app role may only read, add and prune rows.
``agentpaas_list_tenants`` is the platform admin's one cross-tenant read (the
``tenants`` policy otherwise shows a transaction only its own tenant); the API
gates it behind the platform-admin check, as ``agentpaas_login_candidates`` is
gated behind a password.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "agentpaas_app"


def upgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("client_ip", sa.String(length=64), nullable=False),
        sa.Column(
            "attempted_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("account_cleared", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_login_failures_email_at", "login_failures", ["email", "attempted_at"], unique=False
    )
    op.create_index(
        "ix_login_failures_ip_at", "login_failures", ["client_ip", "attempted_at"], unique=False
    )
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON login_failures TO {APP_ROLE}")
    op.execute(f"GRANT USAGE, SELECT ON SEQUENCE login_failures_id_seq TO {APP_ROLE}")

    op.execute(
        """
        CREATE FUNCTION agentpaas_list_tenants(p_status text, p_limit integer, p_offset integer)
        RETURNS TABLE (
            id uuid, name varchar, display_name varchar, plan varchar, status varchar,
            settings jsonb, created_at timestamptz, updated_at timestamptz, total bigint
        )
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
            SELECT t.id, t.name, t.display_name, t.plan, t.status, t.settings,
                   t.created_at, t.updated_at, count(*) OVER ()
            FROM tenants t
            WHERE p_status IS NULL OR t.status = p_status
            ORDER BY t.created_at, t.name
            LIMIT p_limit OFFSET p_offset
        $$
        """
    )
    op.execute("REVOKE ALL ON FUNCTION agentpaas_list_tenants(text, integer, integer) FROM PUBLIC")
    op.execute(
        f"GRANT EXECUTE ON FUNCTION agentpaas_list_tenants(text, integer, integer) TO {APP_ROLE}"
    )


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS agentpaas_list_tenants(text, integer, integer)")
    op.drop_index("ix_login_failures_ip_at", table_name="login_failures")
    op.drop_index("ix_login_failures_email_at", table_name="login_failures")
    op.drop_table("login_failures")
