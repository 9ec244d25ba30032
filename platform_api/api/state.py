"""The per-process services the API shares across requests (built once at start-up)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field

from qdrant_client import AsyncQdrantClient
from temporalio.client import Client

from platform_api.auth.caller import Caller
from platform_api.auth.standing import standing_problems
from platform_api.auth.standing_monitor import StandingMonitor
from platform_api.errors import ServiceUnavailable
from platform_api.streaming.hub import RunEventHub
from platform_core.db import Database
from platform_core.settings import Settings
from temporal_workflows.client import connect_temporal


@dataclass
class AppServices:
    """Settings, the database, Qdrant (when configured) and a lazily connected Temporal client."""

    settings: Settings
    database: Database
    temporal_address: str
    qdrant: AsyncQdrantClient | None = None
    # Built in __post_init__: the process's one listener for run events.
    run_events: RunEventHub = field(init=False)
    # Built in __post_init__: one good-standing check per interval for all open streams.
    standing_monitor: StandingMonitor = field(init=False)
    _temporal: Client | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def __post_init__(self) -> None:
        self.run_events = RunEventHub(self.database)
        self.standing_monitor = StandingMonitor(
            self._standing_problems,
            every_seconds=self.settings.stream_standing_check_seconds,
            outage_seconds=self.settings.stream_standing_outage_seconds,
        )

    async def _standing_problems(self, callers: Sequence[Caller]) -> list[str | None]:
        # Reads ``self.database`` at each check, not once: tests swap the database in.
        return await standing_problems(database=self.database, callers=callers)

    async def temporal(self) -> Client:
        """The Temporal client, connected on first use (so the API starts before Temporal)."""
        if self._temporal is not None:
            return self._temporal
        async with self._lock:
            if self._temporal is None:
                try:
                    self._temporal = await connect_temporal(
                        self.temporal_address, self.settings.temporal_namespace
                    )
                except Exception as exc:  # connection errors come in many types
                    raise ServiceUnavailable(f"Temporal is unreachable: {exc}") from exc
        return self._temporal

    def set_temporal(self, client: Client) -> None:
        """Use an already connected client (tests, the dev process)."""
        self._temporal = client
