"""Each sweep deletes exactly what is past its limit, per tenant, in batches, once."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from pydantic import ValidationError
from qdrant_client import AsyncQdrantClient
from sqlalchemy import text
from temporalio.testing import ActivityEnvironment

from activities.chunking import Chunk
from activities.vector_index import KnowledgeIndex
from platform_api.tenancy.schemas import TenantUpdate
from platform_core.db import Database
from platform_core.models import TokenReservation
from platform_core.run_event_log import read_events
from platform_core.settings import Settings
from temporal_workflows import retention_contracts as r
from tests.retention.conftest import (
    NOW,
    TenantRefs,
    add_audit_rows,
    add_chat,
    add_run,
    count,
    new_tenant,
    sweep_tenant,
    sweeper,
    tenant_work,
)

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


async def _audit_actions(owner_db: Database, tenant: TenantRefs) -> set[str]:
    async with owner_db.system_session() as session:
        rows = await session.execute(
            text("SELECT DISTINCT action FROM audit_logs WHERE tenant_id = :t"),
            {"t": tenant.tenant_id},
        )
        return set(rows.scalars())


async def test_audit_rows_go_after_each_tenants_own_retention(
    owner_db: Database, app_db: Database, settings: Settings
) -> None:
    short = await new_tenant(owner_db, settings, tenant_settings={"audit_retention_days": 30})
    default = await new_tenant(owner_db, settings)
    for tenant, limit in ((short, 30), (default, 90)):
        await add_audit_rows(owner_db, tenant, (limit - 1) * DAY, 2, "kept")
        await add_audit_rows(owner_db, tenant, limit * DAY - HOUR, 1, "kept-at-edge")
        await add_audit_rows(owner_db, tenant, limit * DAY + HOUR, 7, "gone")
    activities = sweeper(app_db, batch_size=3, audit_days=90)

    assert await sweep_tenant(activities, r.AUDIT_LOGS, short) == 7
    assert await sweep_tenant(activities, r.AUDIT_LOGS, default) == 7
    assert await _audit_actions(owner_db, short) == {"kept", "kept-at-edge"}
    assert await _audit_actions(owner_db, default) == {"kept", "kept-at-edge"}
    # Idempotent: a second sweep finds nothing.
    assert await sweep_tenant(activities, r.AUDIT_LOGS, short) == 0
    assert await sweep_tenant(activities, r.AUDIT_LOGS, default) == 0


async def test_a_sweep_deletes_one_bounded_batch_per_statement(
    owner_db: Database, app_db: Database, settings: Settings
) -> None:
    tenant = await new_tenant(owner_db, settings)
    await add_audit_rows(owner_db, tenant, 400 * DAY, 10, "gone")
    # No time budget: each call runs one statement, which deletes at most one batch.
    activities = sweeper(app_db, batch_size=4, audit_days=180, budget_seconds=0)
    work = await tenant_work(activities, r.AUDIT_LOGS, tenant)
    assert work is not None
    env = ActivityEnvironment()
    results = [await env.run(activities.audit_logs, work) for _ in range(3)]
    assert [(x.deleted, x.more) for x in results] == [(4, True), (4, True), (2, False)]
    left = "SELECT count(*) FROM audit_logs WHERE tenant_id = :t"
    assert await count(owner_db, left, t=tenant.tenant_id) == 0


async def test_an_invalid_or_missing_setting_falls_back_to_the_platform_default(
    owner_db: Database, app_db: Database, settings: Settings
) -> None:
    odd = await new_tenant(owner_db, settings, tenant_settings={"audit_retention_days": "soon"})
    activities = sweeper(app_db, audit_days=120)
    work = await tenant_work(activities, r.AUDIT_LOGS, odd)
    assert work is not None and work.cutoff == (NOW - 120 * DAY).isoformat()


def test_the_tenant_api_accepts_only_a_retention_in_range() -> None:
    for bad in (6, 3651, "90", 90.5, True):
        with pytest.raises(ValidationError, match="audit_retention_days"):
            TenantUpdate.model_validate({"settings": {"audit_retention_days": bad}})
    ok = TenantUpdate.model_validate({"settings": {"audit_retention_days": 7, "other": "x"}})
    assert ok.settings == {"audit_retention_days": 7, "other": "x"}


async def _chat_rows(owner_db: Database, chat_id: uuid.UUID) -> tuple[int, int, int, int, int]:
    """(chat, messages, runs, node records, events) of one chat."""
    runs = "SELECT execution_id FROM workflow_executions WHERE chat_id = :c"
    streams = "SELECT workflow_id FROM workflow_executions WHERE chat_id = :c"
    return (
        await count(owner_db, "SELECT count(*) FROM chats WHERE id = :c", c=chat_id),
        await count(owner_db, "SELECT count(*) FROM chat_messages WHERE chat_id = :c", c=chat_id),
        await count(owner_db, f"SELECT count(*) FROM ({runs}) r", c=chat_id),
        await count(
            owner_db,
            f"SELECT count(*) FROM workflow_node_executions WHERE execution_id IN ({runs})",
            c=chat_id,
        ),
        await count(
            owner_db, f"SELECT count(*) FROM run_events WHERE stream_id IN ({streams})", c=chat_id
        ),
    )


async def test_expired_chats_go_with_their_runs_messages_and_events(
    owner_db: Database, app_db: Database, settings: Settings
) -> None:
    tenant = await new_tenant(owner_db, settings)
    other = await new_tenant(owner_db, settings)
    expired, expired_run = await add_chat(
        owner_db, tenant, expires_at=NOW - HOUR, messages=7, completed_at=NOW - 2 * HOUR
    )
    future, _ = await add_chat(owner_db, tenant, expires_at=NOW + HOUR)
    forever, _ = await add_chat(owner_db, tenant, expires_at=None)
    busy, _ = await add_chat(owner_db, tenant, expires_at=NOW - HOUR, run_status="running")
    others, _ = await add_chat(owner_db, other, expires_at=NOW - HOUR)
    assert await _chat_rows(owner_db, expired) == (1, 7, 1, 1, 4)
    activities = sweeper(app_db, batch_size=3)

    # 4 events + 1 stream + 1 node record + 1 run + 7 messages + 1 chat.
    assert await sweep_tenant(activities, r.EXPIRED_CHATS, tenant) == 15
    assert await _chat_rows(owner_db, expired) == (0, 0, 0, 0, 0)
    stream = "SELECT count(*) FROM run_event_streams WHERE stream_id = :s"
    assert await count(owner_db, stream, s=f"exec-{expired_run}") == 0
    for kept in (future, forever, busy):  # not expired, never expires, a run in flight
        assert (await _chat_rows(owner_db, kept))[:3] == (1, 2, 1)
    assert (await _chat_rows(owner_db, others))[:3] == (1, 2, 1)  # another tenant's
    assert await sweep_tenant(activities, r.EXPIRED_CHATS, tenant) == 0


async def test_finished_runs_event_logs_shrink_to_their_done_event(
    owner_db: Database, app_db: Database, settings: Settings
) -> None:
    tenant = await new_tenant(owner_db, settings)
    other = await new_tenant(owner_db, settings)
    async with owner_db.system_session() as session:
        old = await add_run(session, tenant, completed_at=NOW - 8 * DAY, events=5)
        old_failed = await add_run(session, tenant, status="failed", completed_at=NOW - 9 * DAY)
        recent = await add_run(session, tenant, completed_at=NOW - 6 * DAY, events=5)
        running = await add_run(session, tenant, status="running", events=5)
        elsewhere = await add_run(session, other, completed_at=NOW - 8 * DAY, events=5)
    activities = sweeper(app_db, batch_size=2, run_events_days=7)

    assert await sweep_tenant(activities, r.RUN_EVENTS, tenant) == 5 + 3
    async with app_db.tenant_session(tenant.tenant_id) as session:
        trimmed = await read_events(session, stream_id=f"exec-{old}", from_seq=0)
        failed = await read_events(session, stream_id=f"exec-{old_failed}", from_seq=0)
        kept = await read_events(session, stream_id=f"exec-{recent}", from_seq=0)
        live = await read_events(session, stream_id=f"exec-{running}", from_seq=0)
    # The `done` event keeps its offset: a reader resuming anywhere still gets the end.
    assert trimmed == [(5, {"event": "done", "status": "completed"})]
    assert failed == [(3, {"event": "done", "status": "failed"})]
    assert len(kept) == 6 and len(live) == 5
    assert (
        await count(
            owner_db, "SELECT count(*) FROM run_events WHERE stream_id = :s", s=f"exec-{elsewhere}"
        )
        == 6
    )
    assert await sweep_tenant(activities, r.RUN_EVENTS, tenant) == 0


async def _reservation(
    owner_db: Database, tenant: TenantRefs, *, status: str, age: timedelta, tokens: int
) -> uuid.UUID:
    row = TokenReservation(
        tenant_id=tenant.tenant_id,
        execution_id=uuid.uuid4(),
        task_id="llm:1",
        reserved_tokens=tokens,
        status=status,
        created_at=NOW - age,
    )
    async with owner_db.system_session() as session:
        session.add(row)
    return row.id


async def test_stale_holds_are_released_and_old_closed_reservations_deleted(
    owner_db: Database, app_db: Database, settings: Settings
) -> None:
    tenant = await new_tenant(owner_db, settings)
    other = await new_tenant(owner_db, settings)
    stale = await _reservation(owner_db, tenant, status="reserved", age=7 * HOUR, tokens=100)
    live = await _reservation(owner_db, tenant, status="reserved", age=HOUR, tokens=40)
    old_closed = await _reservation(owner_db, tenant, status="settled", age=31 * DAY, tokens=5)
    recent_closed = await _reservation(owner_db, tenant, status="released", age=29 * DAY, tokens=5)
    other_stale = await _reservation(owner_db, other, status="reserved", age=7 * HOUR, tokens=9)
    for who, held in ((tenant, 140), (other, 9)):
        async with owner_db.system_session() as session:
            await session.execute(
                text("UPDATE tenant_quotas SET reserved_tokens = :h WHERE tenant_id = :t"),
                {"h": held, "t": who.tenant_id},
            )
    activities = sweeper(app_db, batch_size=1, closed_reservation_days=30)

    # One hold released, one old closed reservation deleted.
    assert await sweep_tenant(activities, r.TOKEN_RESERVATIONS, tenant) == 2

    async def status(reservation: uuid.UUID) -> str | None:
        async with owner_db.system_session() as session:
            row = await session.get(TokenReservation, reservation)
            return row.status if row else None

    assert await status(stale) == "released"
    assert await status(live) == "reserved"
    assert await status(old_closed) is None
    assert await status(recent_closed) == "released"
    assert await status(other_stale) == "reserved"
    held = "SELECT reserved_tokens FROM tenant_quotas WHERE tenant_id = :t"
    assert await count(owner_db, held, t=tenant.tenant_id) == 40  # the stale 100 given back
    assert await count(owner_db, held, t=other.tenant_id) == 9
    assert await sweep_tenant(activities, r.TOKEN_RESERVATIONS, tenant) == 0
    assert await count(owner_db, held, t=tenant.tenant_id) == 40


async def _rows_of_tenant(owner_db: Database, tenant_id: uuid.UUID) -> dict[str, int]:
    """Rows per table that carry ``tenant_id`` (every such table in the database)."""
    async with owner_db.system_session() as session:
        tables = (
            await session.execute(
                text(
                    "SELECT table_name FROM information_schema.columns "
                    "WHERE table_schema = 'public' AND column_name = 'tenant_id'"
                )
            )
        ).scalars()
        found = {}
        for table in tables:
            n = (
                await session.execute(
                    text(f'SELECT count(*) FROM "{table}" WHERE tenant_id = :t'), {"t": tenant_id}
                )
            ).scalar_one()
            if n:
                found[table] = int(n)
        found["tenants"] = int(
            (
                await session.execute(
                    text("SELECT count(*) FROM tenants WHERE id = :t"), {"t": tenant_id}
                )
            ).scalar_one()
        )
    return found


async def _delete_tenant(owner_db: Database, tenant: TenantRefs, ago: timedelta) -> None:
    async with owner_db.system_session() as session:
        await session.execute(
            text("UPDATE tenants SET status = 'deleted', updated_at = :at WHERE id = :t"),
            {"at": NOW - ago, "t": tenant.tenant_id},
        )


async def _add_vector(index: KnowledgeIndex, owner_db: Database, tenant: TenantRefs) -> None:
    """One chunk in the tenant's (seeded) knowledge base."""
    async with owner_db.system_session() as session:
        base = (
            await session.execute(
                text(
                    "SELECT id, embedding_model, embedding_dimension FROM knowledge_bases "
                    "WHERE tenant_id = :t LIMIT 1"
                ),
                {"t": tenant.tenant_id},
            )
        ).one()
    chunk = Chunk(index=0, text="kept?", headings=(), page=None, token_count=1, embed_text="kept?")
    await index.upsert_chunks(
        tenant_id=str(tenant.tenant_id),
        knowledge_base_id=str(base.id),
        document_id=str(uuid.uuid4()),
        content_hash="h",
        model=base.embedding_model,
        dimension=base.embedding_dimension,
        chunks=[chunk],
        vectors=[[0.1] * base.embedding_dimension],
        document={},
    )


