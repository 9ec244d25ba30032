"""Where a run's time goes, read from its Temporal history (server-side event timestamps)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from temporalio.api.enums.v1 import EventType
from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import WorkflowHistory


@dataclass(frozen=True)
class HistoryTiming:
    """Milliseconds: the whole run, and the median of each step of a node's round trip."""

    total_ms: float
    workflow_tasks: int
    wft_schedule_to_start_ms: float  # waiting in the task queue (the sticky one, once cached)
    wft_start_to_complete_ms: float  # the worker running the workflow code, and replying
    activity_schedule_to_start_ms: float  # 0 when the activity ran eagerly
    activity_start_to_complete_ms: float


def _ms(event: HistoryEvent) -> float:
    return float(event.event_time.ToDatetime().timestamp() * 1000)


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def history_timing(history: WorkflowHistory) -> HistoryTiming:
    """Split a run into workflow-task and activity phases from its event timestamps."""
    events = history.events
    durations: dict[str, list[float]] = {
        "wft_wait": [],
        "wft_run": [],
        "act_wait": [],
        "act_run": [],
    }
    opened: dict[str, float] = {}
    phases = {
        EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED: ("wft_sched", "wft_wait", "wft_start"),
        EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED: ("wft_start", "wft_run", None),
        EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED: ("act_sched", "act_wait", "act_start"),
        EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED: ("act_start", "act_run", None),
    }
    for event in events:
        kind = event.event_type
        if kind == EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
            opened["wft_sched"] = _ms(event)
        elif kind == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
            opened["act_sched"] = _ms(event)
        elif kind in phases:
            since, bucket, opens = phases[kind]
            if since in opened:
                durations[bucket].append(_ms(event) - opened[since])
            if opens:
                opened[opens] = _ms(event)
    return HistoryTiming(
        total_ms=_ms(events[-1]) - _ms(events[0]),
        workflow_tasks=len(durations["wft_run"]),
        wft_schedule_to_start_ms=_median(durations["wft_wait"]),
        wft_start_to_complete_ms=_median(durations["wft_run"]),
        activity_schedule_to_start_ms=_median(durations["act_wait"]),
        activity_start_to_complete_ms=_median(durations["act_run"]),
    )
