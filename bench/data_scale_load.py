"""Loading bench/data_scale.py's data set with set-based SQL (one INSERT ... SELECT per table).

Every row is generated inside PostgreSQL from ``generate_series``; ids are deterministic
(``md5(tenant key || kind || n)::uuid``) so rows point at each other without lookups and a
re-run finds the same rows. It runs as the table owner: loading is not what is measured.

The shape of one tenant (``TenantShape``), from its row numbers:

- agents ``i``: names "<Topic> <Role> <i>" (200 topic/role pairs), one current version each;
  5 % drafts, 5 % archived, the rest published;
- chats ``i``: every 10th belongs to the tenant's heavy user (the one the bench logs in as),
  the others to ``users`` ordinary users; 4 % archived, 2 % deleted; titles "<subject> <i>";
- messages: ``messages / chats`` per chat, user and assistant in turn, each a reply to the
  one before;
- executions ``e``: one per chat (``e % chats``), nodes ``nodes / executions`` each;
- human tasks on every 5th execution, a quarter of them open (pending or claimed);
- audit rows spread over the last 90 days.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

import asyncpg

TOPICS = (
    "Invoice", "Contract", "Customer", "Travel", "Recipe", "Legal", "Marketing", "Sales",
    "Support", "Research", "Finance", "Health", "Code", "Data", "Email", "Meeting",
    "Translation", "Resume", "Tax", "Insurance",
)  # fmt: skip
ROLES = (
    "Assistant", "Summarizer", "Analyst", "Planner", "Reviewer", "Translator", "Advisor",
    "Writer", "Tutor", "Helper",
)  # fmt: skip
SUBJECTS = (
    "Quarterly invoice review", "Trip to Kyoto", "Refund for order", "Draft of the NDA",
    "Weekly sales numbers", "Onboarding checklist", "Bug in the export", "Tax return questions",
    "Marketing plan for spring", "Interview preparation", "Dinner recipes", "Server migration",
    "Insurance claim", "Board meeting notes", "Customer complaint", "Budget for next year",
    "Translate the brochure", "Research on batteries", "Resume feedback", "Data cleanup",
)  # fmt: skip
ACTIONS = (
    "POST /api/v1/chats", "POST /api/v1/chat/completions", "PATCH /api/v1/chats/{chat_id}",
    "DELETE /api/v1/chats/{chat_id}", "POST /api/v1/agents", "PATCH /api/v1/agents/{agent_id}",
    "POST /api/v1/reviews/tasks/{task_id}/complete", "POST /api/auth/login",
)  # fmt: skip


def sql_array(words: tuple[str, ...]) -> str:
    """A SQL text array literal of fixed words (ours, no quotes in them)."""
    return "ARRAY[" + ",".join(f"'{w}'" for w in words) + "]"


@dataclass(frozen=True)
class TenantShape:
    """How many rows of each kind one tenant gets."""

    users: int
    agents: int
    chats: int
    messages: int
    executions: int
    nodes: int
    tasks: int
    audit: int

    @classmethod
    def scaled(cls, factor: float, users: int) -> TenantShape:
        """The issue's big tenant times ``factor`` (1.0: 10k agents, 100k chats, 1M rows)."""

        def n(full: int) -> int:
            return max(1, round(full * factor))

        return cls(
            users=users,
            agents=n(10_000),
            chats=n(100_000),
            messages=n(1_000_000),
            executions=n(100_000),
            nodes=n(1_000_000),
            tasks=n(20_000),
            audit=n(1_000_000),
        )


def row_id(key: str, kind: str, n: int) -> uuid.UUID:
    """The id the loader gives row ``n`` of ``kind`` in tenant ``key`` (same md5 as the SQL)."""
    import hashlib

    return uuid.UUID(hashlib.md5(f"{key}-{kind}-{n}".encode()).hexdigest())


