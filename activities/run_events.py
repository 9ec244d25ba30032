"""Publishing events to the run's stream from inside an activity (batched signals)."""

from __future__ import annotations

from datetime import timedelta
from types import TracebackType
from typing import Any

from temporalio.contrib.workflow_streams import WorkflowStreamClient

from temporal_workflows.contracts import EVENTS_TOPIC

# Short enough that tokens feel live, long enough that history grows per batch, not per token.
BATCH_INTERVAL = timedelta(milliseconds=150)


class RunEvents:
    """An async context that publishes to the calling workflow's event topic."""

    def __init__(self) -> None:
        self._client = WorkflowStreamClient.from_within_activity(batch_interval=BATCH_INTERVAL)
        self._topic = self._client.topic(EVENTS_TOPIC)

    async def __aenter__(self) -> RunEvents:
        await self._client.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._client.__aexit__(exc_type, exc, tb)

    def publish(self, event: str, *, flush_now: bool = False, **data: Any) -> None:
        """Queue one event; it goes with the next batch, or at once with ``flush_now``."""
        self._topic.publish({"event": event, **data}, force_flush=flush_now)
