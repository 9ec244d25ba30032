"""A run's outcome written by one statement that enters its tenant itself.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-08

Every run ends by writing its outcome: the node totals summed into the execution row,
the assistant's message (and its chat touched), the row's status, and the run's last
events (``done`` among them) appended to its log. That was a transaction of its own
(``BEGIN``, ``set_config``, five statements, ``COMMIT``: eight round trips at the end of
every run). ``agentpaas_finish_run_as`` does it as one statement, like the functions of
0023: it enters the tenant and writes under row-level security. A run that failed, was
cancelled or ran nodes inside the workflow still writes those first in a transaction of
the same tenant and then calls the function there.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "agentpaas_app"
FUNCTION = (
    "agentpaas_finish_run_as(uuid, uuid, text, jsonb, jsonb, integer, integer, integer, "
    "timestamptz, uuid, uuid, uuid, text, varchar, jsonb)"
)


def upgrade() -> None:
    """Create the function, callable by the app role only."""
    op.execute(
        """
        CREATE FUNCTION agentpaas_finish_run_as(
            p_tenant uuid, p_execution uuid, p_status text, p_final_result jsonb,
            p_error jsonb, p_total_nodes integer, p_completed_nodes integer,
            p_failed_nodes integer, p_now timestamptz, p_chat uuid, p_answer_id uuid,
            p_answer_parent uuid, p_answer text, p_stream varchar, p_events jsonb
        ) RETURNS void
        LANGUAGE plpgsql SECURITY INVOKER SET search_path = public, pg_temp AS $$
        DECLARE
            v_tokens bigint;
            v_cost numeric;
        BEGIN
            PERFORM agentpaas_enter_tenant(p_tenant);
            SELECT coalesce(sum(tokens_consumed), 0), coalesce(sum(cost_estimate), 0)
              INTO v_tokens, v_cost
              FROM workflow_node_executions WHERE execution_id = p_execution;
            IF p_answer_id IS NOT NULL THEN
                INSERT INTO chat_messages (
                    id, tenant_id, chat_id, parent_message_id, role, content, status,
                    metadata, workflow_execution_id, workflow_status, message_type,
                    is_intermediate, tokens_used, created_at
                ) VALUES (
                    p_answer_id, p_tenant, p_chat, p_answer_parent, 'assistant', p_answer,
                    'sent', '{}'::jsonb, p_execution, p_status, 'text', false, v_tokens, p_now
                )
                -- A retried finish finds its message written.
                ON CONFLICT (id) DO NOTHING;
                UPDATE chats SET updated_at = p_now WHERE id = p_chat;
            END IF;
            UPDATE workflow_executions
               SET status = p_status, final_result = p_final_result, error_info = p_error,
                   completed_at = p_now, total_nodes = p_total_nodes,
                   completed_nodes = p_completed_nodes, failed_nodes = p_failed_nodes,
                   tokens_consumed = v_tokens, cost_estimate = v_cost
             WHERE execution_id = p_execution;
            -- The last events, `done` among them, commit with the outcome: a client that
            -- sees `done` finds the answer stored.
            IF jsonb_array_length(coalesce(p_events, '[]'::jsonb)) > 0 THEN
                PERFORM agentpaas_append_run_events(p_stream, p_tenant, p_events);
            END IF;
        END
        $$
        """
    )
    op.execute(f"REVOKE ALL ON FUNCTION {FUNCTION} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {FUNCTION} TO {APP_ROLE}")


def downgrade() -> None:
    """Drop it (the finish goes back to a transaction of its own)."""
    op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}")
