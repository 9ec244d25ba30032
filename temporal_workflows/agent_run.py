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
  worker loss without re-running the whole workflow task;
- human nodes create a task (an activity) and wait for the ``human_input`` update,
  durably and without holding a worker slot, for as long as it takes; an optional
  deadline is a workflow timer.

Controls: ``pause``/``resume`` signals (finish the current step, start no new one),
Temporal cancellation (running activities are cancelled, open tasks closed), and a
retry of a failed run that reuses the recorded outputs of the tasks that completed.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.contrib.workflow_streams import WorkflowStream
from temporalio.exceptions import ActivityError, ApplicationError, is_cancelled_exception

with workflow.unsafe.imports_passed_through():
    from node_types import approval, human, pregel, replay
    from node_types.plan import ExecutionPlan, parse_plan
    from temporal_workflows import contracts as c
    from temporal_workflows.plan_access import NodeRuntime, answer_of, node_runtime

RECORD_TIMEOUT = timedelta(seconds=30)
# workflow.patched ids: histories recorded before a change replay the old way.
FINISH_AS_LOCAL_ACTIVITY = "finish-execution-as-local-activity"
FLUSH_EVENTS_BEFORE_OUTAGE_WAIT = "flush-events-before-outage-wait"
EVENTS_TO_POSTGRES_LOG = "events-to-postgres-log"
# Runs begun before this showed `running` in RunStatus until they ended.
STATUS_WHILE_RUNNING = "run-status-while-running"
# Runs begun before this failed when a token budget ran out; now they wait for it.
BUDGET_WAIT = "budget-wait"
# Records must land eventually: keep retrying while the database is away.
RECORD_RETRY = RetryPolicy(maximum_interval=timedelta(seconds=30))


@dataclass
class _OpenTask:
    """A human task the run is waiting on."""

    node_task_id: str
    config: dict[str, Any]
    # A stage of an approval policy: its tally decides when the task is settled.
    tally: approval.StageTally | None = None
    stages: int = 1
    # Answers whose records are being written (the stage ends after they land).
    recording: int = 0


