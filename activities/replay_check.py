"""The replay check's records: each conversation's verdict as it comes, then the summary.

Each step appends to the check's report and publishes the progress on the check's own
event stream (``replay-<check_id>``, the same log runs stream from), keyed so a retried
activity adds nothing twice.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlmodel import col
from temporalio import activity

from node_types.replay import compare, path_of
from platform_core.db import Database
from platform_core.models import ReplayCheck, WorkflowExecution, WorkflowNodeExecution
from platform_core.run_event_log import PendingEvent, append_events
from temporal_workflows import contracts as c


class ReplayCheckActivities:
    """Built once by the worker with the platform's database."""

    def __init__(self, database: Database) -> None:
        self._db = database

    @activity.defn(name=c.RECORD_REPLAYED_CONVERSATION_ACTIVITY)
    async def record_conversation(self, data: c.ReplayedConversationInput) -> None:
        """Compare the candidate's run of one conversation with its recording; report it."""
        execution_id = uuid.UUID(data.execution_id)
        async with self._db.tenant_session(data.tenant_id) as session:
            run = await session.get(WorkflowExecution, execution_id)
            steps = (
                await session.execute(
                    select(
                        col(WorkflowNodeExecution.step), col(WorkflowNodeExecution.node_name)
                    ).where(col(WorkflowNodeExecution.execution_id) == execution_id)
                )
            ).all()
            answer = ((run.final_result or {}).get("answer") if run else None) or None
            entry: dict[str, Any] = {
                "index": data.index,
                "recorded_execution_id": data.recorded_execution_id,
                "execution_id": data.execution_id,
                "status": run.status if run else "missing",
                "error": (run.error_info or {}).get("message") if run and run.error_info else None,
                **compare(
                    data.recorded_path,
                    data.recorded_answer,
                    path_of((s.step, s.node_name) for s in steps),
                    answer,
                ),
            }
            check = await session.get(ReplayCheck, uuid.UUID(data.check_id), with_for_update=True)
            if check is None:
                return  # deleted with its agent meanwhile: nothing to report to
            report = [e for e in check.report if e.get("index") != data.index]
            check.report = sorted([*report, entry], key=lambda e: int(e["index"]))
            session.add(check)
            progress = {
                "event": c.EVENT_REPLAY_PROGRESS,
                "done": len(check.report),
                "total": data.total,
                "conversation": entry,
            }
            await append_events(
                session,
                stream_id=c.replay_check_workflow_id(data.check_id),
                tenant_id=data.tenant_id,
                events=[PendingEvent(progress, key=f"conversation:{data.index}")],
            )

    @activity.defn(name=c.FINISH_REPLAY_CHECK_ACTIVITY)
    async def finish(self, data: c.FinishReplayCheckInput) -> None:
        """Count the verdicts, close the check and end its stream."""
        async with self._db.tenant_session(data.tenant_id) as session:
            check = await session.get(ReplayCheck, uuid.UUID(data.check_id))
            if check is None:
                return
            summary = dict(Counter(str(e["verdict"]) for e in check.report))
            summary["conversations"] = len(check.report)
            status = "failed" if data.failed else "completed"
            await session.execute(
                update(ReplayCheck)
                .where(col(ReplayCheck.id) == check.id)
                .values(status=status, summary=summary, finished_at=datetime.now(UTC))
            )
            done = {"event": c.EVENT_DONE, "status": status, "summary": summary}
            await append_events(
                session,
                stream_id=c.replay_check_workflow_id(data.check_id),
                tenant_id=data.tenant_id,
                events=[PendingEvent(done, key="done")],
            )
