"""The run event log in PostgreSQL, pushed to API processes with LISTEN/NOTIFY.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06

Runs used to keep their event stream inside the Temporal workflow (batched signals in,
long-poll updates out): every token batch and every open stream cost workflow tasks.
Now workers append events here and ``pg_notify`` them; each API process holds one
listening connection for all its streams, and a reconnect with ``Last-Event-ID``
reads the durable rows, then joins the live path.

``agentpaas_append_run_events(stream, tenant, events)`` is the only writer. It runs as
the caller (row-level security applies), locks the stream's counter row so a stream's
offsets commit in order, skips events whose key it already holds (a retried activity
hands the same workflow events again), and notifies each new event. A notification
carries the event itself when it fits PostgreSQL's 8000-byte payload limit, else only
its offset (listeners read the row).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "agentpaas_app"
CURRENT_TENANT = "NULLIF(current_setting('app.tenant_id', true), '')::uuid"
NEW_TENANT_TABLES = ("run_events", "run_event_streams")
CHANNEL = "agentpaas_run_events"


def upgrade() -> None:
    op.create_table(
        "run_events",
        sa.Column("stream_id", sa.String(length=255), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column(
            "event",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("event_key", sa.String(length=160), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("stream_id", "seq"),
    )
    op.create_index(
        "uq_run_events_key",
        "run_events",
        ["stream_id", "event_key"],
        unique=True,
        postgresql_where=sa.text("event_key IS NOT NULL"),
    )
    op.create_table(
        "run_event_streams",
        sa.Column("stream_id", sa.String(length=255), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("next_seq", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("stream_id"),
    )
    op.create_index(
        op.f("ix_run_event_streams_tenant_id"), "run_event_streams", ["tenant_id"], unique=False
    )
    for table in NEW_TENANT_TABLES:
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {APP_ROLE}")
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} "
            f"USING (tenant_id = {CURRENT_TENANT}) WITH CHECK (tenant_id = {CURRENT_TENANT})"
        )
    op.execute(
        f"""
        CREATE FUNCTION agentpaas_append_run_events(
            p_stream varchar, p_tenant uuid, p_events jsonb
        ) RETURNS integer
        LANGUAGE plpgsql SECURITY INVOKER SET search_path = public, pg_temp AS $$
        DECLARE
            v_next integer;
            v_item jsonb;
            v_key text;
            v_payload text;
            v_written integer := 0;
        BEGIN
            INSERT INTO run_event_streams AS s (stream_id, tenant_id, next_seq)
            VALUES (p_stream, p_tenant, 0)
            ON CONFLICT (stream_id) DO UPDATE SET next_seq = s.next_seq
            RETURNING s.next_seq INTO v_next;
            FOR v_item IN SELECT value FROM jsonb_array_elements(p_events) LOOP
                v_key := v_item->>'key';
                IF v_key IS NOT NULL AND EXISTS (
                    SELECT 1 FROM run_events WHERE stream_id = p_stream AND event_key = v_key
                ) THEN
                    CONTINUE;
                END IF;
                INSERT INTO run_events (stream_id, seq, tenant_id, event, event_key)
                VALUES (p_stream, v_next, p_tenant, v_item->'event', v_key);
                v_payload := json_build_object(
                    's', p_stream, 'q', v_next, 't', p_tenant, 'e', v_item->'event'
                )::text;
                IF octet_length(v_payload) > 7900 THEN
                    v_payload := json_build_object('s', p_stream, 'q', v_next, 't', p_tenant)::text;
                END IF;
                PERFORM pg_notify('{CHANNEL}', v_payload);
                v_next := v_next + 1;
                v_written := v_written + 1;
            END LOOP;
            IF v_written > 0 THEN
                UPDATE run_event_streams SET next_seq = v_next WHERE stream_id = p_stream;
            END IF;
            RETURN v_written;
        END
        $$
        """
    )
    op.execute(
        "REVOKE ALL ON FUNCTION agentpaas_append_run_events(varchar, uuid, jsonb) FROM PUBLIC"
    )
    op.execute(
        f"GRANT EXECUTE ON FUNCTION agentpaas_append_run_events(varchar, uuid, jsonb) TO {APP_ROLE}"
    )


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS agentpaas_append_run_events(varchar, uuid, jsonb)")
    op.drop_index(op.f("ix_run_event_streams_tenant_id"), table_name="run_event_streams")
    op.drop_table("run_event_streams")
    op.drop_index("uq_run_events_key", table_name="run_events")
    op.drop_table("run_events")
