"""The replay check: a candidate version run on recorded conversations, one after another.

Each conversation is a child run of the ordinary agent workflow, given the recorded
outputs of its calls (``RunInput.replay_outputs``): a call that is the same as a recorded
one replays it; one that differs is made live or refused, by the check's option. After
each, an activity compares the run with its recording, adds the verdict to the report
and publishes the progress; the check's stream ends when the report is complete.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ChildWorkflowError

with workflow.unsafe.imports_passed_through():
    from temporal_workflows import contracts as c

RECORD_TIMEOUT = timedelta(seconds=30)
RECORD_RETRY = RetryPolicy(maximum_interval=timedelta(seconds=30))


@workflow.defn(name=c.REPLAY_CHECK_WORKFLOW)
class ReplayCheckWorkflow:
    """``replay-<check_id>``: runs the conversations, then closes the report."""

    @workflow.run
    async def run(self, params: c.ReplayCheckInput) -> None:
        """Run the candidate on each conversation in turn and report as it goes."""
        total = len(params.conversations)
        for index, conversation in enumerate(params.conversations):
            try:
                await workflow.execute_child_workflow(
                    c.RUN_WORKFLOW,
                    c.RunInput(
                        execution_id=conversation.execution_id,
                        tenant_id=params.tenant_id,
                        agent_id=params.agent_id,
                        agent_version_id=params.agent_version_id,
                        plan=params.plan,
                        inputs=conversation.inputs,
                        model_params_override=params.model_params_override,
                        default_model=params.default_model,
                        agent_name=params.agent_name,
                        use_search_attributes=False,
                        service_bindings=params.service_bindings,
                        infrastructure_patience_seconds=params.infrastructure_patience_seconds,
                        replay_outputs=conversation.replay_outputs,
                        replay_unmatched=params.unmatched,
                    ),
                    id=c.run_workflow_id(conversation.execution_id),
                    result_type=c.RunResult,
                )
            except ChildWorkflowError:
                # A failed run is a finding, not the check's failure: its records say where
                # it stopped, and the report says so.
                workflow.logger.info("conversation %d of %d ended in failure", index + 1, total)
            await workflow.execute_activity(
                c.RECORD_REPLAYED_CONVERSATION_ACTIVITY,
                c.ReplayedConversationInput(
                    check_id=params.check_id,
                    tenant_id=params.tenant_id,
                    index=index,
                    total=total,
                    execution_id=conversation.execution_id,
                    recorded_execution_id=conversation.recorded_execution_id,
                    recorded_path=conversation.recorded_path,
                    recorded_answer=conversation.recorded_answer,
                ),
                start_to_close_timeout=RECORD_TIMEOUT,
                retry_policy=RECORD_RETRY,
                summary=f"replay check: conversation {index + 1} of {total}",
            )
        await workflow.execute_activity(
            c.FINISH_REPLAY_CHECK_ACTIVITY,
            c.FinishReplayCheckInput(check_id=params.check_id, tenant_id=params.tenant_id),
            start_to_close_timeout=RECORD_TIMEOUT,
            retry_policy=RECORD_RETRY,
            summary="replay check: report",
        )
