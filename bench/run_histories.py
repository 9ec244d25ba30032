"""What Temporal records per run, and where a run waits, from histories (bench/profile_run.py).

Per run: events by type, workflow tasks, activities by name, local activities (markers),
signals and updates. The waits: the runs' event sequences are grouped by shape (the
tuple of event types); for the most common shape, the median time of each step from the
previous event, with anchors outside Temporal (the client sending the request, the API
building the execution row, the client reading ``done``) placed on the same clock.
"""

from __future__ import annotations

import statistics
from collections import Counter
from typing import Any

from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHistory


def _name(event_type: int) -> str:
    return EventType.Name(event_type).removeprefix("EVENT_TYPE_")


def history_counts(history: WorkflowHistory) -> dict[str, Any]:
    """Events by type, and the activities (by name) and local activities of one run."""
    types = Counter(_name(e.event_type) for e in history.events)
    activities = Counter(
        e.activity_task_scheduled_event_attributes.activity_type.name
        for e in history.events
        if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
    )
    return {
        "events": len(history.events),
        "by_type": dict(types),
        "workflow_tasks": types.get("WORKFLOW_TASK_COMPLETED", 0),
        "activities": dict(activities),
        "local_activities": types.get("MARKER_RECORDED", 0),
    }


def example(history: WorkflowHistory) -> list[str]:
    """One run's events, with marker names and the search attributes each upsert sets."""
    lines = []
    for e in history.events:
        name = _name(e.event_type)
        if e.event_type == EventType.EVENT_TYPE_MARKER_RECORDED:
            attrs = e.marker_recorded_event_attributes
            name += f" {attrs.marker_name}"
            if "patch_id" in attrs.details:
                name += f" ({attrs.details['patch_id'].payloads[0].data.decode(errors='replace')})"
        elif e.event_type == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
            fields = e.upsert_workflow_search_attributes_event_attributes.search_attributes
            name += f" {sorted(fields.indexed_fields)}"
        elif e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
            name += f" {e.activity_task_scheduled_event_attributes.activity_type.name}"
        lines.append(name)
    return lines


def timeline(history: WorkflowHistory, anchors: dict[str, float]) -> list[tuple[str, float]]:
    """The run's events and ``anchors`` (name → epoch seconds), ordered, in epoch seconds."""
    points = [(_name(e.event_type), e.event_time.ToDatetime().timestamp()) for e in history.events]
    points += [(f"[{name}]", at) for name, at in anchors.items()]
    return sorted(points, key=lambda p: p[1])


def summarize(histories: list[WorkflowHistory], anchors: list[dict[str, float]]) -> dict[str, Any]:
    """Mean counts per run, and the median step times of the most common shape (ms)."""
    counts = [history_counts(h) for h in histories]
    if not counts:
        return {"runs": 0}
    keys = sorted({k for c in counts for k in c["by_type"]})
    names = sorted({k for c in counts for k in c["activities"]})
    lines = [timeline(h, a) for h, a in zip(histories, anchors, strict=True)]
    shapes = Counter(tuple(name for name, _ in line) for line in lines)
    shape, seen = shapes.most_common(1)[0]
    same = [line for line in lines if tuple(n for n, _ in line) == shape]
    steps = [
        {
            "to": shape[i],
            "step_ms": statistics.median((line[i][1] - line[i - 1][1]) * 1000 for line in same),
            "at_ms": statistics.median((line[i][1] - line[0][1]) * 1000 for line in same),
        }
        for i in range(1, len(shape))
    ]
    return {
        "runs": len(counts),
        "events_per_run": statistics.mean(c["events"] for c in counts),
        "workflow_tasks_per_run": statistics.mean(c["workflow_tasks"] for c in counts),
        "local_activities_per_run": statistics.mean(c["local_activities"] for c in counts),
        "events_by_type": {
            k: statistics.mean(c["by_type"].get(k, 0) for c in counts) for k in keys
        },
        "activities_per_run": {
            k: statistics.mean(c["activities"].get(k, 0) for c in counts) for k in names
        },
        "shape": {"first": shape[0], "runs_of_this_shape": seen, "steps": steps},
        "example": example(histories[0]),
    }


def print_summary(title: str, summary: dict[str, Any]) -> None:
    """The counts and the step table."""
    if not summary.get("runs"):
        print(f"{title}: no histories")
        return
    print(
        f"{title}: {summary['runs']} runs, {summary['events_per_run']:.1f} history events, "
        f"{summary['workflow_tasks_per_run']:.1f} workflow tasks, "
        f"{summary['local_activities_per_run']:.1f} local activities per run"
    )
    print(
        "  activities per run: "
        + ", ".join(f"{k} {v:.1f}" for k, v in summary["activities_per_run"].items())
    )
    print(
        "  events per run: "
        + ", ".join(f"{k} {v:.1f}" for k, v in summary["events_by_type"].items())
    )
    print("  one run's events: " + "; ".join(summary["example"]))
    shape = summary["shape"]
    print(
        f"  median timeline ({shape['runs_of_this_shape']} runs of the commonest shape), "
        f"from {shape['first']}:"
    )
    for step in shape["steps"]:
        print(f"    {step['to']:<40} +{step['step_ms']:8.1f} ms   at {step['at_ms']:8.1f} ms")
