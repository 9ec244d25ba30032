"""Approval policies of human nodes: each person's answer, and groups of users; indexes
for notifications still waiting to be sent.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06

A human node may ask several people (M of N must agree, in sequential stages); each
answer is kept in ``human_task_answers``, one per task and voice. Assignees may be named
by group: ``user_groups`` and their members. All tenant-scoped under row-level security
like every other tenant table.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "agentpaas_app"
CURRENT_TENANT = "NULLIF(current_setting('app.tenant_id', true), '')::uuid"
TABLES = ("human_task_answers", "user_groups", "user_group_members")


def upgrade() -> None:
    op.create_table(
        "human_task_answers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("task_id", sa.Uuid(), nullable=False),
        sa.Column("answered_by", sa.Uuid(), nullable=False),
        sa.Column("voice", sa.String(length=255), nullable=False),
        sa.Column("agreed", sa.Boolean(), nullable=False),
        sa.Column(
            "human_input",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column(
            "answered_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["human_intervention_tasks.task_id"], ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["answered_by"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("task_id", "voice", name="uq_human_task_answers_voice"),
    )
    op.create_index(op.f("ix_human_task_answers_tenant_id"), "human_task_answers", ["tenant_id"])
    op.create_index(op.f("ix_human_task_answers_task_id"), "human_task_answers", ["task_id"])
    op.create_table(
        "user_groups",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "name", name="uq_user_groups_name"),
    )
    op.create_index(op.f("ix_user_groups_tenant_id"), "user_groups", ["tenant_id"])
    op.create_table(
        "user_group_members",
        sa.Column("group_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["user_groups.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("group_id", "user_id"),
    )
    op.create_index(op.f("ix_user_group_members_tenant_id"), "user_group_members", ["tenant_id"])
    # "Which groups am I in": the inbox and every answer ask it.
    op.create_index("ix_user_group_members_user", "user_group_members", ["user_id"])
    # Notifications whose e-mails or webhook deliveries still wait: the stranded sweep's.
    op.create_index(
        "ix_notifications_pending_email",
        "notifications",
        ["tenant_id", "created_at"],
        postgresql_where=sa.text("email_status = 'pending'"),
    )
    op.create_index(
        "ix_webhook_deliveries_pending",
        "webhook_deliveries",
        ["tenant_id", "created_at"],
        postgresql_where=sa.text("status = 'pending'"),
    )
    for table in TABLES:
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {APP_ROLE}")
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} "
            f"USING (tenant_id = {CURRENT_TENANT}) WITH CHECK (tenant_id = {CURRENT_TENANT})"
        )


def downgrade() -> None:
    op.drop_index("ix_webhook_deliveries_pending", table_name="webhook_deliveries")
    op.drop_index("ix_notifications_pending_email", table_name="notifications")
    for table in reversed(TABLES):
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
        op.drop_table(table)