async def _vectors(index: KnowledgeIndex, tenant: TenantRefs) -> int:
    return await index.count(
        tenant_id=str(tenant.tenant_id), model="all-MiniLM-L6-v2", dimension=384
    )


async def test_deleted_tenants_are_purged_after_their_grace_period(
    owner_db: Database, app_db: Database, settings: Settings, qdrant: AsyncQdrantClient
) -> None:
    gone = await new_tenant(owner_db, settings)
    graced = await new_tenant(owner_db, settings)
    active = await new_tenant(owner_db, settings)
    index = KnowledgeIndex(qdrant)
    for tenant in (gone, graced, active):
        await _add_vector(index, owner_db, tenant)
        await add_chat(owner_db, tenant, expires_at=None, messages=5, completed_at=NOW)
        await add_audit_rows(owner_db, tenant, DAY, 3, "x")
        await _reservation(owner_db, tenant, status="settled", age=HOUR, tokens=1)
    await _delete_tenant(owner_db, gone, 31 * DAY)
    await _delete_tenant(owner_db, graced, 29 * DAY)
    before = await _rows_of_tenant(owner_db, gone.tenant_id)
    assert {"users", "agents", "chats", "chat_messages", "run_events", "audit_logs"} <= set(before)
    activities = sweeper(app_db, index, batch_size=5, deleted_tenant_grace_days=30)

    # Only the tenant past its grace is listed at all.
    assert await tenant_work(activities, r.DELETED_TENANTS, graced) is None
    assert await tenant_work(activities, r.DELETED_TENANTS, active) is None
    deleted = await sweep_tenant(activities, r.DELETED_TENANTS, gone)
    assert deleted == sum(before.values())
    assert await _rows_of_tenant(owner_db, gone.tenant_id) == {"tenants": 0}
    assert await _vectors(index, gone) == 0
    for kept in (graced, active):
        assert await _vectors(index, kept) == 1
        rows = await _rows_of_tenant(owner_db, kept.tenant_id)
        assert rows["tenants"] == 1 and rows["chats"] == 1 and rows["audit_logs"] == 3
    assert await sweep_tenant(activities, r.DELETED_TENANTS, gone) == 0


