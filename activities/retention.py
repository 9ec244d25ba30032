"""The retention sweeps' activities: delete what is past its limit, a bounded batch at a time.

They run as the worker's app role, one tenant transaction per batch: row-level security
confines each statement to the tenant being swept, and no transaction holds more than
one batch of row locks or undo. Only the list of tenants crosses tenants, through the
owner's ``agentpaas_retention_tenants`` (migration 0013), which tells ids and statuses and
nothing else. Each call works until it is done or its time budget is spent, then says
``more``; since every statement deletes against the cutoff the workflow fixed, a retry
or a second sweep only finds nothing left.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import TextClause
from temporalio import activity

from activities import retention_sql as q
from activities.notification_events import start_dispatch
from activities.token_quota import release_stale_holds
from activities.vector_index import KnowledgeIndex
from platform_core.db import Database
from platform_core.models import metadata
from platform_core.settings import AUDIT_RETENTION_MAX_DAYS, AUDIT_RETENTION_MIN_DAYS, Settings
from temporal_workflows import retention_contracts as r

logger = logging.getLogger(__name__)
NIL_UUID = uuid.UUID(int=0)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Finished runs whose event logs one statement trims together.
RUNS_PER_PAGE = 200


# A notification's dispatch starts with the write that records it; one still waiting
# after this long was never started (or gave up waiting for its rows).
STRANDED_AFTER = timedelta(minutes=2)


@dataclass(frozen=True)
class RetentionPolicy:
    """The limits the sweeps apply (from settings), and each call's time budget."""

    batch_size: int = 1000
    audit_days: int = 180
    run_events_days: int = 7
    deleted_tenant_grace_days: int = 30
    closed_reservation_days: int = 30
    budget_seconds: float = 240.0  # within the workflow's 10-minute activity timeout

    @classmethod
    def from_settings(cls, settings: Settings) -> RetentionPolicy:
        """The policy the platform's settings ask for."""
        return cls(
            batch_size=settings.retention_batch_size,
            audit_days=settings.retention_audit_days,
            run_events_days=settings.retention_run_events_days,
            deleted_tenant_grace_days=settings.retention_deleted_tenant_grace_days,
            closed_reservation_days=settings.retention_closed_reservation_days,
        )

    def audit_days_for(self, setting: str | None) -> int:
        """A tenant's audit retention: its own setting when valid, else the platform's."""
        try:
            days = int(setting) if setting is not None else None
        except ValueError:
            days = None
        if days is None or not AUDIT_RETENTION_MIN_DAYS <= days <= AUDIT_RETENTION_MAX_DAYS:
            return self.audit_days
        return days


class _Tally:
    """Rows deleted so far in one call, and whether its budget is spent."""

    def __init__(self, budget_seconds: float) -> None:
        self.deleted = 0
        self._until = time.monotonic() + budget_seconds

    def out_of_time(self) -> bool:
        return time.monotonic() >= self._until


