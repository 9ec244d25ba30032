"""The retention sweeps' Temporal Schedules: created, or brought up to date, at worker start.

One schedule per sweep (``agentpaas-retention-<sweep>``), visible and pausable in the
Temporal UI. A sweep still running when its next turn comes is skipped (it would find
what the running one is deleting), and missed turns are not caught up one by one after
downtime: the next turn does all that is due anyway.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta

from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleIntervalSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleSpec,
    ScheduleState,
    ScheduleUpdate,
    ScheduleUpdateInput,
)

from temporal_workflows import retention_contracts as r

# A sweep that has not finished in this long is stuck; the next turn starts afresh.
SWEEP_EXECUTION_TIMEOUT = timedelta(hours=12)


def retention_schedule(sweep: str, every: timedelta, task_queue: str) -> Schedule:
    """The schedule that starts ``sweep`` every ``every`` on ``task_queue``."""
    return Schedule(
        action=ScheduleActionStartWorkflow(
            r.RETENTION_WORKFLOW,
            r.RetentionInput(sweep=sweep),
            id=f"retention-{sweep.replace('_', '-')}",
            task_queue=task_queue,
            execution_timeout=SWEEP_EXECUTION_TIMEOUT,
            static_summary=f"retention sweep: {sweep}",
        ),
        spec=ScheduleSpec(intervals=[ScheduleIntervalSpec(every=every)]),
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP, catchup_window=every),
        state=ScheduleState(note=f"AgentPaaS retention: {sweep}"),
    )


async def ensure_retention_schedules(
    client: Client, *, task_queue: str, intervals: Mapping[str, timedelta]
) -> list[str]:
    """Create each sweep's schedule, or update it to ``intervals`` (idempotent).

    An update keeps the schedule's state, so a sweep an operator paused stays paused
    across worker restarts. Returns the schedule ids.
    """
    ids = []
    for sweep, every in intervals.items():
        if sweep not in r.SWEEP_ACTIVITIES:
            raise ValueError(f"no such retention sweep: {sweep!r}")
        wanted = retention_schedule(sweep, every, task_queue)
        schedule_id = r.schedule_id(sweep)
        try:
            await client.create_schedule(schedule_id, wanted)
        except ScheduleAlreadyRunningError:
            await client.get_schedule_handle(schedule_id).update(_keeping_state(wanted))
        ids.append(schedule_id)
    return ids


def _keeping_state(wanted: Schedule) -> Callable[[ScheduleUpdateInput], ScheduleUpdate]:
    def updater(current: ScheduleUpdateInput) -> ScheduleUpdate:
        wanted.state = current.description.schedule.state
        return ScheduleUpdate(schedule=wanted)

    return updater
