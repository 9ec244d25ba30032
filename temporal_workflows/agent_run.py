"""The interpreter workflow: runs any compiled agent plan with LangGraph's Pregel semantics.

Each superstep runs the triggered nodes concurrently, merges their updates through
the per-key reducers at the end of the step, then routes. The semantics live in
``node_types.pregel`` (pure, shared with the LangGraph oracle tests); this module
only decides *where* each node runs and keeps the run durable and observable:

- inline nodes (router, transform) are computed here: deterministic and cheap, they
  would only add history events and latency as activities;
- I/O nodes (llm, tool, rag, ...) run as regular activities named ``node.<type>``,
  with the node's retry policy and timeouts. Regular rather than local activities
  because they can be slow, stream to the client, heartbeat and must survive
  worker loss without re-running the whole workflow task.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.contrib.workflow_streams import WorkflowStream
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from node_types import pregel
    from node_types.plan import ExecutionPlan
    from temporal_workflows import contracts as c
    from temporal_workflows.plan_access import NodeRuntime, answer_of, node_runtime


@workflow.defn(name=c.RUN_WORKFLOW)
class AgentRunWorkflow:
    """One agent run: ``exec-<execution_id>``."""

    @workflow.init
    def __init__(self, params: c.RunInput) -> None:
        self._stream = WorkflowStream()
        self._events = self._stream.topic(c.EVENTS_TOPIC)
        self._node_status: dict[str, str] = {}
        self._step = 0
        self._status = "running"
        self._inline_records: list[c.InlineNodeRecord] = []
        self._completed = 0
        self._failed = 0

    @workflow.query(name=c.PROGRESS_QUERY)
    def progress(self) -> dict[str, Any]:
        """Node states for the live execution graph."""
        return {"status": self._status, "step": self._step, "nodes": dict(self._node_status)}

    def _publish(self, event: str, **data: Any) -> None:
        self._events.publish({"event": event, **data})

    @workflow.run
    async def run(self, params: c.RunInput) -> c.RunResult:
        """Run the plan to the end, record the outcome, and close the stream."""
        plan = ExecutionPlan.model_validate(params.plan)
        self._publish(c.EVENT_THOUGHT, content=f"Running {params.agent_name or 'agent'}…")
        state = pregel.initial_state(plan, params.inputs)
        tasks = pregel.first_tasks(plan, state)
        error: dict[str, Any] | None = None
        try:
            while tasks:
                pregel.check_step_limit(plan, self._step)
                outcomes = await asyncio.gather(
                    *(self._run_task(params, plan, task, state) for task in tasks),
                    return_exceptions=True,
                )
                failure = next(
                    (
                        (t, o)
                        for t, o in zip(tasks, outcomes, strict=True)
                        if isinstance(o, BaseException)
                    ),
                    None,
                )
                if failure is not None:
                    error = _describe_failure(*failure)
                    break
                writes = list(zip(tasks, outcomes, strict=True))
                state, tasks = pregel.advance(plan, state, writes)  # type: ignore[arg-type]
                self._step += 1
        except pregel.StepLimitExceeded as exc:
            error = {"node": None, "type": "StepLimitExceeded", "message": str(exc)}
        except ApplicationError:
            raise
        except Exception as exc:  # a plan-level error (bad write, bad expression at run time)
            error = {"node": None, "type": type(exc).__name__, "message": str(exc)}

        status = "failed" if error else "completed"
        answer = None if error else answer_of(plan, state)
        message_id = str(workflow.uuid4()) if (params.chat_id and answer is not None) else None
        await workflow.execute_activity(
            c.FINISH_EXECUTION_ACTIVITY,
            c.FinishExecutionInput(
                tenant_id=params.tenant_id,
                execution_id=params.execution_id,
                status=status,
                chat_id=params.chat_id,
                assistant_message_id=message_id,
                parent_message_id=params.trigger_message_id,
                answer=answer,
                final_state=state,
                error=error,
                total_nodes=self._completed + self._failed,
                completed_nodes=self._completed,
                failed_nodes=self._failed,
                inline_nodes=self._inline_records,
            ),
            start_to_close_timeout=timedelta(seconds=30),
            # Records must land eventually: keep retrying while the database is away.
            retry_policy=RetryPolicy(maximum_interval=timedelta(seconds=30)),
            summary="records: finish execution",
        )
        self._status = status
        # Operators filter by outcome in the Temporal UI.
        workflow.upsert_search_attributes([c.SA_STATUS.value_set(status)])
        if error:
            self._publish(c.EVENT_ERROR, content=error["message"], node=error.get("node"))
        self._publish(
            c.EVENT_DONE,
            status=status,
            execution_id=params.execution_id,
            chat_id=params.chat_id,
            message_id=message_id,
            answer=answer,
        )
        self._stream.detach_pollers()
        await workflow.wait_condition(workflow.all_handlers_finished)
        if error:
            raise ApplicationError(
                f"node {error.get('node')!r} failed: {error['message']}",
                error,
                type="NodeFailed",
                non_retryable=True,
            )
        return c.RunResult(
            status=status, answer=answer, final_state=state, assistant_message_id=message_id
        )

    async def _run_task(
        self, params: c.RunInput, plan: ExecutionPlan, task: pregel.Task, state: dict[str, Any]
    ) -> dict[str, Any]:
        runtime = node_runtime(plan, task.node)
        key = task.task_id
        self._node_status[key] = "running"
        self._publish(c.EVENT_NODE_STARTED, node=task.node, step=task.step, task_id=key)
        node_input = pregel.node_input(plan, task, state)
        try:
            if runtime.execution == "inline":
                update = pregel.run_inline(plan, task, node_input)
                self._inline_records.append(
                    c.InlineNodeRecord(task.node, runtime.type, task.step, key, "completed", update)
                )
            else:
                update = await self._run_activity(params, runtime, task, node_input)
        except BaseException as exc:
            self._node_status[key] = "failed"
            self._failed += 1
            message = _error_message(exc)
            if runtime.execution == "inline":
                self._inline_records.append(
                    c.InlineNodeRecord(
                        task.node, runtime.type, task.step, key, "failed", None, message
                    )
                )
            self._publish(c.EVENT_NODE_FAILED, node=task.node, step=task.step, error=message)
            raise
        self._node_status[key] = "completed"
        self._completed += 1
        self._publish(c.EVENT_NODE_COMPLETED, node=task.node, step=task.step, task_id=key)
        return update

    async def _run_activity(
        self,
        params: c.RunInput,
        runtime: NodeRuntime,
        task: pregel.Task,
        node_input: dict[str, Any],
    ) -> dict[str, Any]:
        result = await workflow.execute_activity(
            c.node_activity_name(runtime.type),
            c.NodeActivityInput(
                tenant_id=params.tenant_id,
                execution_id=params.execution_id,
                workflow_id=workflow.info().workflow_id,
                node_name=task.node,
                node_type=runtime.type,
                config=runtime.config,
                node_input=node_input,
                step=task.step,
                task_id=task.task_id,
                max_attempts=runtime.retry_policy.maximum_attempts,
                model_params_override=params.model_params_override,
                default_model=params.default_model,
            ),
            result_type=c.NodeActivityResult,
            start_to_close_timeout=runtime.start_to_close,
            schedule_to_close_timeout=runtime.schedule_to_close,
            heartbeat_timeout=runtime.heartbeat,
            retry_policy=runtime.retry_policy,
            summary=f"{runtime.type}: {task.node}",
        )
        return result.update


def _error_message(exc: BaseException) -> str:
    # ActivityError wraps the real failure; its cause carries the message users need.
    cause = exc.cause if isinstance(exc, ActivityError) and exc.cause else exc
    return str(cause) or type(cause).__name__


def _describe_failure(task: pregel.Task, exc: BaseException) -> dict[str, Any]:
    cause = exc.cause if isinstance(exc, ActivityError) and exc.cause else exc
    return {
        "node": task.node,
        "step": task.step,
        "type": getattr(cause, "type", None) or type(cause).__name__,
        "message": _error_message(exc),
    }
