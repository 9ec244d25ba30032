"""The worker's composition root: builds activities with their clients and registers them."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import Executor
from typing import TYPE_CHECKING, Any

from qdrant_client import AsyncQdrantClient
from temporalio.client import Client
from temporalio.contrib.opentelemetry import TracingInterceptor
from temporalio.worker import Interceptor, Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from agentpaas.workflow_code_cache import install_workflow_code_cache
from platform_core.db import Database
from temporal_workflows.agent_run import AgentRunWorkflow
from temporal_workflows.knowledge import (
    IngestDocumentWorkflow,
    PurgeKnowledgeWorkflow,
    SearchKnowledgeWorkflow,
)
from temporal_workflows.notifications import NotificationDispatchWorkflow
from temporal_workflows.replay_check import ReplayCheckWorkflow
from temporal_workflows.retention import RetentionSweepWorkflow
from temporal_workflows.service_probe import ServiceProbeWorkflow
from temporal_workflows.tool_servers import ToolServerCheckWorkflow
from temporal_workflows.tracing import PlatformTracingInterceptor

if TYPE_CHECKING:
    from activities.embeddings import EmbedderRegistry
    from platform_core.settings import Settings


def build_activities(
    database: Database,
    *,
    qdrant: AsyncQdrantClient | None = None,
    embedders: EmbedderRegistry | None = None,
) -> list[Any]:
    """Every activity the platform runs, bound to its dependencies.

    ``qdrant`` is the vector store of knowledge bases (in ``agentpaas dev`` the very client
    the API holds: local mode allows one per process); ``embedders`` defaults to
    all-MiniLM-L6-v2 (loaded on first use) plus litellm for other model names.
    """
    from activities.code import CodeNodeActivities
    from activities.embeddings import EmbedderRegistry
    from activities.human import HumanTaskActivities
    from activities.knowledge_ingestion import KnowledgeIngestionActivities
    from activities.knowledge_search import KnowledgeRetriever, KnowledgeSearchActivities
    from activities.litellm_setup import register_scripted_model
    from activities.llm import LlmNodeActivities
    from activities.llm_targets import LlmTargets
    from activities.mcp_runtime import McpToolRuntime
    from activities.notification_email import NotificationEmailActivities, SmtpConfig
    from activities.rag import RagNodeActivities
    from activities.records import NodeRecorder, RecordActivities
    from activities.replay_check import ReplayCheckActivities
    from activities.retention import RetentionActivities, RetentionPolicy
    from activities.service_probe import ServiceProbeActivities
    from activities.token_quota import TokenQuota
    from activities.tool_discovery import ToolDiscoveryActivities
    from activities.tools import ToolNodeActivities
    from activities.tracing import traced_qdrant
    from activities.vector_index import KnowledgeIndex
    from activities.webhooks import WebhookActivities
    from platform_core.crypto import key_ring_from_settings
    from platform_core.outbound import OutboundPolicy
    from platform_core.settings import get_settings

    register_scripted_model()
    settings = get_settings()
    ring = key_ring_from_settings(settings)
    recorder = NodeRecorder(database)
    records = RecordActivities(database)
    policy = OutboundPolicy.from_settings(settings)
    tool_runtime = McpToolRuntime(database, ring, policy)
    targets = LlmTargets(database, ring.open_credentials, policy, unseal=ring.decrypt)
    llm = LlmNodeActivities(
        recorder,
        targets,
        TokenQuota(database),
        tool_runtime,
    )
    tools = ToolNodeActivities(recorder, tool_runtime, settings.tool_result_max_bytes)
    human = HumanTaskActivities(database)
    emails = NotificationEmailActivities(database, SmtpConfig.from_settings(settings))
    index = KnowledgeIndex(traced_qdrant(qdrant) if qdrant is not None else None)
    embedders = embedders or EmbedderRegistry()
    retriever = KnowledgeRetriever(database, index, embedders)
    ingestion = KnowledgeIngestionActivities(database, index, embedders)
    retention = RetentionActivities(database, RetentionPolicy.from_settings(settings), index)
    replay_checks = ReplayCheckActivities(database)
    return [
        records.finish_execution,
        records.set_execution_status,
        records.append_run_events,
        llm.run_llm_node,
        human.create_task,
        human.record_task,
        human.record_answer,
        emails.list_work,
        emails.send_email,
        WebhookActivities(database, ring, policy).deliver,
        CodeNodeActivities(recorder).run_code_node,
        RagNodeActivities(recorder, retriever).run_rag_node,
        tools.run_tool_node,
        KnowledgeSearchActivities(retriever).search,
        ServiceProbeActivities(targets).probe,
        ToolDiscoveryActivities(database, ring, policy).check_server,
        ingestion.prepare_document,
        ingestion.index_batch,
        ingestion.finish_document,
        ingestion.purge,
        retention.list_tenants,
        retention.expired_chats,
        retention.run_events,
        retention.audit_logs,
        retention.deleted_tenants,
        retention.token_reservations,
        retention.stranded_notifications,
        replay_checks.record_conversation,
        replay_checks.finish,
    ]


# Every workflow a platform worker runs (the test suite replays their histories too).
WORKFLOWS = (
    AgentRunWorkflow,
    IngestDocumentWorkflow,
    PurgeKnowledgeWorkflow,
    SearchKnowledgeWorkflow,
    ServiceProbeWorkflow,
    ToolServerCheckWorkflow,
    RetentionSweepWorkflow,
    NotificationDispatchWorkflow,
    ReplayCheckWorkflow,
)


def build_worker(
    client: Client,
    database: Database,
    task_queue: str,
    *,
    extra_activities: Sequence[Any] = (),
    activity_executor: Executor | None = None,
    max_cached_workflows: int = 1000,
    qdrant: AsyncQdrantClient | None = None,
    embedders: EmbedderRegistry | None = None,
) -> Worker:
    """A worker for agent runs and knowledge ingestion on ``task_queue``."""
    activities = build_activities(database, qdrant=qdrant, embedders=embedders)
    # Tests register scripted fakes under real activity names: later entries win.
    by_name: dict[str, Any] = {}
    for fn in [*activities, *extra_activities]:
        by_name[_activity_name(fn)] = fn
    return Worker(
        client,
        task_queue=task_queue,
        workflows=list(WORKFLOWS),
        workflow_runner=workflow_runner(),
        activities=list(by_name.values()),
        activity_executor=activity_executor,
        max_cached_workflows=max_cached_workflows,
        interceptors=worker_interceptors(client),
    )


async def ensure_schedules(client: Client, settings: Settings) -> list[str]:
    """Create or update the retention sweeps' Temporal Schedules (when the worker starts);
    with ``retention_schedules`` off, none are touched. Returns the schedule ids.

    A server that refuses (no schedule permission in the namespace) is logged, not
    fatal: runs matter more than sweeps, and the next worker start tries again.
    """
    from datetime import timedelta

    from temporalio.service import RPCError

    from temporal_workflows import retention_contracts as r
    from temporal_workflows.retention_schedules import ensure_retention_schedules

    if not settings.retention_schedules:
        return []
    minutes = {
        r.EXPIRED_CHATS: settings.retention_expired_chats_every_minutes,
        r.RUN_EVENTS: settings.retention_run_events_every_minutes,
        r.AUDIT_LOGS: settings.retention_audit_logs_every_minutes,
        r.DELETED_TENANTS: settings.retention_deleted_tenants_every_minutes,
        r.TOKEN_RESERVATIONS: settings.retention_token_reservations_every_minutes,
        r.STRANDED_NOTIFICATIONS: settings.retention_stranded_notifications_every_minutes,
    }
    try:
        return await ensure_retention_schedules(
            client,
            task_queue=settings.temporal_task_queue,
            intervals={sweep: timedelta(minutes=m) for sweep, m in minutes.items()},
        )
    except RPCError as exc:
        logging.getLogger(__name__).warning("retention schedules not set up: %s", exc)
        return []


def worker_interceptors(client: Client) -> list[Interceptor]:
    """Node metrics, plus tracing unless the client already traces (it then applies to
    its workers by itself; registering it twice would double every span)."""
    from activities.metrics import NodeMetrics

    interceptors: list[Interceptor] = [NodeMetrics()]
    if not any(isinstance(i, TracingInterceptor) for i in client.config()["interceptors"]):
        interceptors.insert(0, PlatformTracingInterceptor())
    return interceptors


def workflow_runner() -> SandboxedWorkflowRunner:
    """The sandbox, with the pure engine package passed through.

    ``node_types`` is deterministic and does no I/O (a test checks its imports), so
    sharing it with the sandbox is safe and saves re-importing pydantic models per run;
    ``temporal_workflows.contracts`` (names and dataclasses, no state) likewise saves
    ~10 ms of re-running it per new workflow instance.

    ``beartype`` too: fastmcp's storage dependency (py-key-value) installs a beartype
    import hook in the host, and without passing beartype through, every sandbox
    instance re-imported ~300 beartype modules — 4,000 imports, ~0.4 s per workflow
    task instead of ~20 ms — enough to time out workflow tasks under load.
    """
    # The sandbox re-imports the workflow modules per instance: from code compiled once.
    install_workflow_code_cache(["temporal_workflows"])
    return SandboxedWorkflowRunner(
        restrictions=SandboxRestrictions.default.with_passthrough_modules(
            "node_types", "beartype", "temporal_workflows.contracts"
        )
    )


def _activity_name(fn: Any) -> str:
    from temporalio.activity import _Definition

    definition = _Definition.from_callable(fn)
    return definition.name if definition and definition.name else fn.__name__