class RetentionActivities:
    """The sweeps, built once by the worker (``index``: where knowledge vectors live)."""

    def __init__(
        self, database: Database, policy: RetentionPolicy, index: KnowledgeIndex | None = None
    ) -> None:
        self._db = database
        self._policy = policy
        self._index = index

    @activity.defn(name=r.LIST_TENANTS_ACTIVITY)
    async def list_tenants(self, data: r.TenantPageInput) -> r.TenantPage:
        """A page of tenants in id order, each with the cutoff ``data.sweep`` applies to it."""
        now = datetime.fromisoformat(data.now)
        after = uuid.UUID(data.after_tenant_id) if data.after_tenant_id else None
        async with self._db.system_session() as session:
            rows = (
                await session.execute(q.TENANTS_PAGE, {"after": after, "limit": data.limit})
            ).all()
        page = r.TenantPage(
            last_tenant_id=str(rows[-1].id) if rows else data.after_tenant_id,
            complete=len(rows) < data.limit,
        )
        for row in rows:
            cutoff = self._cutoff(data.sweep, now, row)
            if cutoff is not None:
                page.tenants.append(
                    r.TenantWork(data.sweep, str(row.id), cutoff.isoformat(), data.now)
                )
        return page

    def _cutoff(self, sweep: str, now: datetime, tenant: Any) -> datetime | None:
        """Rows of ``tenant`` older than this go; None when the sweep skips the tenant."""
        policy = self._policy
        if sweep == r.DELETED_TENANTS:
            cutoff = now - timedelta(days=policy.deleted_tenant_grace_days)
            return cutoff if tenant.status == "deleted" and tenant.updated_at < cutoff else None
        if sweep == r.EXPIRED_CHATS:
            return now
        if sweep == r.RUN_EVENTS:
            return now - timedelta(days=policy.run_events_days)
        if sweep == r.AUDIT_LOGS:
            return now - timedelta(days=policy.audit_days_for(tenant.audit_retention_days))
        if sweep == r.TOKEN_RESERVATIONS:
            return now - timedelta(days=policy.closed_reservation_days)
        if sweep == r.STRANDED_NOTIFICATIONS:
            return now - STRANDED_AFTER
        raise ValueError(f"no such retention sweep: {sweep!r}")

    @activity.defn(name=r.SWEEP_ACTIVITIES[r.EXPIRED_CHATS])
    async def expired_chats(self, work: r.TenantWork) -> r.SweepResult:
        """Delete chats past ``expires_at`` (none with a run in flight) with their runs,
        node records, event logs and messages."""
        tally = _Tally(self._policy.budget_seconds)
        params = self._params(work)
        for _table, statement in q.EXPIRED_CHAT_STEPS:
            if not await self._drain(work, statement, params, tally):
                return r.SweepResult(tally.deleted, more=True)
        return r.SweepResult(tally.deleted)

    @activity.defn(name=r.SWEEP_ACTIVITIES[r.RUN_EVENTS])
    async def run_events(self, work: r.TenantWork) -> r.SweepResult:
        """Trim the event logs of runs finished before the cutoff to their `done` event."""
        tally = _Tally(self._policy.budget_seconds)
        params = self._params(work)
        after_at, after_id = EPOCH, NIL_UUID
        while True:
            async with self._db.tenant_session(work.tenant_id) as session:
                runs = (
                    await session.execute(
                        q.FINISHED_RUNS_PAGE,
                        {
                            **params,
                            "after_at": after_at,
                            "after_id": after_id,
                            "page": RUNS_PER_PAGE,
                        },
                    )
                ).all()
            if not runs:
                return r.SweepResult(tally.deleted)
            streams = {"streams": [run.workflow_id for run in runs]}
            if not await self._drain(work, q.RUN_EVENTS_BUT_DONE, {**params, **streams}, tally):
                return r.SweepResult(tally.deleted, more=True)
            after_at, after_id = runs[-1].completed_at, runs[-1].execution_id
            if len(runs) < RUNS_PER_PAGE:
                return r.SweepResult(tally.deleted)

    @activity.defn(name=r.SWEEP_ACTIVITIES[r.AUDIT_LOGS])
    async def audit_logs(self, work: r.TenantWork) -> r.SweepResult:
        """Delete audit rows older than the tenant's retention."""
        tally = _Tally(self._policy.budget_seconds)
        done = await self._drain(work, q.AUDIT_ROWS, self._params(work), tally)
        return r.SweepResult(tally.deleted, more=not done)

    @activity.defn(name=r.SWEEP_ACTIVITIES[r.TOKEN_RESERVATIONS])
    async def token_reservations(self, work: r.TenantWork) -> r.SweepResult:
        """Release holds too old to belong to a live call (their tokens go back to the
        quota), then delete closed reservations older than the cutoff."""
        tally = _Tally(self._policy.budget_seconds)
        now = datetime.fromisoformat(work.now)
        tenant = uuid.UUID(work.tenant_id)
        batch = self._policy.batch_size
        while True:
            async with self._db.tenant_session(tenant) as session:
                released = await release_stale_holds(session, tenant, now, limit=batch)
            tally.deleted += released
            activity.heartbeat(tally.deleted)
            if released < batch:
                break
            if tally.out_of_time():
                return r.SweepResult(tally.deleted, more=True)
        done = await self._drain(work, q.CLOSED_RESERVATIONS, self._params(work), tally)
        return r.SweepResult(tally.deleted, more=not done)

    @activity.defn(name=r.SWEEP_ACTIVITIES[r.STRANDED_NOTIFICATIONS])
    async def stranded_notifications(self, work: r.TenantWork) -> r.SweepResult:
        """Start the dispatch of events whose e-mails or webhook deliveries still wait
        (a dispatch already running is left alone: same workflow id); counts them."""
        tally = _Tally(self._policy.budget_seconds)
        after = NIL_UUID
        while True:
            async with self._db.tenant_session(work.tenant_id) as session:
                events = list(
                    (
                        await session.execute(
                            q.STRANDED_EVENTS,
                            {**self._params(work), "after": after},
                        )
                    ).scalars()
                )
            for event_id in events:
                await start_dispatch(activity.client(), work.tenant_id, str(event_id))
                tally.deleted += 1
            activity.heartbeat(tally.deleted)
            if len(events) < self._policy.batch_size:
                return r.SweepResult(tally.deleted)
            after = events[-1]
            if tally.out_of_time():
                return r.SweepResult(tally.deleted, more=True)

    @activity.defn(name=r.SWEEP_ACTIVITIES[r.DELETED_TENANTS])
    async def deleted_tenants(self, work: r.TenantWork) -> r.SweepResult:
        """Purge a tenant deleted before the cutoff: its rows table by table (children
        first), then the tenant itself. A tenant restored meanwhile is left alone."""
        tally = _Tally(self._policy.budget_seconds)
        params = self._params(work)
        if not await self._still_purgeable(work, params):
            return r.SweepResult(0)
        await self._purge_vectors(work)
        statements = [q.TENANT_RUN_EVENTS] + [
            q.tenant_rows(table) for table in await self._tenant_tables()
        ]
        for statement in statements:
            if not await self._drain(work, statement, params, tally):
                return r.SweepResult(tally.deleted, more=True)
        async with self._db.tenant_session(work.tenant_id) as session:
            gone = _rowcount(await session.execute(q.TENANT_ROW, params))
        tally.deleted += gone
        return r.SweepResult(tally.deleted)

    async def _still_purgeable(self, work: r.TenantWork, params: dict[str, Any]) -> bool:
        async with self._db.tenant_session(work.tenant_id) as session:
            return bool((await session.execute(q.PURGEABLE, params)).scalar_one())

    async def _purge_vectors(self, work: r.TenantWork) -> None:
        """Drop the vectors of the tenant's knowledge bases (before their rows, which say
        where the vectors are; a retry finds fewer bases)."""
        async with self._db.tenant_session(work.tenant_id) as session:
            bases = (await session.execute(q.KNOWLEDGE_BASES, {"tenant": work.tenant_id})).all()
        if bases and self._index is None:
            logger.warning("tenant %s: no vector store here; its vectors stay", work.tenant_id)
            return
        for base in bases:
            assert self._index is not None
            await self._index.delete_knowledge_base(
                tenant_id=work.tenant_id,
                model=base.embedding_model,
                dimension=base.embedding_dimension,
                knowledge_base_id=str(base.id),
            )
            activity.heartbeat()

    async def _tenant_tables(self) -> list[str]:
        """Tenant-owned tables, referencing ones before those they reference, that exist
        in the database (the models may be ahead of it); run_events is purged by stream."""
        ordered = [
            table.name
            for table in reversed(metadata.sorted_tables)
            if "tenant_id" in table.c and table.name not in ("tenants", "run_events")
        ]
        async with self._db.system_session() as session:
            existing = set((await session.execute(q.EXISTING_TABLES, {"names": ordered})).scalars())
        return [name for name in ordered if name in existing]

    def _params(self, work: r.TenantWork) -> dict[str, Any]:
        return {
            "tenant": uuid.UUID(work.tenant_id),
            "cutoff": datetime.fromisoformat(work.cutoff),
            "batch": self._policy.batch_size,
        }

    async def _drain(
        self, work: r.TenantWork, statement: TextClause, params: dict[str, Any], tally: _Tally
    ) -> bool:
        """Run ``statement`` (one batch each, each in its own transaction) until a batch
        comes back short; False when the budget ran out first."""
        while True:
            async with self._db.tenant_session(work.tenant_id) as session:
                deleted = _deleted(statement, await session.execute(statement, params))
            tally.deleted += deleted
            activity.heartbeat(tally.deleted)
            if deleted < self._policy.batch_size:
                return True
            if tally.out_of_time():
                return False


def _deleted(statement: TextClause, result: Any) -> int:
    """Rows a batch deleted: the audit function answers its count, a DELETE its row count."""
    return int(result.scalar_one()) if statement is q.AUDIT_ROWS else _rowcount(result)


def _rowcount(result: Any) -> int:
    """Rows a DML statement touched (a CursorResult's, which the session's type hides)."""
    return int(getattr(result, "rowcount", 0) or 0)
