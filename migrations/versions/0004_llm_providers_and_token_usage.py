"""Provider kinds, token reservations and monthly token usage.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23

``providers.kind`` says how the platform calls a provider (its litellm route).
``token_reservations`` holds tokens reserved against the monthly quota by model calls
in flight, one row per call attempt, so settling is idempotent and a retry can release
what a crashed attempt left. ``tenant_token_usage`` sums usage and cost per tenant
and calendar month. Both new tables are tenant-owned: row-level security applies.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "agentpaas_app"
CURRENT_TENANT = "NULLIF(current_setting('app.tenant_id', true), '')::uuid"
NEW_TENANT_TABLES = ("token_reservations", "tenant_token_usage")
PROVIDER_KINDS = ("openai", "anthropic", "zhipu", "openai_compatible")


def upgrade() -> None:
    op.add_column(
        "providers",
        sa.Column(
            "kind",
            sa.String(length=32),
            nullable=False,
            server_default="openai_compatible",
        ),
    )
    op.alter_column("providers", "kind", server_default=None)
    op.create_check_constraint("ck_providers_kind", "providers", f"kind IN {PROVIDER_KINDS}")

    op.create_table(
        "token_reservations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("execution_id", sa.Uuid(), nullable=False),
        sa.Column("task_id", sa.String(length=255), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=255), nullable=False),
        sa.Column("reserved_tokens", sa.BigInteger(), nullable=False),
        sa.Column("used_tokens", sa.BigInteger(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("settled_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('reserved', 'settled', 'released')", name="ck_token_reservations_status"
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "execution_id", "task_id", "attempt", name="uq_token_reservations_call"
        ),
    )
    op.create_index(
        op.f("ix_token_reservations_tenant_id"), "token_reservations", ["tenant_id"], unique=False
    )
    op.create_index(
        op.f("ix_token_reservations_execution_id"),
        "token_reservations",
        ["execution_id"],
        unique=False,
    )
    op.create_table(
        "tenant_token_usage",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("prompt_tokens", sa.BigInteger(), nullable=False),
        sa.Column("completion_tokens", sa.BigInteger(), nullable=False),
        sa.Column("total_tokens", sa.BigInteger(), nullable=False),
        sa.Column("cost", sa.Numeric(precision=14, scale=6), nullable=False),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("tenant_id", "month"),
    )
    for table in NEW_TENANT_TABLES:
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {APP_ROLE}")
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} "
            f"USING (tenant_id = {CURRENT_TENANT}) WITH CHECK (tenant_id = {CURRENT_TENANT})"
        )


def downgrade() -> None:
    op.drop_table("tenant_token_usage")
    op.drop_index(op.f("ix_token_reservations_execution_id"), table_name="token_reservations")
    op.drop_index(op.f("ix_token_reservations_tenant_id"), table_name="token_reservations")
    op.drop_table("token_reservations")
    op.drop_constraint("ck_providers_kind", "providers", type_="check")
    op.drop_column("providers", "kind")
