"""The sweeps' lookups can use the indexes migration 0013 made (under row-level security)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from platform_core.db import Database
from platform_core.settings import Settings
from tests.retention.conftest import new_tenant

LOOKUPS = {
    "ix_chats_tenant_expires": (
        "SELECT c.id FROM chats c WHERE c.tenant_id = :tenant AND c.expires_at IS NOT NULL "
        "AND c.expires_at < :cutoff"
    ),
    "ix_workflow_executions_tenant_completed": (
        "SELECT x.execution_id FROM workflow_executions x WHERE x.tenant_id = :tenant "
        "AND x.completed_at IS NOT NULL AND x.completed_at < :cutoff "
        "ORDER BY x.completed_at, x.execution_id LIMIT 200"
    ),
    "ix_token_reservations_tenant_created": (
        "SELECT t.id FROM token_reservations t WHERE t.tenant_id = :tenant "
        "AND t.status = 'reserved' AND t.created_at < :cutoff LIMIT 1000"
    ),
    # 0009's (tenant_id, created_at), or any later audit index that leads with both.
    "ix_audit_logs_tenant_": (
        "SELECT a.id FROM audit_logs a WHERE a.tenant_id = :tenant AND a.created_at < :cutoff "
        "LIMIT 1000"
    ),
}


# The single-column tenant index each lookup's table also has: on test-sized tables the
# planner may pick it as readily as the sweep's own (their costs tie), so it is set aside
# inside the EXPLAIN's transaction (rolled back) to see that the sweep's index fits.
COMPETING = {
    "ix_chats_tenant_expires": "ix_chats_tenant_id",
    "ix_workflow_executions_tenant_completed": "ix_workflow_executions_tenant_id",
    "ix_token_reservations_tenant_created": "ix_token_reservations_tenant_id",
    "ix_audit_logs_tenant_": "ix_audit_logs_tenant_id",
}


@pytest.mark.parametrize("index", sorted(LOOKUPS))
async def test_each_lookup_can_use_its_index(
    index: str, owner_db: Database, app_db: Database, settings: Settings
) -> None:
    tenant = await new_tenant(owner_db, settings)
    params = {"tenant": tenant.tenant_id, "cutoff": datetime.now(UTC)}
    async with owner_db.engine.connect() as connection:
        transaction = await connection.begin()
        try:
            await connection.execute(text(f"DROP INDEX IF EXISTS {COMPETING[index]}"))
            # As the app role, under row-level security, as the sweeps run.
            await connection.execute(text("SET LOCAL ROLE agentpaas_app"))
            await connection.execute(
                text("SELECT set_config('app.tenant_id', :tenant, true)"),
                {"tenant": str(tenant.tenant_id)},
            )
            # Tables this small are scanned whole; forbid that to see which index fits.
            await connection.execute(text("SET LOCAL enable_seqscan = off"))
            plan = "\n".join(
                (await connection.execute(text("EXPLAIN " + LOOKUPS[index]), params)).scalars()
            )
        finally:
            await transaction.rollback()
    assert f"Index Scan using {index}" in plan or f"Index Only Scan using {index}" in plan, plan
    assert "Index Cond: ((tenant_id = " in plan, plan
