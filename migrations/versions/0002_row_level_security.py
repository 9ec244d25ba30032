"""Row-level security, the application role and the login lookup function.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

The application connects as ``agentpaas_app`` (or a login role that is a member
of it): it owns nothing and cannot bypass RLS, so every tenant-owned table only
shows rows whose ``tenant_id`` equals the transaction's ``app.tenant_id``.
Login is the one moment no tenant is known yet; the security-definer function
below answers exactly that question (who has this email, in which tenants) and
nothing else.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "agentpaas_app"

# Frozen here on purpose: a later migration that adds a table adds its own policy.
TENANT_OWNED = (
    "users",
    "api_keys",
    "tenant_quotas",
    "refresh_tokens",
    "agents",
    "agent_versions",
    "agent_usages",
    "agent_reviews",
    "agent_version_transitions",
    "chats",
    "chat_messages",
    "workflow_executions",
    "workflow_node_executions",
    "human_intervention_tasks",
    "providers",
    "service_configs",
    "mcp_topic_servers",
    "mcp_tools",
    "tool_grants",
    "knowledge_bases",
    "knowledge_documents",
    "audit_logs",
)
TENANT_OPTIONAL = ("workflow_templates", "workflow_template_nodes", "workflow_template_edges")
CURRENT_TENANT = "NULLIF(current_setting('app.tenant_id', true), '')::uuid"


def upgrade() -> None:
    op.execute(
        f"""
        DO $$ BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
            CREATE ROLE {APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
          END IF;
        END $$;
        """
    )
    op.execute(f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}")
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE}")
    op.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE}")
    # Alembic's own bookkeeping is not the app's business.
    op.execute(f"REVOKE ALL ON alembic_version FROM {APP_ROLE}")

    for table in TENANT_OWNED:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} "
            f"USING (tenant_id = {CURRENT_TENANT}) WITH CHECK (tenant_id = {CURRENT_TENANT})"
        )
    for table in TENANT_OPTIONAL:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY shared_or_own_read ON {table} FOR SELECT "
            f"USING (tenant_id IS NULL OR tenant_id = {CURRENT_TENANT})"
        )
        op.execute(
            f"CREATE POLICY own_write ON {table} FOR ALL "
            f"USING (tenant_id = {CURRENT_TENANT}) WITH CHECK (tenant_id = {CURRENT_TENANT})"
        )
    op.execute("ALTER TABLE tenants ENABLE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY tenant_self ON tenants USING (id = {CURRENT_TENANT})")

    op.execute(
        """
        CREATE FUNCTION agentpaas_login_candidates(p_email text)
        RETURNS TABLE (
            user_id uuid, tenant_id uuid, tenant_name varchar, tenant_display_name varchar,
            tenant_status varchar, password_hash varchar, role varchar, status varchar,
            token_version integer
        )
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
            SELECT u.id, u.tenant_id, t.name, t.display_name, t.status, u.password_hash,
                   u.role, u.status, u.token_version
            FROM users u JOIN tenants t ON t.id = u.tenant_id
            WHERE lower(u.email) = lower(p_email) AND t.status <> 'deleted'
            ORDER BY t.name
        $$
        """
    )
    op.execute("REVOKE ALL ON FUNCTION agentpaas_login_candidates(text) FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION agentpaas_login_candidates(text) TO {APP_ROLE}")


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS agentpaas_login_candidates(text)")
    op.execute("DROP POLICY IF EXISTS tenant_self ON tenants")
    op.execute("ALTER TABLE tenants DISABLE ROW LEVEL SECURITY")
    for table in TENANT_OPTIONAL:
        op.execute(f"DROP POLICY IF EXISTS own_write ON {table}")
        op.execute(f"DROP POLICY IF EXISTS shared_or_own_read ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    for table in TENANT_OWNED:
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    op.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {APP_ROLE}")
    op.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {APP_ROLE}")
    op.execute(f"REVOKE USAGE ON SCHEMA public FROM {APP_ROLE}")
