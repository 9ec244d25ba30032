"""Data at scale: indexes that let the big lists answer from an index under row-level security.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06

Measured with bench/data_scale.py (a tenant with 10,000 agents, 100,000 chats, a million
messages, node executions and audit rows, among 99 others; docs/benchmarks.md, issue 20).
Every index leads with ``tenant_id``: the row-level security policy (``tenant_id =
current_setting('app.tenant_id')``) then becomes an index condition, evaluated once per
scan, instead of a filter evaluated on every row of a heap scan (0.6 µs a row, four times
the cost of the scan itself on the audit log). The policies themselves stay as they are:
wrapping ``current_setting`` in a sub-select would evaluate it once too, but hides the
tenant from the planner's estimates, and with one tenant holding most rows the plans and
the estimated page totals (platform_api/paging.py) need to know which tenant it is.

- inbox: only the open tasks, by priority then due time, so a page and its count read
  open tasks only, nearly in the inbox's order (the models declare the same indexes);
- audit log: the filters an admin narrows by (action, outcome), newest first;
- chats: a user's chats of one status by last activity (the sidebar and chat search);
- agents: the tenant's agents by status and publication (store browsing, quota usage).

Store search is the one query whose filter cannot use an index under row-level security:
its operators (full text ``@@``, pg_trgm's ``%``/``<%``, ``ILIKE``) are not LEAKPROOF, so
PostgreSQL evaluates them only after the policy, on every agent of the tenant (17 µs an
agent for the text document alone). ``agentpaas_store_matches`` answers only "which of
the current tenant's published agents match this text" as the table owner, where the GIN
indexes apply (the trigram index of 0006 and a new one on the agent's text document); the
store's query keeps running as the app role under RLS and ranks the matches it gets.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    (
        "ix_human_tasks_open_inbox",
        "human_intervention_tasks",
        "tenant_id, priority, due_at, created_at, task_id",
        "status IN ('pending', 'in_progress')",
    ),
    (
        "ix_audit_logs_tenant_action_outcome",
        "audit_logs",
        "tenant_id, action, outcome, created_at",
        None,
    ),
    (
        "ix_chats_tenant_user_status_updated",
        "chats",
        "tenant_id, user_id, status, updated_at",
        None,
    ),
    (
        "ix_agents_tenant_status_published",
        "agents",
        "tenant_id, status, published_at",
        None,
    ),
)


APP_ROLE = "agentpaas_app"
# The words of an agent the store's full-text search reads (platform_api/store/service.py
# builds the same document for ranking). Immutable so an index can hold it: concat_ws and
# array_to_string are only "stable" because of other types' output functions, not text's.
DOCUMENT_FUNCTION = """
CREATE OR REPLACE FUNCTION agentpaas_agent_document(p_name text, p_description text,
                                                    p_tags text[])
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT pg_catalog.to_tsvector('pg_catalog.simple'::pg_catalog.regconfig,
        pg_catalog.concat_ws(' ', p_name, coalesce(p_description, ''),
                             pg_catalog.array_to_string(p_tags, ' ')))
$$
"""
# Which of the current tenant's published agents match (the store's four tests, the same
# thresholds); ids only. The explicit similarity checks keep the thresholds exact whatever
# pg_trgm's settings; the operators beside them are what the trigram index answers.
MATCHES_FUNCTION = """
CREATE OR REPLACE FUNCTION agentpaas_store_matches(p_query text)
RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
SET pg_trgm.similarity_threshold = 0.25
SET pg_trgm.word_similarity_threshold = 0.35
AS $$
    SELECT a.id FROM agents a
    WHERE a.tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
      AND a.status = 'published'
      AND (agentpaas_agent_document(a.name, a.description, a.tags)
               @@ websearch_to_tsquery('simple', p_query)
           OR (a.name % p_query AND similarity(a.name, p_query) > 0.25)
           OR (p_query <% a.name AND word_similarity(p_query, a.name) > 0.35)
           OR a.name ILIKE '%' || p_query || '%')
$$
"""


def upgrade() -> None:
    for name, table, columns, where in INDEXES:
        predicate = f" WHERE {where}" if where else ""
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns}){predicate}")
    op.execute(DOCUMENT_FUNCTION)
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_agents_document ON agents "
        "USING gin (agentpaas_agent_document(name, description, tags))"
    )
    op.execute(MATCHES_FUNCTION)
    op.execute("REVOKE ALL ON FUNCTION agentpaas_store_matches(text) FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION agentpaas_store_matches(text) TO {APP_ROLE}")


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS agentpaas_store_matches(text)")
    op.execute("DROP INDEX IF EXISTS ix_agents_document")
    op.execute("DROP FUNCTION IF EXISTS agentpaas_agent_document(text, text, text[])")
    for name, _table, _columns, _where in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