# Not sandboxed: the sandbox re-ran this module (and @workflow.defn's inspection of
# every handler) for each new run, ≈ 3 ms of CPU before a run's first activity. What
# the sandbox would guard is checked instead: this module imports only deterministic
# code (node_types and the contracts are passed through anyway) and calls nothing
# non-deterministic (tests/temporal_workflows/test_agent_run_determinism.py), and every
# recorded history replays (tests/temporal_workflows/test_replay*.py).
@workflow.defn(name=c.RUN_WORKFLOW, sandboxed=False)
class AgentRunWorkflow:
    """One agent run: ``exec-<execution_id>``."""

    @workflow.init
    def __init__(self, params: c.RunInput) -> None:
        self._params = params
        self._plan = parse_plan(params.plan)
        # Runs now publish to the PostgreSQL log through their activities. A run begun
        # before that (``_legacy_stream``) still publishes here, where and as it did, so its
        # history (publish signals, poll updates) replays and its open streams go on.
        self._stream = WorkflowStream()
        self._legacy_events = self._stream.topic(c.EVENTS_TOPIC)
        self._legacy_stream = False
        # Events produced here wait for the next activity, which appends them to the log
        # with its own write: no activity, signal or workflow task of their own.
        self._outbox: list[dict[str, Any]] = []
        self._events_made = 0
        self._node_status: dict[str, str] = {}
        self._step = 0
        self._status = "running"
        self._paused = False
        # Debugging: where the run stands paused (None: not at a breakpoint), whether it
        # pauses again after one superstep, and the state between supersteps.
        self._break_at: dict[str, Any] | None = None
        self._stepping = False
        self._state: dict[str, Any] = {}
        self._inline_records: list[c.InlineNodeRecord] = []
        self._completed = 0
        self._failed = 0
        self._open_tasks: dict[str, _OpenTask] = {}
        self._answers: dict[str, c.HumanInput] = {}
        self._cancelled_tasks: set[str] = set()
        # Budgets: how many budget_changed signals came, and how many nodes wait for one.
        self._budget_signals = 0
        self._budget_waits = 0

    # --- queries, signals, updates -------------------------------------------------

    @workflow.query(name=c.PROGRESS_QUERY)
    def progress(self) -> dict[str, Any]:
        """Node states for the live execution graph."""
        return {
            "status": self._status,
            "step": self._step,
            "paused": self._paused,
            "nodes": dict(self._node_status),
            "open_tasks": sorted(self._open_tasks),
            "breakpoint": self._break_at,
        }

    @workflow.query(name=c.DEBUG_QUERY)
    def debug(self) -> dict[str, Any]:
        """Where a debugged run stands, with its whole state between supersteps."""
        return {
            "status": self._status,
            "step": self._step,
            "paused": self._paused,
            "breakpoint": self._break_at,
            "state": self._state,
            "breakpoints": {
                "before": list(self._params.breakpoints_before),
                "after": list(self._params.breakpoints_after),
            },
        }

    @workflow.signal(name=c.STEP_SIGNAL)
    async def step(self) -> None:
        """Run one superstep, then pause again."""
        if self._paused:
            self._stepping = True
            await self.resume()

    @workflow.update(name=c.EDIT_STATE_UPDATE)
    def edit_state(self, edits: dict[str, Any]) -> dict[str, Any]:
        """Set state keys while the run is paused; the next superstep sees them."""
        self._state = pregel.edited_state(self._plan, self._state, edits)
        self._publish(c.EVENT_STATE_EDITED, step=self._step, keys=sorted(edits))
        return self._state

    @edit_state.validator
    def _check_edit(self, edits: dict[str, Any]) -> None:
        if not self._paused:
            raise ApplicationError(
                "the run is not paused: its state is edited only between supersteps",
                type="NotPaused",
            )
        problems = pregel.state_edit_problems(self._plan, edits)
        if problems:
            raise ApplicationError(
                "the state edit does not fit the agent's state",
                [{"path": f"state.{key}", "message": message} for key, message in problems],
                type="InvalidStateEdit",
            )

    @workflow.signal(name=c.PAUSE_SIGNAL)
    async def pause(self) -> None:
        """Finish the current step, then start no new node until resumed."""
        if not self._paused and self._status in ("running", "waiting"):
            self._paused = True
            self._publish(c.EVENT_PAUSED, step=self._step)
            self._show_status("paused")
            await self._set_status("paused")

    @workflow.signal(name=c.RESUME_SIGNAL)
    async def resume(self) -> None:
        """Continue a paused run."""
        if self._paused:
            self._paused = False
            self._break_at = None
            self._publish(c.EVENT_RESUMED, step=self._step)
            self._show_status(self._status)
            await self._set_status("running")

    @workflow.signal(name=c.CANCEL_HUMAN_TASK_SIGNAL)
    def cancel_human_task(self, task_id: str) -> None:
        """An admin cancelled a task: the waiting node fails."""
        if task_id in self._open_tasks and task_id not in self._answers:
            self._cancelled_tasks.add(task_id)

    @workflow.update(name=c.HUMAN_INPUT_UPDATE)
    async def human_input(self, data: c.HumanInput) -> c.HumanInputResult:
        """Accept a reviewer's answer (the validator has checked it) and record it."""
        open_task = self._open_tasks.get(data.task_id)
        if open_task is not None and open_task.tally is not None:
            return await self._take_answer(open_task, data)
        if data.task_id in self._answers:
            # A competing update with another id slipped past the validator in the same
            # activation; the first answer stands.
            raise ApplicationError("the task was already completed", type="TaskNotOpen")
        self._answers[data.task_id] = data
        completed_at = workflow.now().isoformat()
        return c.HumanInputResult(
            task_id=data.task_id,
            request_id=data.request_id,
            completed_by=data.completed_by,
            completed_at=completed_at,
        )

    @human_input.validator
    def _validate_human_input(self, data: c.HumanInput) -> None:
        task = self._open_tasks.get(data.task_id)
        if task is None or data.task_id in self._answers or data.task_id in self._cancelled_tasks:
            raise ApplicationError("the task is not open", type="TaskNotOpen")
        if task.tally is not None:
            self._check_voice(task.tally, data)
        elif (
            data.completer_tenant_id != self._params.tenant_id
            or data.completer_role not in c.REVIEWER_ROLES
        ):
            raise ApplicationError("only the tenant's reviewers may complete it", type="Forbidden")
        problems = human.validate_input(task.config, data.input)
        if problems:
            raise ApplicationError(
                "the input does not match the task's schema",
                [{"path": path, "message": message} for path, message in problems],
                type="InvalidHumanInput",
            )

    def _check_voice(self, tally: approval.StageTally, data: c.HumanInput) -> None:
        """An answer to a policy task must come from an assignee not heard from yet."""
        if data.completer_tenant_id != self._params.tenant_id:
            raise ApplicationError("only the tenant's people may answer it", type="Forbidden")
        voice = tally.voice_of(_person(data))
        if voice is None:
            raise ApplicationError("you are not among this stage's assignees", type="Forbidden")
        if tally.has_answered(voice):
            raise ApplicationError("you have already answered this task", type="AlreadyAnswered")
        if tally.decision is not None:
            raise ApplicationError("the task is not open", type="TaskNotOpen")

    async def _take_answer(self, open_task: _OpenTask, data: c.HumanInput) -> c.HumanInputResult:
        """Count one person's answer; the one that settles the stage settles the wait."""
        tally = open_task.tally
        assert tally is not None
        # Several answers can pass their validators in one activation: check again here,
        # where answers are taken one at a time, so exactly one of them settles the stage.
        if data.task_id not in self._open_tasks or data.task_id in self._cancelled_tasks:
            raise ApplicationError("the task is not open", type="TaskNotOpen")
        self._check_voice(tally, data)
        voice = tally.voice_of(_person(data))
        assert voice is not None
        answer = approval.Answer(
            by=data.completed_by,
            voice=voice,
            agreed=approval.agreed(tally.decision_key, data.input),
            input=data.input,
            at=workflow.now().isoformat(),
            note=data.completion_note,
        )
        tally.answers.append(answer)
        decided = tally.decision is not None
        if decided:
            self._answers[data.task_id] = data
        self._publish(
            c.EVENT_HUMAN_ANSWER,
            task_id=data.task_id,
            by=answer.by,
            agreed=answer.agreed,
            agreements=tally.agreements,
            still_needed=tally.still_needed,
            decided=decided,
        )
        open_task.recording += 1
        try:
            await workflow.execute_activity(
                c.RECORD_HUMAN_ANSWER_ACTIVITY,
                c.HumanAnswerRecord(
                    tenant_id=self._params.tenant_id,
                    execution_id=self._params.execution_id,
                    task_id=data.task_id,
                    by=answer.by,
                    voice=answer.voice,
                    agreed=answer.agreed,
                    input=answer.input,
                    at=answer.at,
                    note=answer.note,
                    policy=_stage_public(open_task),
                    events=self._take_events(),
                ),
                start_to_close_timeout=RECORD_TIMEOUT,
                retry_policy=RECORD_RETRY,
                summary="human: record an answer",
            )
        finally:
            open_task.recording -= 1
        return c.HumanInputResult(
            task_id=data.task_id,
            request_id=data.request_id,
            completed_by=data.completed_by,
            completed_at=answer.at,
            decided=decided,
            agreements=tally.agreements,
            still_needed=tally.still_needed,
        )

    @workflow.update(name=c.DELEGATE_HUMAN_TASK_UPDATE)
    async def delegate_human_task(self, data: c.HumanDelegation) -> dict[str, Any]:
        """Hand an assignee's part of a policy task to another person; returns the stage."""
        self._check_delegation(data)  # again: handlers run one at a time, validators not
        open_task = self._open_tasks[data.task_id]
        tally = open_task.tally
        assert tally is not None
        voice = tally.voice_of(_delegator(data))
        assert voice is not None
        tally.delegations[voice] = data.to_user_id
        self._publish(
            c.EVENT_DELEGATED,
            task_id=data.task_id,
            **{"from": data.from_user_id, "to": data.to_user_id},
        )
        await self._record_task(
            data.task_id, open_task, "delegated", assigned_to=data.to_user_id, note=data.note
        )
        return _stage_public(open_task)

    @delegate_human_task.validator
    def _validate_delegation(self, data: c.HumanDelegation) -> None:
        self._check_delegation(data)

    def _check_delegation(self, data: c.HumanDelegation) -> None:
        task = self._open_tasks.get(data.task_id)
        if task is None or task.tally is None or data.task_id in self._cancelled_tasks:
            raise ApplicationError("the task is not open for delegation", type="TaskNotOpen")
        tally = task.tally
        if data.tenant_id != self._params.tenant_id:
            raise ApplicationError("only the tenant's people may delegate", type="Forbidden")
        voice = tally.voice_of(_delegator(data))
        if voice is None:
            raise ApplicationError("you are not among this stage's assignees", type="Forbidden")
        if tally.has_answered(voice) or tally.decision is not None:
            raise ApplicationError("your part of this task is done", type="AlreadyAnswered")
        delegate = approval.Person(
            data.to_user_id, data.to_email, data.to_role, tuple(data.to_groups)
        )
        if data.to_user_id == data.from_user_id or tally.voice_of(delegate) is not None:
            raise ApplicationError(
                "that person already answers this task in their own right", type="Conflict"
            )

    # --- the run -------------------------------------------------------------------

    def _publish(self, event: str, **data: Any) -> None:
        """Queue an event for the run's log; its key makes the carrying activity's retries
        append it once."""
        if self._legacy_stream:
            self._legacy_events.publish({"event": event, **data})
            return
        self._outbox.append({"key": f"wf:{self._events_made}", "event": {"event": event, **data}})
        self._events_made += 1

    def _publish_carried(self, event: str, data: dict[str, Any]) -> None:
        """Queue an event for the activity about to write what it reports."""
        if not self._legacy_stream:
            self._publish(event, **data)

    def _publish_legacy(self, event: str, data: dict[str, Any]) -> None:
        """A run begun before the event log published this only after the write."""
        if self._legacy_stream:
            self._publish(event, **data)

    def _take_events(self) -> list[dict[str, Any]]:
        """The queued events, for the activity about to be scheduled to append first."""
        events, self._outbox = self._outbox, []
        return events

    async def _flush_events(self) -> None:
        """Append the queued events now (before a wait with no activity to carry them).

        A failed write is left to the next activity (keys dedupe); a cancellation stops the
        run here: swallowed, it would leave the run waiting (for an outage, for a budget).
        """
        if not self._outbox or not workflow.patched(FLUSH_EVENTS_BEFORE_OUTAGE_WAIT):
            return
        events = self._take_events()
        try:
            await workflow.execute_local_activity(
                c.APPEND_RUN_EVENTS_ACTIVITY,
                c.AppendRunEventsInput(
                    tenant_id=self._params.tenant_id,
                    execution_id=self._params.execution_id,
                    events=events,
                ),
                start_to_close_timeout=timedelta(seconds=5),
                retry_policy=RetryPolicy(maximum_attempts=1),
                summary="records: run events",
            )
        except Exception as exc:  # never BaseException: eviction must pass through untouched
            # The database is away too (however the local activity's failure is reported).
            self._outbox[:0] = events
            if is_cancelled_exception(exc):  # the run was cancelled: it ends as cancelled
                raise asyncio.CancelledError() from exc

    @workflow.run
    async def run(self, params: c.RunInput) -> c.RunResult:
        """Run the plan to the end, record the outcome, and close the stream."""
        plan = self._plan
        self._legacy_stream = not (params.events_in_log or workflow.patched(EVENTS_TO_POSTGRES_LOG))
        if self._legacy_stream:
            # Now the API writes this first event, with the run's registration.
            self._publish(c.EVENT_THOUGHT, content=f"Running {params.agent_name or 'agent'}…")
        state = pregel.initial_state(plan, params.inputs)
        error: dict[str, Any] | None = None
        cancelled = False
        try:
            state, error = await self._supersteps(params, plan, state)
        except asyncio.CancelledError:
            cancelled = True
        status = "cancelled" if cancelled else ("failed" if error else "completed")
        result = await self._finish(params, plan, state, status, error)
        if cancelled:
            raise asyncio.CancelledError()
        if error:
            raise ApplicationError(
                f"node {error.get('node')!r} failed: {error['message']}",
                error,
                type="NodeFailed",
                non_retryable=True,
            )
        return result

    async def _supersteps(
        self, params: c.RunInput, plan: ExecutionPlan, state: dict[str, Any]
    ) -> tuple[dict[str, Any], dict[str, Any] | None]:
        try:
            tasks = pregel.first_tasks(plan, state)
            self._state = state
            finished: list[pregel.Task] = []
            while tasks:
                await self._break(tasks, finished)
                await workflow.wait_condition(lambda: not self._paused)
                state = self._state  # a debugger may have edited it while paused
                pregel.check_step_limit(plan, self._step)
                if params.state_edit is not None and self._step == params.state_edit_step:
                    # Run again from a node with the state corrected: the steps before it
                    # replayed their recorded outputs; the edit applies before it runs.
                    state = pregel.edited_state(plan, state, params.state_edit)
                outcomes = await asyncio.gather(
                    *(self._run_task(params, plan, task, state) for task in tasks),
                    return_exceptions=True,
                )
                for task, outcome in zip(tasks, outcomes, strict=True):
                    if isinstance(outcome, asyncio.CancelledError):
                        raise outcome
                    if isinstance(outcome, BaseException):
                        return state, _describe_failure(task, outcome)
                writes = list(zip(tasks, outcomes, strict=True))
                finished = tasks
                state, tasks = pregel.advance(plan, state, writes)  # type: ignore[arg-type]
                self._state = state
                self._step += 1
            # A breakpoint after the last node: look (and edit) before the answer is made.
            await self._break([], finished)
            if self._paused:
                await workflow.wait_condition(lambda: not self._paused)
                state = self._state
        except pregel.StepLimitExceeded as exc:
            return state, {"node": None, "type": "StepLimitExceeded", "message": str(exc)}
        except (ApplicationError, asyncio.CancelledError):
            raise
        except Exception as exc:  # a plan-level error (bad write, bad expression at run time)
            return state, {"node": None, "type": type(exc).__name__, "message": str(exc)}
        return state, None

    async def _break(self, tasks: list[pregel.Task], finished: list[pregel.Task]) -> None:
        """Pause at a breakpoint: before a node of `tasks` runs, after a node of `finished`
        ran, or after one superstep when stepping. Without breakpoints: nothing at all."""
        params = self._params
        before = sorted({t.node for t in tasks if t.node in params.breakpoints_before})
        after = sorted({t.node for t in finished if t.node in params.breakpoints_after})
        stepped = self._stepping and bool(tasks)
        if not (before or after or stepped):
            return
        self._stepping = False
        self._break_at = {
            "step": self._step,
            "before": before,
            "after": after,
            "next": sorted({t.node for t in tasks}),
        }
        self._paused = True
        self._publish(c.EVENT_PAUSED, step=self._step, breakpoint=self._break_at)
        self._show_status("paused")
        await self._set_status("paused")

    async def _finish(
        self,
        params: c.RunInput,
        plan: ExecutionPlan,
        state: dict[str, Any],
        status: str,
        error: dict[str, Any] | None,
    ) -> c.RunResult:
        answer = answer_of(plan, state) if status == "completed" else None
        message_id = str(workflow.uuid4()) if (params.chat_id and answer is not None) else None
        for task_id, task in list(self._open_tasks.items()):
            if task_id not in self._answers:
                await self._record_task(task_id, task, "cancelled", note=f"run {status}")
        finish = (
            # A short idempotent write: a local activity saves a task round trip per run.
            # A run on the event log is past that change: no second patch marker (and
            # search-attribute update) in its history; older runs ask as they did.
            workflow.execute_local_activity
            if not self._legacy_stream or workflow.patched(FINISH_AS_LOCAL_ACTIVITY)
            else workflow.execute_activity
        )
        if not self._legacy_stream:
            # The last events commit with the run's outcome, carried by the finish write.
            self._publish_end(params, status, error, message_id, answer)
        await finish(
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
                agent_name=params.agent_name,
                events=self._take_events(),
            ),
            start_to_close_timeout=RECORD_TIMEOUT,
            retry_policy=RECORD_RETRY,
            summary="records: finish execution",
        )
        self._status = status
        if params.use_search_attributes:
            # Operators filter by outcome in the Temporal UI.
            workflow.upsert_search_attributes([c.SA_STATUS.value_set(status)])
        if self._legacy_stream:
            self._publish_end(params, status, error, message_id, answer)
        self._stream.detach_pollers()
        await workflow.wait_condition(workflow.all_handlers_finished)
        return c.RunResult(
            status=status,
            answer=answer,
            final_state=state,
            assistant_message_id=message_id,
            error=error,
        )

    def _publish_end(
        self,
        params: c.RunInput,
        status: str,
        error: dict[str, Any] | None,
        message_id: str | None,
        answer: str | None,
    ) -> None:
        if error:
            self._publish(c.EVENT_ERROR, content=error["message"], node=error.get("node"))
        if status == "cancelled":
            self._publish(c.EVENT_CANCELLED, step=self._step)
        self._publish(
            c.EVENT_DONE,
            status=status,
            execution_id=params.execution_id,
            chat_id=params.chat_id,
            message_id=message_id,
            answer=answer,
        )

    async def _run_task(
        self, params: c.RunInput, plan: ExecutionPlan, task: pregel.Task, state: dict[str, Any]
    ) -> dict[str, Any]:
        runtime = node_runtime(plan, task.node)
        key = task.task_id
        recorded = params.recorded_updates.get(key)
        if recorded is not None:
            # Retry from a failed node: this task completed in the failed run; reuse it.
            self._node_status[key] = "completed"
            self._inline_records.append(
                c.InlineNodeRecord(task.node, runtime.type, task.step, key, "skipped", recorded)
            )
            self._publish(
                c.EVENT_NODE_COMPLETED, node=task.node, step=task.step, task_id=key, reused=True
            )
            return recorded
        self._node_status[key] = "running"
        # An activity node says it started (and completed) with its own record.
        in_workflow = runtime.execution in ("inline", "human") or self._legacy_stream
        if in_workflow:
            self._publish(c.EVENT_NODE_STARTED, node=task.node, step=task.step, task_id=key)
        node_input = pregel.node_input(plan, task, state)
        if params.replay_outputs is not None and runtime.execution != "inline":
            replayed = self._replayed(params, runtime, task, node_input)
            if replayed is not None:
                return replayed
        try:
            if runtime.execution == "inline":
                update = pregel.run_inline(plan, task, node_input)
                self._inline_records.append(
                    c.InlineNodeRecord(task.node, runtime.type, task.step, key, "completed", update)
                )
            elif runtime.execution == "human":
                update = await self._run_human(params, runtime, task, node_input)
            else:
                update = await self._run_activity(params, runtime, task, node_input)
        except asyncio.CancelledError:
            self._node_status[key] = "cancelled"
            raise
        except Exception as exc:  # never BaseException: eviction must pass through untouched
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
        if in_workflow:
            self._publish(c.EVENT_NODE_COMPLETED, node=task.node, step=task.step, task_id=key)
        return update

    def _replayed(
        self,
        params: c.RunInput,
        runtime: NodeRuntime,
        task: pregel.Task,
        node_input: dict[str, Any],
    ) -> dict[str, Any] | None:
        """A replay check's recorded output for this exact call, or None to make it live.

        Raises (the node fails) when it must not be made live: by the check's option, or
        because it would ask a person.
        """
        assert params.replay_outputs is not None
        key = task.task_id
        recorded = params.replay_outputs.get(
            replay.call_key(task.node, runtime.type, runtime.config, node_input)
        )
        if recorded is not None:
            self._node_status[key] = "completed"
            self._completed += 1
            self._inline_records.append(
                c.InlineNodeRecord(task.node, runtime.type, task.step, key, "skipped", recorded)
            )
            self._publish(
                c.EVENT_NODE_COMPLETED, node=task.node, step=task.step, task_id=key, replayed=True
            )
            return recorded
        if params.replay_unmatched == "refuse" or runtime.execution == "human":
            self._node_status[key] = "failed"
            self._failed += 1
            message = f"no recorded call matches node {task.node!r} (its input or settings differ)"
            self._publish(c.EVENT_NODE_FAILED, node=task.node, step=task.step, error=message)
            raise ApplicationError(message, type="NoRecordedCall", non_retryable=True)
        return None

    async def _run_activity(
        self,
        params: c.RunInput,
        runtime: NodeRuntime,
        task: pregel.Task,
        node_input: dict[str, Any],
    ) -> dict[str, Any]:
        # An unreachable service is not the node's failure: wait for it with backoff, for
        # as long as the run's patience allows, then schedule the node again. Its own
        # retry budget (the retry policy below) is left for its own errors.
        patience = timedelta(seconds=params.infrastructure_patience_seconds)
        give_up_at = workflow.now() + patience
        wait = timedelta(seconds=1)
        carried: list[Any] = []
        rescheduled = 0
        while True:
            # A raise signalled while the node is being refused still counts for its wait.
            signals = self._budget_signals
            try:
                return await self._execute_node(
                    params, runtime, task, node_input, carried, rescheduled
                )
            except ActivityError as err:
                cause = err.cause
                if _budget_exhausted(cause) and workflow.patched(BUDGET_WAIT):
                    assert isinstance(cause, ApplicationError)
                    await self._wait_for_budget(task, cause, signals)
                    give_up_at = workflow.now() + patience
                    continue
                unreachable = (
                    isinstance(cause, ApplicationError)
                    and cause.type == c.INFRASTRUCTURE_UNAVAILABLE
                )
                if not unreachable or workflow.now() + wait > give_up_at:
                    raise
                # What the stopped scheduling finished (e.g. tool calls) goes to the next one.
                assert isinstance(cause, ApplicationError)
                carried = list(cause.details) or carried
                self._publish(
                    c.EVENT_RETRYING,
                    node=task.node,
                    step=task.step,
                    reason="infrastructure",
                    wait_seconds=int(wait.total_seconds()),
                )
                await self._flush_events()
                await workflow.sleep(wait)
                wait = min(wait * 2, timedelta(seconds=30))
                rescheduled += 1

    @workflow.signal(name=c.BUDGET_CHANGED_SIGNAL)
    def budget_changed(self) -> None:
        """A budget this run may wait for was raised: its waiting nodes try again."""
        self._budget_signals += 1

    async def _wait_for_budget(
        self, task: pregel.Task, refused: ApplicationError, signals: int
    ) -> None:
        """Wait, durably and holding no worker slot, until a budget is raised (signal) or
        its period ends (timer); the caller then schedules the node again."""
        budget = dict(refused.details[0]) if refused.details else {}
        period_end = datetime.fromisoformat(str(budget["period_end"]))
        waiting = {"node": task.node, "step": task.step, "task_id": task.task_id, **budget}
        self._publish(c.EVENT_WAITING_FOR_BUDGET, **waiting)
        self._node_status[task.task_id] = "waiting"
        self._budget_waits += 1
        self._status = "waiting"
        self._show_status("waiting")
        await self._flush_events()
        # At least a second: a period that ended while the node was being refused.
        timeout = max(period_end - workflow.now(), timedelta(seconds=1))
        try:
            await workflow.wait_condition(lambda: self._budget_signals != signals, timeout=timeout)
            reason = "budget_changed"
        except TimeoutError:
            reason = "period_ended"
        finally:
            self._budget_waits -= 1
        self._node_status[task.task_id] = "running"
        if not self._open_tasks and not self._budget_waits:
            self._status = "running"
            self._show_status("running")
        # Carried by the node's next scheduling.
        self._publish(c.EVENT_BUDGET_AVAILABLE, node=task.node, step=task.step, reason=reason)

    async def _execute_node(
        self,
        params: c.RunInput,
        runtime: NodeRuntime,
        task: pregel.Task,
        node_input: dict[str, Any],
        carried: list[Any],
        rescheduled: int,
    ) -> dict[str, Any]:
        result: c.NodeActivityResult = await workflow.execute_activity(
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
                services=params.service_bindings.get(task.node, {}),
                carried=carried,
                rescheduled=rescheduled,
                events=self._take_events(),
                user_model_params=params.user_model_params,
                personal_key_id=params.personal_key_id,
                agent_id=params.agent_id,
                user_id=params.user_id,
            ),
            result_type=c.NodeActivityResult,
            start_to_close_timeout=runtime.start_to_close,
            schedule_to_close_timeout=runtime.schedule_to_close,
            heartbeat_timeout=runtime.heartbeat,
            retry_policy=runtime.retry_policy,
            summary=f"{runtime.type}: {task.node}",
        )
        return result.update

    # --- human nodes -----------------------------------------------------------------

    async def _run_human(
        self,
        params: c.RunInput,
        runtime: NodeRuntime,
        task: pregel.Task,
        node_input: dict[str, Any],
    ) -> dict[str, Any]:
        request = human.prepare(runtime.config, node_input)
        if request["approval"] is not None:
            return await self._run_policy(
                params, task, request, human.to_update(runtime.config, {})
            )
        deadline = request["deadline"] or None
        due_seconds = request["due_in_seconds"] or (deadline or {}).get("after_seconds")
        due_at = workflow.now() + timedelta(seconds=due_seconds) if due_seconds else None
        task_id = str(workflow.uuid4())
        open_task = _OpenTask(node_task_id=task.task_id, config=runtime.config)
        waiting = {
            "node": task.node,
            "step": task.step,
            "task_id": task_id,
            "instruction": request["instruction"],
            "priority": request["priority"],
            "due_at": due_at.isoformat() if due_at else None,
        }
        # Carried by the activity that creates the task: the event commits with the task.
        self._publish_carried(c.EVENT_WAITING_FOR_HUMAN, waiting)
        await self._create_task(
            task_id,
            task,
            request,
            due_at=due_at,
            deadline=deadline,
            assigned_to=request["assigned_to"],
            summary=f"human: {task.node} (create task)",
        )
        self._publish_legacy(c.EVENT_WAITING_FOR_HUMAN, waiting)
        self._wait_on(task_id, open_task, task)
        try:
            update = await self._settle(task_id, open_task, runtime, task, deadline)
        finally:
            del self._open_tasks[task_id]
            if not self._open_tasks:  # a fan-out's other reviewers may still be asked
                self._status = "running"
                self._show_status("running")
        return update

    async def _run_policy(
        self,
        params: c.RunInput,
        task: pregel.Task,
        request: dict[str, Any],
        empty_update: dict[str, Any],
    ) -> dict[str, Any]:
        """Ask the policy's stages in order; the node's output tallies every answer."""
        policy = request["approval"]
        output_key = next(iter(empty_update))
        outcomes: list[dict[str, Any]] = []
        for index in range(len(policy["stages"])):
            open_task = _OpenTask(
                node_task_id=task.task_id,
                config=request,
                tally=approval.new_tally(policy, index),
                stages=len(policy["stages"]),
            )
            task_id, decision = await self._run_stage(params, task, request, open_task)
            assert open_task.tally is not None
            outcomes.append(open_task.tally.outcome(decision))
            final = decision != "approved" or index == len(policy["stages"]) - 1
            result = approval.output(outcomes)
            rejected = final and not result["approved"]
            fails = rejected and policy["on_rejection"] == "fail"
            node_output = {output_key: result} if final and not fails else None
            await self._close_stage(task_id, open_task, task, decision, node_output, final)
            if fails:
                raise ApplicationError(
                    f"the approval was not given at stage {index + 1}",
                    type="HumanRejected",
                    non_retryable=True,
                )
            if final:
                assert node_output is not None
                return node_output
        raise AssertionError("unreachable: the last stage is final")

    async def _run_stage(
        self,
        params: c.RunInput,
        task: pregel.Task,
        request: dict[str, Any],
        open_task: _OpenTask,
    ) -> tuple[str, str]:
        """Open one stage's task and wait until its tally decides, its deadline acts or it
        is cancelled; returns the task id and the decision."""
        tally = open_task.tally
        assert tally is not None
        deadline = request["approval"]["stages"][tally.index]["deadline"]
        due_at = workflow.now() + timedelta(seconds=deadline["after_seconds"]) if deadline else None
        task_id = str(workflow.uuid4())
        waiting = {
            "node": task.node,
            "step": task.step,
            "task_id": task_id,
            "instruction": request["instruction"],
            "priority": request["priority"],
            "due_at": due_at.isoformat() if due_at else None,
            "stage": tally.index,
            "stages": open_task.stages,
            "quorum": tally.quorum,
        }
        self._publish(c.EVENT_WAITING_FOR_HUMAN, **waiting)
        await self._create_task(
            task_id,
            task,
            request,
            due_at=due_at,
            deadline=deadline,
            assigned_to=None,
            summary=f"human: {task.node} (stage {tally.index + 1})",
            policy=_stage_public(open_task),
        )
        self._wait_on(task_id, open_task, task)
        try:
            decision = await self._await_stage(task_id, open_task, task, deadline)
        finally:
            del self._open_tasks[task_id]
            if not self._open_tasks:
                self._status = "running"
                self._show_status("running")
        return task_id, decision

    async def _await_stage(
        self,
        task_id: str,
        open_task: _OpenTask,
        task: pregel.Task,
        deadline: dict[str, Any] | None,
    ) -> str:
        tally = open_task.tally
        assert tally is not None

        def settled() -> bool:
            return tally.decision is not None or task_id in self._cancelled_tasks

        async def wait(seconds: float | None) -> bool:
            try:
                await workflow.wait_condition(
                    settled, timeout=timedelta(seconds=seconds) if seconds else None
                )
            except TimeoutError:
                return False
            return True

        decision: str | None = None
        if deadline is None:
            await wait(None)
        else:
            after = float(deadline["after_seconds"])
            remind = deadline.get("remind_before_seconds")
            done = False
            if remind:
                done = await wait(after - float(remind))
                if not done:
                    near = {"node": task.node, "task_id": task_id, "in_seconds": remind}
                    self._publish(c.EVENT_DEADLINE_NEAR, **near)
                    await self._record_task(task_id, open_task, "reminded", note="deadline near")
            if not done and not await wait(float(remind) if remind else after):
                decision = await self._stage_deadline(task_id, open_task, task, deadline, wait)
        # The answer that settled the stage is recorded before the stage closes.
        await workflow.wait_condition(lambda: open_task.recording == 0)
        if task_id in self._cancelled_tasks:
            await self._record_task(task_id, open_task, "cancelled", note="cancelled by an admin")
            raise ApplicationError(
                "the human task was cancelled", type="TaskCancelled", non_retryable=True
            )
        return decision or tally.decision or "rejected"

    async def _stage_deadline(
        self,
        task_id: str,
        open_task: _OpenTask,
        task: pregel.Task,
        deadline: dict[str, Any],
        wait: Any,
    ) -> str | None:
        """The stage's deadline passed: escalate and wait on, or close it (expired)."""
        tally = open_task.tally
        assert tally is not None
        if deadline["policy"] == "escalate":
            tally.escalate(approval.assignees_of(deadline["escalate_to"]))
            priority = deadline.get("escalate_priority") or min(
                open_task.config["priority"] + 3, 10
            )
            escalated = {"node": task.node, "task_id": task_id, "priority": priority}
            self._publish(c.EVENT_ESCALATED, **escalated, assignees=tally.assignees)
            await self._record_task(
                task_id, open_task, "escalated", priority=priority, note="deadline passed"
            )
            await wait(None)
            return None
        passed = {"node": task.node, "task_id": task_id, "policy": deadline["policy"]}
        self._publish(c.EVENT_DEADLINE_PASSED, **passed)
        if deadline["policy"] == "fail":
            reason = f"no decision within {deadline['after_seconds']} seconds"
            await self._record_task(task_id, open_task, "expired", note=reason)
            raise ApplicationError(reason, type="HumanDeadlineExceeded", non_retryable=True)
        return "expired"

    async def _close_stage(
        self,
        task_id: str,
        open_task: _OpenTask,
        task: pregel.Task,
        decision: str,
        node_output: dict[str, Any] | None,
        final: bool,
    ) -> None:
        """Record the stage's task as decided (and the node's output when it is the last)."""
        tally = open_task.tally
        assert tally is not None
        last = tally.answers[-1] if tally.answers else None
        received = {
            "node": task.node,
            "task_id": task_id,
            "stage": tally.index,
            "decision": decision,
            "completed_by": last.by if last else None,
        }
        self._publish(c.EVENT_HUMAN_INPUT_RECEIVED, **received)
        await self._record_task(
            task_id,
            open_task,
            "expired" if decision == "expired" else "completed",
            human_input=tally.outcome(decision),
            completion_note=last.note if last else None,
            completed_by=last.by if last else None,
            node_output=node_output,
            note=f"stage {decision}",
            closes_node=final,
        )

    async def _create_task(
        self,
        task_id: str,
        task: pregel.Task,
        request: dict[str, Any],
        *,
        due_at: Any,
        deadline: dict[str, Any] | None,
        assigned_to: str | None,
        summary: str,
        policy: dict[str, Any] | None = None,
    ) -> None:
        """Write the task a person answers (with the events queued so far)."""
        await workflow.execute_activity(
            c.CREATE_HUMAN_TASK_ACTIVITY,
            c.HumanTaskInput(
                tenant_id=self._params.tenant_id,
                execution_id=self._params.execution_id,
                task_id=task_id,
                node_name=task.node,
                node_task_id=task.task_id,
                step=task.step,
                instruction=request["instruction"],
                current_state=request["current_state"],
                required_input_schema=request["required_input_schema"],
                priority=request["priority"],
                assigned_to=assigned_to,
                due_at=due_at.isoformat() if due_at else None,
                deadline_policy=(deadline or {}).get("policy"),
                events=self._take_events(),
                policy=policy,
            ),
            start_to_close_timeout=RECORD_TIMEOUT,
            retry_policy=RECORD_RETRY,
            summary=summary,
        )

    def _wait_on(self, task_id: str, open_task: _OpenTask, task: pregel.Task) -> None:
        """The run now waits for a person: the task takes answers, RunStatus says so."""
        self._open_tasks[task_id] = open_task
        self._node_status[task.task_id] = "waiting"
        self._status = "waiting"
        self._show_status("waiting")

    def _show_status(self, status: str) -> None:
        """Say in RunStatus what the run does now (operators find waiting runs by it)."""
        if self._params.use_search_attributes and workflow.patched(STATUS_WHILE_RUNNING):
            shown = "paused" if self._paused else status
            workflow.upsert_search_attributes([c.SA_STATUS.value_set(shown)])

    async def _settle(
        self,
        task_id: str,
        open_task: _OpenTask,
        runtime: NodeRuntime,
        task: pregel.Task,
        deadline: dict[str, Any] | None,
    ) -> dict[str, Any]:
        settled = await self._wait_for_answer(task_id, deadline)
        if not settled:
            update = await self._on_deadline(task_id, open_task, runtime, task)
        elif task_id in self._cancelled_tasks:
            await self._record_task(task_id, open_task, "cancelled", note="cancelled by an admin")
            raise ApplicationError(
                "the human task was cancelled", type="TaskCancelled", non_retryable=True
            )
        else:
            answer = self._answers[task_id]
            update = human.to_update(runtime.config, answer.input)
            received = {"node": task.node, "task_id": task_id, "completed_by": answer.completed_by}
            self._publish_carried(c.EVENT_HUMAN_INPUT_RECEIVED, received)
            await self._record_task(
                task_id,
                open_task,
                "completed",
                human_input=answer.input,
                completion_note=answer.completion_note,
                completed_by=answer.completed_by,
                node_output=update,
            )
            self._publish_legacy(c.EVENT_HUMAN_INPUT_RECEIVED, received)
        return update

    async def _wait_for_answer(self, task_id: str, deadline: dict[str, Any] | None) -> bool:
        """True once answered or cancelled; False if the deadline passed first."""

        def settled() -> bool:
            return task_id in self._answers or task_id in self._cancelled_tasks

        timeout = timedelta(seconds=deadline["after_seconds"]) if deadline else None
        try:
            await workflow.wait_condition(settled, timeout=timeout)
        except TimeoutError:
            return False
        return True

    async def _on_deadline(
        self, task_id: str, open_task: _OpenTask, runtime: NodeRuntime, task: pregel.Task
    ) -> dict[str, Any]:
        action = human.on_deadline(runtime.config) or {"action": "fail", "reason": "deadline"}
        if action["action"] == "escalate":
            escalated = {
                "node": task.node,
                "task_id": task_id,
                "priority": action["priority"],
                "assigned_to": action["assigned_to"],
            }
            self._publish_carried(c.EVENT_ESCALATED, escalated)
            await self._record_task(
                task_id,
                open_task,
                "escalated",
                priority=action["priority"],
                assigned_to=action["assigned_to"],
                note="deadline passed",
            )
            self._publish_legacy(c.EVENT_ESCALATED, escalated)
            await self._wait_for_answer(task_id, None)
            if task_id in self._cancelled_tasks:
                await self._record_task(task_id, open_task, "cancelled", note="cancelled")
                raise ApplicationError(
                    "the human task was cancelled", type="TaskCancelled", non_retryable=True
                )
            answer = self._answers[task_id]
            update: dict[str, Any] = human.to_update(runtime.config, answer.input)
            received = {"node": task.node, "task_id": task_id}
            self._publish_carried(c.EVENT_HUMAN_INPUT_RECEIVED, received)
            await self._record_task(
                task_id,
                open_task,
                "completed",
                human_input=answer.input,
                completion_note=answer.completion_note,
                completed_by=answer.completed_by,
                node_output=update,
            )
            self._publish_legacy(c.EVENT_HUMAN_INPUT_RECEIVED, received)
            return update
        if action["action"] == "default_branch":
            update = action["update"]
            passed = {"node": task.node, "task_id": task_id, "policy": "default_branch"}
            self._publish_carried(c.EVENT_DEADLINE_PASSED, passed)
            await self._record_task(
                task_id,
                open_task,
                "expired",
                note="deadline passed: default answer",
                node_output=update,
            )
            self._publish_legacy(c.EVENT_DEADLINE_PASSED, passed)
            return update
        passed = {"node": task.node, "task_id": task_id, "policy": "fail"}
        self._publish_carried(c.EVENT_DEADLINE_PASSED, passed)
        await self._record_task(task_id, open_task, "expired", note=action["reason"])
        self._publish_legacy(c.EVENT_DEADLINE_PASSED, passed)
        raise ApplicationError(action["reason"], type="HumanDeadlineExceeded", non_retryable=True)

    async def _record_task(
        self, task_id: str, open_task: _OpenTask, status: str, **fields: Any
    ) -> None:
        await workflow.execute_activity(
            c.RECORD_HUMAN_TASK_ACTIVITY,
            c.HumanTaskRecord(
                tenant_id=self._params.tenant_id,
                execution_id=self._params.execution_id,
                task_id=task_id,
                node_task_id=open_task.node_task_id,
                status=status,
                **fields,
                events=self._take_events(),
                policy=_stage_public(open_task) if open_task.tally else None,
            ),
            start_to_close_timeout=RECORD_TIMEOUT,
            retry_policy=RECORD_RETRY,
            summary=f"human: {status} task",
        )

    async def _set_status(self, status: str) -> None:
        await workflow.execute_activity(
            c.SET_EXECUTION_STATUS_ACTIVITY,
            c.ExecutionStatusInput(
                self._params.tenant_id,
                self._params.execution_id,
                status,
                events=self._take_events(),
            ),
            start_to_close_timeout=RECORD_TIMEOUT,
            retry_policy=RECORD_RETRY,
            summary=f"records: {status}",
        )


def _person(data: c.HumanInput) -> approval.Person:
    return approval.Person(
        data.completed_by, data.completer_email, data.completer_role, tuple(data.completer_groups)
    )


def _delegator(data: c.HumanDelegation) -> approval.Person:
    return approval.Person(
        data.from_user_id, data.from_email, data.from_role, tuple(data.from_groups)
    )


def _stage_public(open_task: _OpenTask) -> dict[str, Any]:
    """The stage as its task row keeps it (the inbox reads it)."""
    assert open_task.tally is not None
    return {**open_task.tally.public(), "stages": open_task.stages}


def _budget_exhausted(cause: BaseException | None) -> bool:
    """Whether a node's activity was refused by a budget (the run waits, not fails)."""
    return isinstance(cause, ApplicationError) and cause.type == c.BUDGET_EXHAUSTED


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
