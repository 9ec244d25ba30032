"""Pagination counts only as far as it must: exact for short lists, estimated for long ones.

Rows are a tenant of their own's audit rows (so no other test's rows are counted), read as
the app role under row-level security, the way every list route reads them.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest
from sqlmodel import col, select

from agentpaas.runtime.postgres import DatabaseUrls
from platform_api import paging
from platform_api.paging import PageParams, paginate
from platform_core.db import Database, to_plain_url
from platform_core.models import AuditLog

ROWS = 50


@pytest.fixture
async def tenant_with_rows(database_urls: DatabaseUrls) -> uuid.UUID:
    """A fresh tenant holding ``ROWS`` audit rows, one second apart (statistics refreshed)."""
    tenant_id = uuid.uuid4()
    conn = await asyncpg.connect(to_plain_url(database_urls.admin_url))
    try:
        await conn.execute(
            "INSERT INTO tenants (id, name, display_name, plan, status, settings) "
            "VALUES ($1, $2, $2, 'free', 'active', '{}')",
            tenant_id,
            f"paging-{tenant_id.hex[:8]}",
        )
        start = datetime.now(UTC) - timedelta(hours=1)
        await conn.executemany(
            "INSERT INTO audit_logs (id, tenant_id, actor_type, action, outcome, details, "
            "created_at) VALUES ($1, $2, 'user', 'POST /x', 'success', '{}', $3)",
            [(uuid.uuid4(), tenant_id, start + timedelta(seconds=n)) for n in range(ROWS)],
        )
        await conn.execute("ANALYZE audit_logs")
    finally:
        await conn.close()
    return tenant_id


def _newest_first() -> Any:
    return select(AuditLog).order_by(col(AuditLog.created_at).desc(), col(AuditLog.id))


async def test_short_lists_are_counted_exactly(app_db: Database, tenant_with_rows: uuid.UUID):
    async with app_db.tenant_session(tenant_with_rows) as session:
        first, total = await paginate(session, _newest_first(), PageParams(limit=10, offset=0))
        assert len(first) == 10 and total == ROWS
        # The last page is short: it tells the total without a count.
        last, total = await paginate(session, _newest_first(), PageParams(limit=10, offset=45))
        assert len(last) == 5 and total == ROWS
        assert {r.id for r in first}.isdisjoint({r.id for r in last})
        beyond, total = await paginate(session, _newest_first(), PageParams(limit=10, offset=60))
        assert beyond == [] and total == ROWS


async def test_long_lists_get_the_planners_estimate_never_less_than_counted(
    app_db: Database, tenant_with_rows: uuid.UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paging, "EXACT_COUNT_LIMIT", 20)
    page = PageParams(limit=10, offset=0)
    async with app_db.tenant_session(tenant_with_rows) as session:
        # The real estimate (after ANALYZE, with the tenant known to the planner).
        rows, total = await paginate(session, _newest_first(), page)
        assert len(rows) == 10
        assert 21 <= total <= 10 * ROWS

        monkeypatch.setattr(paging, "_plan_rows", lambda plan: 12_345)
        assert (await paginate(session, _newest_first(), page))[1] == 12_345
        # An estimate below what was counted gives way to the count.
        monkeypatch.setattr(paging, "_plan_rows", lambda plan: 3)
        assert (await paginate(session, _newest_first(), page))[1] == 21


async def test_count_in_page_counts_every_match_in_the_same_query(
    app_db: Database, tenant_with_rows: uuid.UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paging, "EXACT_COUNT_LIMIT", 20)  # the window count has no limit
    statement = select(AuditLog, col(AuditLog.action)).order_by(col(AuditLog.created_at))
    async with app_db.tenant_session(tenant_with_rows) as session:
        rows, total = await paginate(
            session, statement, PageParams(limit=10, offset=20), scalars=False, count_in_page=True
        )
        assert total == ROWS
        assert [len(row) for row in rows] == [2] * 10  # the count column is not returned
        entries, total = await paginate(
            session, select(AuditLog), PageParams(limit=10, offset=0), count_in_page=True
        )
        assert total == ROWS and all(isinstance(e, AuditLog) for e in entries)