async def test_a_tenant_restored_before_its_purge_keeps_its_data(
    owner_db: Database, app_db: Database, settings: Settings
) -> None:
    tenant = await new_tenant(owner_db, settings)
    await _delete_tenant(owner_db, tenant, 31 * DAY)
    activities = sweeper(app_db, batch_size=5, deleted_tenant_grace_days=30)
    work = await tenant_work(activities, r.DELETED_TENANTS, tenant)
    assert work is not None
    async with owner_db.system_session() as session:  # restored between listing and purge
        await session.execute(
            text("UPDATE tenants SET status = 'active', updated_at = now() WHERE id = :t"),
            {"t": tenant.tenant_id},
        )
    before = await _rows_of_tenant(owner_db, tenant.tenant_id)
    result = await ActivityEnvironment().run(activities.deleted_tenants, work)
    assert result.deleted == 0
    assert await _rows_of_tenant(owner_db, tenant.tenant_id) == before


async def test_the_listing_pages_through_every_tenant_in_id_order(
    owner_db: Database, app_db: Database, settings: Settings
) -> None:
    await new_tenant(owner_db, settings)
    await new_tenant(owner_db, settings)
    activities = sweeper(app_db)
    env = ActivityEnvironment()
    seen: list[str] = []
    after = None
    while True:
        page = await env.run(
            activities.list_tenants, r.TenantPageInput(r.AUDIT_LOGS, NOW.isoformat(), after, 2)
        )
        seen += [w.tenant_id for w in page.tenants]
        if page.complete:
            break
        assert len(page.tenants) == 2
        after = page.last_tenant_id
    everyone = await count(owner_db, "SELECT count(*) FROM tenants")
    assert len(seen) == len(set(seen)) == everyone
    assert seen == sorted(seen, key=uuid.UUID)


