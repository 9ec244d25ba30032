"""After an llm call gives tokens back, which of its budget counters some run waits on:
one statement on its own, in the call's tenant only (issue 22: a call that nobody waits
for pays one round trip, not a transaction)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from activities.budget_waits import waited_on, wake_waiters
from activities.token_quota import Reservation
from agentpaas.runtime.postgres import DatabaseUrls
from platform_core.models import BudgetWait
from tests.helpers import Platform, make_tenant_with_user, stream_turn


async def test_only_the_counters_a_run_of_the_tenant_waits_on_are_found(
    platform: Platform,
    admin_token: str,
    database_urls: DatabaseUrls,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    response, _ = await stream_turn(
        platform.client, admin_token, {"agent": "Assistant", "message": "budgets"}
    )
    execution_id = uuid.UUID(response.headers["X-Execution-Id"])
    tenant = platform.seeded.tenant_id
    agent, user = uuid.uuid4(), uuid.uuid4()
    async with platform.db.tenant_session(tenant) as session:
        session.add(
            BudgetWait(
                execution_id=execution_id,
                task_id="answer-1",
                tenant_id=tenant,
                node_name="answer",
                scope="agent",
                subject_id=agent,
                period_end=datetime.now(UTC) + timedelta(days=3),
            )
        )
    counters = [("agent", agent), ("user", user), ("tenant", tenant)]
    assert await waited_on(platform.db, tenant, counters) == [("agent", agent)]
    # Another tenant naming the same counters sees nothing of this tenant's waits.
    other, _ = await make_tenant_with_user(database_urls.admin_url, f"wake-{uuid.uuid4().hex[:8]}")
    assert await waited_on(platform.db, other, counters) == []

    # Nothing waits on these: the call tells nobody, and opens no transaction for it.
    def no_transaction(*_args: object) -> None:
        raise AssertionError("a transaction was opened")

    monkeypatch.setattr(platform.db, "tenant_session", no_transaction)
    nobody = Reservation(uuid.uuid4(), str(tenant), 10, (("user", user), ("tenant", tenant)))
    assert await wake_waiters(platform.db, nobody) == 0
