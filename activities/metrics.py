"""The worker's Prometheus metrics: nodes, run outcomes, human tasks, model tokens and cost.

``NodeMetrics`` (a Temporal worker interceptor) times every node activity, counts its
retries and records each run's outcome; the llm and human activities record what only
they know (tokens by model, a task's time to completion). Labels stay bounded: node
types, agent names, tenants and models, never execution or task ids.
"""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from decimal import Decimal
from typing import Any

from opentelemetry import trace
from prometheus_client import Counter, Gauge, Histogram
from temporalio import activity
from temporalio.worker import ActivityInboundInterceptor, ExecuteActivityInput, Interceptor

from temporal_workflows.contracts import FINISH_EXECUTION_ACTIVITY, NODE_ACTIVITY_PREFIX

NODE_DURATION = Histogram(
    "agentpaas_node_duration_seconds",
    "Duration of one node activity attempt, by node type.",
    ["node_type"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
)
NODE_EXECUTIONS = Counter(
    "agentpaas_node_executions",
    "Node activity attempts, by node type and outcome (completed, failed, cancelled).",
    ["node_type", "outcome"],
)
NODE_RETRIES = Counter(
    "agentpaas_node_retries",
    "Node activity attempts after the first one, by node type.",
    ["node_type"],
)
RUNS_FINISHED = Counter(
    "agentpaas_runs_finished",
    "Runs that ended, by agent name and status (completed, failed, cancelled).",
    ["agent", "status"],
)
HUMAN_TASKS_OPEN = Gauge(
    "agentpaas_human_tasks_open",
    "Human-intervention tasks opened minus closed by this process; sum it over processes.",
)
HUMAN_TASKS_CREATED = Counter(
    "agentpaas_human_tasks_created",
    "Human-intervention tasks created.",
)
HUMAN_TASK_SECONDS = Histogram(
    "agentpaas_human_task_completion_seconds",
    "Time from a human task's creation to its end, by outcome (completed, expired, cancelled).",
    ["outcome"],
    buckets=(10, 30, 60, 300, 900, 1800, 3600, 14400, 43200, 86400, 259200, 604800),
)
LLM_TOKENS = Counter(
    "agentpaas_llm_tokens",
    "Model tokens used, by tenant, model and kind (prompt, completion).",
    ["tenant", "model", "kind"],
)
LLM_COST = Counter(
    "agentpaas_llm_cost",
    "Model cost in the provider's price unit (USD in litellm's map), by tenant and model.",
    ["tenant", "model"],
)
LLM_QUOTA_REJECTIONS = Counter(
    "agentpaas_llm_quota_rejections",
    "Model calls refused because the tenant's monthly token quota was used up, by tenant.",
    ["tenant"],
)


def record_llm_usage(
    tenant_id: str, model: str, usage: dict[str, Any], cost: float | Decimal
) -> None:
    """Count one model call's tokens and cost (and put the usage on the current span)."""
    prompt = int(usage.get("prompt_tokens") or 0)
    completion = int(usage.get("completion_tokens") or 0)
    LLM_TOKENS.labels(tenant_id, model, "prompt").inc(prompt)
    LLM_TOKENS.labels(tenant_id, model, "completion").inc(completion)
    LLM_COST.labels(tenant_id, model).inc(float(cost))
    trace.get_current_span().set_attributes(
        {"gen_ai.usage.input_tokens": prompt, "gen_ai.usage.output_tokens": completion}
    )


def record_llm_quota_rejection(tenant_id: str) -> None:
    """Count a model call the token quota refused."""
    LLM_QUOTA_REJECTIONS.labels(tenant_id).inc()


def record_human_task_opened() -> None:
    """Count a newly created human task."""
    HUMAN_TASKS_CREATED.inc()
    HUMAN_TASKS_OPEN.inc()


def record_human_task_closed(outcome: str, open_for: timedelta) -> None:
    """Count a human task that ended (once), with how long it was open."""
    HUMAN_TASKS_OPEN.dec()
    HUMAN_TASK_SECONDS.labels(outcome).observe(max(open_for.total_seconds(), 0.0))


class NodeMetrics(Interceptor):
    """Worker interceptor: node durations, outcomes and retries; run outcomes by agent."""

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        """Wrap every activity (node and record activities are told apart by name)."""
        return _NodeMetricsInbound(next)


class _NodeMetricsInbound(ActivityInboundInterceptor):
    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        info = activity.info()
        if info.activity_type.startswith(NODE_ACTIVITY_PREFIX):
            node_type = info.activity_type[len(NODE_ACTIVITY_PREFIX) :]
            return await self._timed_node(node_type, info.attempt, input)
        result = await super().execute_activity(input)
        if info.activity_type == FINISH_EXECUTION_ACTIVITY and input.args:
            outcome = input.args[0]
            RUNS_FINISHED.labels(
                getattr(outcome, "agent_name", "") or "unnamed", getattr(outcome, "status", "")
            ).inc()
        return result

    async def _timed_node(self, node_type: str, attempt: int, input: ExecuteActivityInput) -> Any:
        if attempt > 1:
            NODE_RETRIES.labels(node_type).inc()
        started = time.monotonic()
        outcome = "failed"
        try:
            result = await super().execute_activity(input)
            outcome = "completed"
            return result
        except asyncio.CancelledError:
            outcome = "cancelled"
            raise
        finally:
            NODE_DURATION.labels(node_type).observe(time.monotonic() - started)
            NODE_EXECUTIONS.labels(node_type, outcome).inc()
