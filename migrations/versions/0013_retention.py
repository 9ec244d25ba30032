"""Retention: the sweeps' tenant listing and the indexes that keep their deletes cheap.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06

The retention sweeps (``temporal_workflows.retention``) run on the worker as the app
role, one tenant transaction per batch, so row-level security scopes every delete to
the tenant being swept: a wrong predicate can at worst delete too much of that one
tenant, never another's. The one thing they must see across tenants is which tenants
exist; ``agentpaas_retention_tenants`` answers that and nothing more (id, status, when it
last changed, and the tenant's audit retention setting), in id order so a sweep can page
through it while purging deleted tenants shifts no page. It runs as the owner for that.

The audit log stays append-only for the app role (0009); the sweep erases old rows only
through ``agentpaas_expire_audit_logs``, which runs as the owner and decides itself what
may go: only the calling transaction's tenant, at most 10,000 rows a call, never a row
younger than the tenant's own ``audit_retention_days`` (or 7 days, the least a tenant
may set, when it has none) — whatever cutoff the caller passes, it only ever narrows
that. A tenant soft-deleted that long ago may lose all its rows (the purge).

Indexes: expired chats by tenant and ``expires_at`` (only chats that expire at all),
finished runs by tenant and ``completed_at`` (the run-events sweep pages through them),
token reservations by tenant and ``created_at`` (stale holds, old closed rows). Audit rows
already have (tenant_id, created_at) from 0009.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "agentpaas_app"
SIGNATURE = "agentpaas_retention_tenants(uuid, integer)"
AUDIT_SIGNATURE = "agentpaas_expire_audit_logs(uuid, timestamptz, integer)"
MIN_AUDIT_DAYS = 7
MAX_AUDIT_DAYS = 3650


def upgrade() -> None:
    op.create_index(
        "ix_chats_tenant_expires",
        "chats",
        ["tenant_id", "expires_at"],
        postgresql_where=sa.text("expires_at IS NOT NULL"),
    )
    op.create_index(
        "ix_workflow_executions_tenant_completed",
        "workflow_executions",
        ["tenant_id", "completed_at"],
        postgresql_where=sa.text("completed_at IS NOT NULL"),
    )
    op.create_index(
        "ix_token_reservations_tenant_created", "token_reservations", ["tenant_id", "created_at"]
    )
    op.execute(
        """
        CREATE FUNCTION agentpaas_retention_tenants(p_after uuid, p_limit integer)
        RETURNS TABLE (
            id uuid, status varchar, updated_at timestamptz, audit_retention_days text
        )
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
            SELECT t.id, t.status, t.updated_at, t.settings->>'audit_retention_days'
            FROM tenants t
            WHERE p_after IS NULL OR t.id > p_after
            ORDER BY t.id
            LIMIT p_limit
        $$
        """
    )
    op.execute(
        f"""
        CREATE FUNCTION agentpaas_expire_audit_logs(
            p_tenant uuid, p_before timestamptz, p_limit integer
        ) RETURNS integer
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE
            v_status varchar;
            v_updated timestamptz;
            v_setting text;
            v_days integer := {MIN_AUDIT_DAYS};
            v_before timestamptz;
            v_deleted integer;
        BEGIN
            IF p_tenant IS DISTINCT FROM
                    NULLIF(current_setting('app.tenant_id', true), '')::uuid THEN
                RAISE EXCEPTION 'audit rows expire only in their own tenant''s transaction';
            END IF;
            SELECT t.status, t.updated_at, t.settings->>'audit_retention_days'
              INTO v_status, v_updated, v_setting
              FROM tenants t WHERE t.id = p_tenant;
            IF v_setting ~ '^[0-9]{{1,4}}$'
                    AND v_setting::integer BETWEEN {MIN_AUDIT_DAYS} AND {MAX_AUDIT_DAYS} THEN
                v_days := v_setting::integer;
            END IF;
            v_before := LEAST(p_before, now() - make_interval(days => v_days));
            IF v_status = 'deleted'
                    AND v_updated < LEAST(p_before, now() - make_interval(days => {MIN_AUDIT_DAYS})) THEN
                v_before := 'infinity';  -- deleted past its grace: the purge takes everything
            END IF;
            DELETE FROM audit_logs WHERE id IN (
                SELECT a.id FROM audit_logs a
                WHERE a.tenant_id = p_tenant AND a.created_at < v_before
                LIMIT LEAST(p_limit, 10000));
            GET DIAGNOSTICS v_deleted = ROW_COUNT;
            RETURN v_deleted;
        END
        $$
        """
    )
    for signature in (SIGNATURE, AUDIT_SIGNATURE):
        op.execute(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {signature} TO {APP_ROLE}")


def downgrade() -> None:
    op.execute(f"DROP FUNCTION IF EXISTS {AUDIT_SIGNATURE}")
    op.execute(f"DROP FUNCTION IF EXISTS {SIGNATURE}")
    op.drop_index("ix_token_reservations_tenant_created", table_name="token_reservations")
    op.drop_index("ix_workflow_executions_tenant_completed", table_name="workflow_executions")
    op.drop_index("ix_chats_tenant_expires", table_name="chats")