async def test_the_app_role_cannot_erase_audit_rows_younger_than_the_retention(
    owner_db: Database, app_db: Database, settings: Settings
) -> None:
    own = await new_tenant(owner_db, settings, tenant_settings={"audit_retention_days": 30})
    plain = await new_tenant(owner_db, settings)
    await add_audit_rows(owner_db, own, 10 * DAY, 1, "kept")
    await add_audit_rows(owner_db, own, 40 * DAY, 1, "gone")
    await add_audit_rows(owner_db, plain, 3 * DAY, 1, "kept")
    await add_audit_rows(owner_db, plain, 8 * DAY, 1, "gone")
    expire = text("SELECT agentpaas_expire_audit_logs(:t, now() + interval '1 day', 1000)")
    # Asked to erase everything, the owner's function keeps the tenant's retention (its
    # own setting, or the 7 days any tenant keeps at least).
    for tenant in (own, plain):
        async with app_db.tenant_session(tenant.tenant_id) as session:
            assert (await session.execute(expire, {"t": tenant.tenant_id})).scalar_one() == 1
        assert await _audit_actions(owner_db, tenant) == {"kept"}
    # Only in the tenant's own transaction, and never by a DELETE of the app role's own.
    with pytest.raises(Exception, match="own tenant"):
        async with app_db.tenant_session(own.tenant_id) as session:
            await session.execute(expire, {"t": plain.tenant_id})
    with pytest.raises(Exception, match="permission denied"):
        async with app_db.tenant_session(own.tenant_id) as session:
            await session.execute(text("DELETE FROM audit_logs"))
