"""One-statement work for a tenant: the tenant set by the statement itself.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07

A tenant's transaction costs three round trips around its work: ``BEGIN``, the
``set_config`` of ``app.tenant_id`` that row-level security reads, and ``COMMIT``. Work
that is a single statement, and that happens on every request, every batch of a
streamed answer or every stream's start, now runs as that one statement alone
(autocommit): a function that enters the tenant, then does the work under row-level
security as before.

- ``agentpaas_enter_tenant(tenant)`` sets ``app.tenant_id`` for the current transaction,
  and refuses a transaction that already belongs to another tenant.
- ``agentpaas_append_run_events_as(stream, tenant, events)``: the run event log's append
  (``agentpaas_append_run_events``) in the tenant.
- ``agentpaas_read_run_events_as(stream, tenant, from, limit)``: a stream's read of the
  log from an offset.
- ``agentpaas_caller_account(tenant, user)``: what authenticating a request reads, the
  user and their tenant.
- ``agentpaas_budget_waited_on_as(tenant, scopes, subjects)``: which of a finished llm
  call's budget counters some run waits on (after every call; nearly always none).
- ``agentpaas_record_audit_as(tenant, ...)``: one audit row (every audited request).

All run as the caller (``SECURITY INVOKER``): the app role, under row-level security.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "agentpaas_app"
FUNCTIONS = (
    "agentpaas_enter_tenant(uuid)",
    "agentpaas_append_run_events_as(varchar, uuid, jsonb)",
    "agentpaas_read_run_events_as(varchar, uuid, integer, integer)",
    "agentpaas_caller_account(uuid, uuid)",
    "agentpaas_budget_waited_on_as(uuid, text[], uuid[])",
    "agentpaas_record_audit_as(uuid, uuid, text, text, text, text, text, integer, text, text, jsonb)",
)


def upgrade() -> None:
    """Create the functions, callable by the app role only."""
    op.execute(
        """
        CREATE FUNCTION agentpaas_enter_tenant(p_tenant uuid) RETURNS void
        LANGUAGE plpgsql SECURITY INVOKER SET search_path = public, pg_temp AS $$
        DECLARE
            v_current text := NULLIF(current_setting('app.tenant_id', true), '');
        BEGIN
            IF p_tenant IS NULL THEN
                RAISE EXCEPTION 'no tenant given' USING ERRCODE = '22004';
            END IF;
            IF v_current IS NOT NULL AND v_current <> p_tenant::text THEN
                RAISE EXCEPTION 'the transaction belongs to another tenant'
                    USING ERRCODE = '42501';
            END IF;
            PERFORM set_config('app.tenant_id', p_tenant::text, true);
        END
        $$
        """
    )
    op.execute(
        """
        CREATE FUNCTION agentpaas_append_run_events_as(
            p_stream varchar, p_tenant uuid, p_events jsonb
        ) RETURNS integer
        LANGUAGE plpgsql SECURITY INVOKER SET search_path = public, pg_temp AS $$
        BEGIN
            PERFORM agentpaas_enter_tenant(p_tenant);
            RETURN agentpaas_append_run_events(p_stream, p_tenant, p_events);
        END
        $$
        """
    )
    op.execute(
        """
        CREATE FUNCTION agentpaas_read_run_events_as(
            p_stream varchar, p_tenant uuid, p_from integer, p_limit integer
        ) RETURNS TABLE (seq integer, event jsonb)
        LANGUAGE plpgsql SECURITY INVOKER SET search_path = public, pg_temp AS $$
        BEGIN
            PERFORM agentpaas_enter_tenant(p_tenant);
            RETURN QUERY
                SELECT e.seq, e.event FROM run_events e
                WHERE e.stream_id = p_stream AND e.seq >= p_from
                ORDER BY e.seq LIMIT p_limit;
        END
        $$
        """
    )
    op.execute(
        """
        CREATE FUNCTION agentpaas_caller_account(p_tenant uuid, p_user uuid)
        RETURNS TABLE (
            user_id uuid, tenant_id uuid, role text, email text, status text,
            token_version integer, tenant_status text, tenant_name text
        )
        LANGUAGE plpgsql SECURITY INVOKER SET search_path = public, pg_temp AS $$
        BEGIN
            PERFORM agentpaas_enter_tenant(p_tenant);
            RETURN QUERY
                SELECT u.id, u.tenant_id, u.role::text, u.email::text, u.status::text,
                       u.token_version, t.status::text, t.name::text
                FROM users u JOIN tenants t ON t.id = u.tenant_id
                WHERE u.id = p_user AND t.id = p_tenant;
        END
        $$
        """
    )
    op.execute(
        """
        CREATE FUNCTION agentpaas_budget_waited_on_as(
            p_tenant uuid, p_scopes text[], p_subjects uuid[]
        ) RETURNS TABLE (scope text, subject_id uuid)
        LANGUAGE plpgsql SECURITY INVOKER SET search_path = public, pg_temp AS $$
        BEGIN
            PERFORM agentpaas_enter_tenant(p_tenant);
            RETURN QUERY
                SELECT DISTINCT w.scope::text, w.subject_id
                FROM budget_waits w
                JOIN unnest(p_scopes, p_subjects) AS c(scope, subject_id)
                  ON w.scope = c.scope AND w.subject_id = c.subject_id;
        END
        $$
        """
    )
    op.execute(
        """
        CREATE FUNCTION agentpaas_record_audit_as(
            p_tenant uuid, p_actor uuid, p_actor_type text, p_action text, p_target_type text,
            p_target_id text, p_outcome text, p_status integer, p_request_id text,
            p_ip text, p_details jsonb
        ) RETURNS void
        LANGUAGE plpgsql SECURITY INVOKER SET search_path = public, pg_temp AS $$
        BEGIN
            PERFORM agentpaas_enter_tenant(p_tenant);
            INSERT INTO audit_logs (
                id, tenant_id, actor_id, actor_type, action, target_type, target_id,
                outcome, status_code, request_id, ip_address, details, created_at
            ) VALUES (
                gen_random_uuid(), p_tenant, p_actor, p_actor_type, p_action, p_target_type,
                p_target_id, p_outcome, p_status, p_request_id, p_ip,
                coalesce(p_details, '{}'::jsonb), now()
            );
        END
        $$
        """
    )
    for function in FUNCTIONS:
        op.execute(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {function} TO {APP_ROLE}")


def downgrade() -> None:
    """Drop them (callers go back to a transaction with its own set_config)."""
    for function in reversed(FUNCTIONS):
        op.execute(f"DROP FUNCTION IF EXISTS {function}")