# $1 tenant id, $2 tenant key, $3 heavy user id, $4.. counts. "uid(kind, n)" below is
# md5($2 || '-kind-' || n)::uuid, spelled out because it must be the same as row_id().
USERS = """
INSERT INTO users (id, tenant_id, email, display_name, password_hash, role, status,
                   token_version, preferences, created_at, updated_at)
SELECT md5($2 || '-user-' || k)::uuid, $1, 'user' || k || '@' || $2 || '.scale.test',
       'User ' || k, '!', (ARRAY['user','developer','reviewer','viewer'])[1 + k % 4],
       'active', 0, '{}', now(), now()
FROM generate_series(0, $3 - 1) k
"""

AGENTS = f"""
INSERT INTO agents (id, tenant_id, name, description, developer_id, tags, status,
                    download_count, average_rating, rating_count, published_at,
                    created_at, updated_at)
SELECT md5($2 || '-agent-' || i)::uuid, $1,
       t.topic || ' ' || r.role || ' ' || i,
       'Helps with ' || lower(t.topic) || ' work: a ' || lower(r.role) || ' for busy teams.',
       $3, ARRAY[lower(t.topic), lower(r.role)],
       CASE i % 20 WHEN 0 THEN 'draft' WHEN 1 THEN 'archived' ELSE 'published' END,
       (i * 37) % 5000, (1 + (i % 400) / 100.0)::numeric(3, 2), i % 50,
       CASE WHEN i % 20 = 0 THEN NULL ELSE now() - (i % 700) * interval '12 hours' END,
       now() - (i % 700) * interval '12 hours', now()
FROM generate_series(0, $4 - 1) i,
     LATERAL (SELECT ({sql_array(TOPICS)})[1 + i % {len(TOPICS)}] AS topic) t,
     LATERAL (SELECT ({sql_array(ROLES)})[1 + (i / {len(TOPICS)}) % {len(ROLES)}] AS role) r
"""

VERSIONS = """
INSERT INTO agent_versions (id, tenant_id, agent_id, version, status, workflow_definition,
                            execution_plan, plan_hash, rag_enabled, is_current, created_by,
                            published_at, created_at)
SELECT md5($2 || '-version-' || i)::uuid, $1, md5($2 || '-agent-' || i)::uuid, '1.0.0',
       CASE WHEN i % 20 = 0 THEN 'draft' ELSE 'published' END,
       '{"nodes": [], "edges": []}', '{}', repeat('0', 64), false, true, $3,
       CASE WHEN i % 20 = 0 THEN NULL ELSE now() - (i % 700) * interval '12 hours' END, now()
FROM generate_series(0, $4 - 1) i
"""

# Chat i's user and agent, as expressions of i ($3 heavy user, $4 users, $5 agents).
CHAT_USER = "CASE WHEN {i} % 10 = 0 THEN $3 ELSE md5($2 || '-user-' || ({i} % $4))::uuid END"
CHAT_AGENT = "(({i} * 7919) % $5)"

CHATS = f"""
INSERT INTO chats (id, tenant_id, user_id, agent_id, agent_version_id, title, context,
                   is_sandbox, status, created_at, updated_at)
SELECT md5($2 || '-chat-' || i)::uuid, $1, {CHAT_USER.format(i="i")},
       md5($2 || '-agent-' || {CHAT_AGENT.format(i="i")})::uuid,
       md5($2 || '-version-' || {CHAT_AGENT.format(i="i")})::uuid,
       ({sql_array(SUBJECTS)})[1 + (i / 10) % {len(SUBJECTS)}] || ' ' || i, '{{}}', false,
       CASE WHEN (i / 10) % 25 = 3 THEN 'archived'
            WHEN (i / 10) % 50 = 7 THEN 'deleted' ELSE 'active' END,
       now() - i * interval '5 minutes' - interval '1 hour', now() - i * interval '5 minutes'
FROM generate_series(0, $6 - 1) i
"""

