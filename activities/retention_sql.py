"""The retention sweeps' statements: each deletes at most ``:batch`` rows of one tenant.

Every statement names ``:tenant`` itself and runs in that tenant's transaction, so
row-level security and the filter agree; the sweep repeats it until it deletes fewer
than a batch. Orders matter where rows reference each other: children go first, so a
delete never cascades into an unbounded number of rows.
"""

from __future__ import annotations

from sqlalchemy import TextClause, text

ACTIVE_RUN_STATUSES = "('pending', 'running', 'paused', 'interrupted')"
FINISHED_RUN_STATUSES = "('completed', 'failed', 'cancelled')"

# Chats past their expiry with no run in flight (a run would still write to them).
_EXPIRED_CHATS = f"""
    SELECT c.id FROM chats c
    WHERE c.tenant_id = :tenant AND c.expires_at IS NOT NULL AND c.expires_at < :cutoff
      AND NOT EXISTS (
        SELECT 1 FROM workflow_executions a
        WHERE a.chat_id = c.id AND a.status IN {ACTIVE_RUN_STATUSES}
      )
"""
_EXPIRED_RUNS = f"""
    SELECT x.execution_id, x.workflow_id FROM workflow_executions x
    WHERE x.tenant_id = :tenant AND x.chat_id IN ({_EXPIRED_CHATS})
"""

# An expired chat and everything hanging off it: its runs' event logs, node records and
# runs (their human tasks cascade, a handful per run), then messages, then the chat.
EXPIRED_CHAT_STEPS: tuple[tuple[str, TextClause], ...] = (
    (
        "run_events",
        text(f"""
        DELETE FROM run_events WHERE (stream_id, seq) IN (
            SELECT e.stream_id, e.seq FROM run_events e
            WHERE e.stream_id IN (SELECT r.workflow_id FROM ({_EXPIRED_RUNS}) r)
            LIMIT :batch)
        """),
    ),
    (
        "run_event_streams",
        text(f"""
        DELETE FROM run_event_streams WHERE stream_id IN (
            SELECT s.stream_id FROM run_event_streams s
            WHERE s.stream_id IN (SELECT r.workflow_id FROM ({_EXPIRED_RUNS}) r)
            LIMIT :batch)
        """),
    ),
    (
        "workflow_node_executions",
        text(f"""
        DELETE FROM workflow_node_executions WHERE id IN (
            SELECT n.id FROM workflow_node_executions n
            WHERE n.execution_id IN (SELECT r.execution_id FROM ({_EXPIRED_RUNS}) r)
            LIMIT :batch)
        """),
    ),
    (
        "workflow_executions",
        text(f"""
        DELETE FROM workflow_executions WHERE execution_id IN (
            SELECT r.execution_id FROM ({_EXPIRED_RUNS}) r LIMIT :batch)
        """),
    ),
    (
        "chat_messages",
        text(f"""
        DELETE FROM chat_messages WHERE id IN (
            SELECT m.id FROM chat_messages m
            WHERE m.tenant_id = :tenant AND m.chat_id IN ({_EXPIRED_CHATS})
            LIMIT :batch)
        """),
    ),
    ("chats", text(f"DELETE FROM chats WHERE id IN ({_EXPIRED_CHATS} LIMIT :batch)")),
)

# Finished runs older than the cutoff, a page at a time in (completed_at, id) order.
FINISHED_RUNS_PAGE = text(f"""
    SELECT x.execution_id, x.workflow_id, x.completed_at FROM workflow_executions x
    WHERE x.tenant_id = :tenant AND x.completed_at IS NOT NULL AND x.completed_at < :cutoff
      AND x.status IN {FINISHED_RUN_STATUSES}
      AND (x.completed_at, x.execution_id)
          > (CAST(:after_at AS timestamptz), CAST(:after_id AS uuid))
    ORDER BY x.completed_at, x.execution_id
    LIMIT :page
""")
# Their events but the last: `done` stays, so a late reader still gets the outcome and a
# stream that is read again ends instead of waiting for events that will never come.
RUN_EVENTS_BUT_DONE = text("""
    DELETE FROM run_events WHERE (stream_id, seq) IN (
        SELECT e.stream_id, e.seq FROM run_events e
        WHERE e.stream_id = ANY(CAST(:streams AS varchar[]))
          AND e.event->>'event' IS DISTINCT FROM 'done'
        LIMIT :batch)
""")

# The app role may not delete audit rows itself (0009): the owner's function does, and
# never deletes a row younger than the tenant's retention, whatever cutoff it is given.
AUDIT_ROWS = text("SELECT agentpaas_expire_audit_logs(:tenant, :cutoff, :batch)")

CLOSED_RESERVATIONS = text("""
    DELETE FROM token_reservations WHERE id IN (
        SELECT t.id FROM token_reservations t
        WHERE t.tenant_id = :tenant AND t.status <> 'reserved' AND t.created_at < :cutoff
        LIMIT :batch)
""")

# Events with an e-mail or a webhook delivery still waiting since before the cutoff, in
# id order after :after (the partial indexes of migration 0019 hold only waiting rows).
STRANDED_EVENTS = text("""
    SELECT event_id FROM (
        SELECT n.event_id FROM notifications n
        WHERE n.tenant_id = :tenant AND n.email_status = 'pending' AND n.created_at < :cutoff
        UNION
        SELECT d.event_id FROM webhook_deliveries d
        WHERE d.tenant_id = :tenant AND d.status = 'pending' AND d.created_at < :cutoff
    ) waiting
    WHERE event_id > :after
    ORDER BY event_id
    LIMIT :batch
""")

# Every purge statement re-checks that the tenant is still deleted and past its grace:
# a tenant restored mid-purge keeps what is left.
_STILL_PURGEABLE = """
    EXISTS (SELECT 1 FROM tenants t
            WHERE t.id = :tenant AND t.status = 'deleted' AND t.updated_at < :cutoff)
"""
PURGEABLE = text(f"SELECT {_STILL_PURGEABLE}")
KNOWLEDGE_BASES = text(
    "SELECT id, embedding_model, embedding_dimension FROM knowledge_bases WHERE tenant_id = :tenant"
)
TENANT_RUN_EVENTS = text(f"""
    DELETE FROM run_events WHERE (stream_id, seq) IN (
        SELECT e.stream_id, e.seq FROM run_event_streams s
        JOIN run_events e ON e.stream_id = s.stream_id
        WHERE s.tenant_id = :tenant
        LIMIT :batch)
    AND {_STILL_PURGEABLE}
""")
TENANT_ROW = text(f"DELETE FROM tenants WHERE id = :tenant AND {_STILL_PURGEABLE}")
EXISTING_TABLES = text(
    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') "
    "AND c.relname = ANY(CAST(:names AS text[]))"
)
TENANTS_PAGE = text(
    "SELECT id, status, updated_at, audit_retention_days "
    "FROM agentpaas_retention_tenants(:after, :limit)"
)


def tenant_rows(table: str) -> TextClause:
    """A batch of one deleted tenant's rows of ``table`` (a name from the models)."""
    if table == "audit_logs":
        return AUDIT_ROWS
    quoted = '"' + table.replace('"', '""') + '"'
    return text(f"""
        DELETE FROM {quoted} WHERE ctid = ANY(ARRAY(
            SELECT ctid FROM {quoted} WHERE tenant_id = :tenant LIMIT :batch))
        AND {_STILL_PURGEABLE}
    """)
