"""Budgets per agent and per user that pause runs.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06

``token_budgets`` holds a monthly limit per agent or user (under the tenant's quota) and
the counters of the current UTC month, plus the counter of what a user's own model keys
spent (``user_personal``). ``budget_waits`` lists the runs whose llm node waits for a
budget. Reservations remember whose budgets they hold, so settling and releasing give
back to exactly those counters. Tenant-scoped under row-level security like every
other tenant table.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "agentpaas_app"
CURRENT_TENANT = "NULLIF(current_setting('app.tenant_id', true), '')::uuid"
TABLES = ("token_budgets", "budget_waits")


def upgrade() -> None:
    op.create_table(
        "token_budgets",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("max_tokens_per_month", sa.BigInteger(), nullable=True),
        sa.Column("month", sa.Date(), nullable=True),
        sa.Column("used_tokens", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("reserved_tokens", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "scope IN ('agent', 'user', 'user_personal')", name="ck_token_budgets_scope"
        ),
        sa.CheckConstraint(
            "max_tokens_per_month IS NULL OR max_tokens_per_month >= 0",
            name="ck_token_budgets_limit",
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "scope", "subject_id", name="uq_token_budgets_subject"),
    )
    op.create_index(op.f("ix_token_budgets_tenant_id"), "token_budgets", ["tenant_id"])
    op.create_table(
        "budget_waits",
        sa.Column("execution_id", sa.Uuid(), nullable=False),
        sa.Column("task_id", sa.String(length=255), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("node_name", sa.String(length=128), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("period_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "since", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.CheckConstraint(
            "scope IN ('tenant', 'agent', 'user', 'user_personal')", name="ck_budget_waits_scope"
        ),
        sa.ForeignKeyConstraint(
            ["execution_id"], ["workflow_executions.execution_id"], ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("execution_id", "task_id"),
    )
    op.create_index(op.f("ix_budget_waits_tenant_id"), "budget_waits", ["tenant_id"])
    op.create_index(
        "ix_budget_waits_tenant_scope", "budget_waits", ["tenant_id", "scope", "subject_id"]
    )
    op.add_column("token_reservations", sa.Column("agent_id", sa.Uuid(), nullable=True))
    op.add_column("token_reservations", sa.Column("user_id", sa.Uuid(), nullable=True))
    op.add_column(
        "token_reservations",
        sa.Column("paid_by_user", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )
    for table in TABLES:
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {APP_ROLE}")
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} "
            f"USING (tenant_id = {CURRENT_TENANT}) WITH CHECK (tenant_id = {CURRENT_TENANT})"
        )


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
    op.drop_column("token_reservations", "paid_by_user")
    op.drop_column("token_reservations", "user_id")
    op.drop_column("token_reservations", "agent_id")
    op.drop_index("ix_budget_waits_tenant_scope", table_name="budget_waits")
    op.drop_index(op.f("ix_budget_waits_tenant_id"), table_name="budget_waits")
    op.drop_table("budget_waits")
    op.drop_index(op.f("ix_token_budgets_tenant_id"), table_name="token_budgets")
    op.drop_table("token_budgets")