# $4 users, $5 agents, $6 chats, $7 executions.
EXECUTIONS = f"""
INSERT INTO workflow_executions (execution_id, tenant_id, chat_id, agent_id, agent_version_id,
    user_id, workflow_id, thread_id, checkpointer_schema, status, input_data, final_result,
    total_nodes, completed_nodes, failed_nodes, tokens_consumed, cost_estimate,
    started_at, completed_at)
SELECT x.id, $1, md5($2 || '-chat-' || c)::uuid,
       md5($2 || '-agent-' || {CHAT_AGENT.format(i="c")})::uuid,
       md5($2 || '-version-' || {CHAT_AGENT.format(i="c")})::uuid,
       {CHAT_USER.format(i="c")}, 'exec-' || x.id, 'exec-' || x.id, 'temporal',
       CASE WHEN e % 5 = 0 AND (e / 5) % 8 < 2 THEN 'interrupted'
            WHEN e % 20 = 3 THEN 'failed' ELSE 'completed' END,
       jsonb_build_object('message', 'Question number ' || e),
       jsonb_build_object('answer', 'Answer number ' || e),
       10, 10, 0, 100 + e % 900, 0.001,
       now() - c * interval '5 minutes' - interval '2 minutes',
       now() - c * interval '5 minutes' - interval '1 minute'
FROM generate_series(0, $7 - 1) e,
     LATERAL (SELECT e % $6 AS c, md5($2 || '-exec-' || e)::uuid AS id) x
"""

# $3 chats, $4 messages, $5 executions.
MESSAGES = """
INSERT INTO chat_messages (id, tenant_id, chat_id, parent_message_id, role, content, status,
    metadata, workflow_execution_id, workflow_status, message_type, is_intermediate,
    tokens_used, created_at)
SELECT md5($2 || '-msg-' || m)::uuid, $1, md5($2 || '-chat-' || c)::uuid,
       CASE WHEN k = 0 THEN NULL ELSE md5($2 || '-msg-' || (m - 1))::uuid END,
       CASE WHEN k % 2 = 0 THEN 'user' ELSE 'assistant' END,
       CASE WHEN k % 2 = 0 THEN 'Could you look at item ' || m || ' of this conversation '
                                || 'and tell me what to do next? '
            ELSE repeat('Here is a considered answer with a few details. ', 6) || m END,
       'sent', '{}',
       CASE WHEN k % 2 = 1 AND c < $5 THEN md5($2 || '-exec-' || c)::uuid END,
       'completed', 'text', false, CASE WHEN k % 2 = 1 THEN 120 END,
       now() - c * interval '5 minutes' - interval '1 hour' + k * interval '1 second'
FROM generate_series(0, $4 - 1) m,
     LATERAL (SELECT m / greatest($4 / $3, 1) AS c, m % greatest($4 / $3, 1) AS k) p
WHERE m / greatest($4 / $3, 1) < $3
"""

# $3 executions, $4 nodes.
NODES = """
INSERT INTO workflow_node_executions (id, tenant_id, execution_id, node_name, node_type, step,
    task_id, status, input_state, output_state, service_calls, started_at, completed_at,
    duration_ms, retry_count, max_retries, tokens_consumed, cost_estimate)
SELECT md5($2 || '-node-' || n)::uuid, $1, md5($2 || '-exec-' || e)::uuid, 'node_' || k,
       (ARRAY['llm','tool','rag','router','transform'])[1 + k % 5], k,
       'node_' || k || ':' || k, 'completed',
       jsonb_build_object('messages', jsonb_build_array('Question number ' || e)),
       jsonb_build_object('answer', repeat('output ', 20) || n),
       '[]', now() - interval '1 day', now() - interval '1 day' + interval '1 second',
       40 + n % 900, 0, 3, CASE WHEN k % 5 = 0 THEN 120 END, 0.0001
FROM generate_series(0, $4 - 1) n,
     LATERAL (SELECT n / greatest($4 / $3, 1) AS e, n % greatest($4 / $3, 1) AS k) p
WHERE n / greatest($4 / $3, 1) < $3
"""

