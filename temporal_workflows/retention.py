"""Retention sweeps: one workflow type, one schedule per sweep (see ``retention_schedules``).

A run lists a page of tenants with the cutoff the sweep applies to each, then calls the
sweep's activity per tenant; an activity deletes in bounded batches and returns
``more`` when its time budget ran out, so the workflow calls it again. After a page
(or when the history grows long) the workflow continues as new from the last tenant,
carrying ``now``: every tenant of one sweep is cut at the same instant, however many
runs the chain takes. Every activity is idempotent (it deletes what is past a fixed
cutoff), so retries and a second sweep only find nothing left to do.
"""

from __future__ import annotations

from datetime import timedelta
from typing import NoReturn

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from temporal_workflows import retention_contracts as r

# Past this many activity calls a run continues as new (its history stays small).
MAX_CALLS_PER_RUN = 400
LIST_TIMEOUT = timedelta(minutes=1)
SWEEP_TIMEOUT = timedelta(minutes=10)
SWEEP_HEARTBEAT = timedelta(minutes=1)
# Ride out a database restart (about a quarter of an hour of backoff); past that the
# sweep fails where the Temporal UI shows it, and its schedule's next turn starts afresh.
SWEEP_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    maximum_interval=timedelta(minutes=1),
    maximum_attempts=20,
)


@workflow.defn(name=r.RETENTION_WORKFLOW)
class RetentionSweepWorkflow:
    """Sweeps one kind of expired data across every tenant."""

    @workflow.run
    async def run(self, data: r.RetentionInput) -> r.RetentionReport:
        """List tenants page by page and run the sweep's activity for each until done."""
        activity = r.SWEEP_ACTIVITIES.get(data.sweep)
        if activity is None:
            raise ApplicationError(f"no such retention sweep: {data.sweep!r}", non_retryable=True)
        now = data.now or workflow.now().isoformat()
        deleted, tenants, calls = data.deleted, data.tenants, 0
        page: r.TenantPage = await workflow.execute_activity(
            r.LIST_TENANTS_ACTIVITY,
            r.TenantPageInput(data.sweep, now, data.after_tenant_id, data.tenants_per_page),
            result_type=r.TenantPage,
            start_to_close_timeout=LIST_TIMEOUT,
            retry_policy=SWEEP_RETRY,
            summary=f"list tenants for {data.sweep}",
        )
        done_until = data.after_tenant_id
        for work in page.tenants:
            while True:
                if calls >= MAX_CALLS_PER_RUN:
                    # Resume at this tenant (what it already did, it finds done).
                    self._continue(data, now, done_until, deleted, tenants)
                result: r.SweepResult = await workflow.execute_activity(
                    activity,
                    work,
                    result_type=r.SweepResult,
                    start_to_close_timeout=SWEEP_TIMEOUT,
                    heartbeat_timeout=SWEEP_HEARTBEAT,
                    retry_policy=SWEEP_RETRY,
                    summary=f"{data.sweep} of tenant {work.tenant_id}",
                )
                calls += 1
                deleted += result.deleted
                if not result.more:
                    break
            tenants += 1
            done_until = work.tenant_id
        if not page.complete:
            self._continue(data, now, page.last_tenant_id, deleted, tenants)
        return r.RetentionReport(sweep=data.sweep, now=now, tenants=tenants, deleted=deleted)

    @staticmethod
    def _continue(
        data: r.RetentionInput, now: str, after: str | None, deleted: int, tenants: int
    ) -> NoReturn:
        workflow.continue_as_new(
            r.RetentionInput(
                sweep=data.sweep,
                now=now,
                after_tenant_id=after,
                deleted=deleted,
                tenants=tenants,
                tenants_per_page=data.tenants_per_page,
            )
        )