# $3 heavy user, $4 executions, $5 tasks.
TASKS = """
INSERT INTO human_intervention_tasks (task_id, tenant_id, execution_id, node_name,
    node_task_id, instruction, current_state, required_input_schema, status, assignee_rule,
    assigned_to, escalation_history, created_at, assigned_at, completed_at, priority, due_at)
SELECT md5($2 || '-task-' || t)::uuid, $1, md5($2 || '-exec-' || ((t * 5) % $4))::uuid,
       'approve', 'approve:3', 'Approve answer ' || t || ' before it is sent.',
       '{}', '{"type": "object", "properties": {"approved": {"type": "boolean"}}}',
       CASE t % 8 WHEN 0 THEN 'pending' WHEN 1 THEN 'in_progress' ELSE 'completed' END, '{}',
       CASE WHEN t % 8 = 1 THEN $3::text END, '[]',
       now() - (t % 2000) * interval '10 minutes',
       CASE WHEN t % 8 <> 0 THEN now() - (t % 2000) * interval '9 minutes' END,
       CASE WHEN t % 8 > 1 THEN now() - (t % 2000) * interval '8 minutes' END,
       1 + t % 10, now() + (t % 96) * interval '1 hour'
FROM generate_series(0, $5 - 1) t
"""

# $3 users, $4 audit rows.
AUDIT = f"""
INSERT INTO audit_logs (id, tenant_id, actor_id, actor_type, action, target_type, target_id,
    outcome, status_code, request_id, ip_address, details, created_at)
SELECT md5($2 || '-audit-' || a)::uuid, $1, md5($2 || '-user-' || (a % $3))::uuid, 'user',
       ({sql_array(ACTIONS)})[1 + a % {len(ACTIONS)}], 'chat', md5($2 || '-chat-' || a),
       CASE WHEN a % 50 = 0 THEN 'denied' WHEN a % 97 = 0 THEN 'failed' ELSE 'success' END,
       CASE WHEN a % 50 = 0 THEN 403 WHEN a % 97 = 0 THEN 500 ELSE 201 END,
       substr(md5('req-' || a), 1, 32), '10.0.' || (a % 200) || '.' || (a % 250), '{{}}',
       now() - a * (interval '90 days' / $4::int)
FROM generate_series(0, $4 - 1) a
"""


async def load_tenant(
    conn: asyncpg.Connection, tenant_id: uuid.UUID, key: str, heavy_user: uuid.UUID,
    shape: TenantShape,
) -> dict[str, float]:  # fmt: skip
    """Insert one tenant's rows (its users, agents, chats, ...); seconds per table."""
    s = shape
    steps: list[tuple[str, str, tuple[object, ...]]] = [
        ("users", USERS, (s.users,)),
        ("agents", AGENTS, (heavy_user, s.agents)),
        ("agent_versions", VERSIONS, (heavy_user, s.agents)),
        ("chats", CHATS, (heavy_user, s.users, s.agents, s.chats)),
        ("workflow_executions", EXECUTIONS, (heavy_user, s.users, s.agents, s.chats,
                                             s.executions)),
        ("chat_messages", MESSAGES, (s.chats, s.messages, s.executions)),
        ("workflow_node_executions", NODES, (s.executions, s.nodes)),
        ("human_intervention_tasks", TASKS, (str(heavy_user), s.executions, s.tasks)),
        ("audit_logs", AUDIT, (s.users, s.audit)),
    ]  # fmt: skip
    seconds: dict[str, float] = {}
    for table, sql, args in steps:
        started = time.perf_counter()
        await conn.execute(sql, tenant_id, key, *args)
        seconds[table] = time.perf_counter() - started
    return seconds


async def add_tenant(conn: asyncpg.Connection, key: str) -> uuid.UUID:
    """A small tenant of the crowd around the big one (no login: it is only there as rows)."""
    tenant_id = row_id(key, "tenant", 0)
    await conn.execute(
        "INSERT INTO tenants (id, name, display_name, plan, status, settings) "
        "VALUES ($1, $2, $2, 'pro', 'active', '{}') ON CONFLICT DO NOTHING",
        tenant_id,
        key,
    )
    return tenant_id
