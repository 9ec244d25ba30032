"""The token counters a model call holds and charges, each phase in one statement.

The budget rows of a run's agent and user and the tenant's quota row are the hottest rows
of the platform: every call of a tenant writes them twice (hold, then charge). A row
written by a statement stays locked until the transaction commits, so each statement
between the first hot write and the COMMIT is a round trip every other call of the tenant
waits for. One statement per phase writes them all (budget rows in sorted order, then the
tenant's usage and quota rows: the order ``token_quota``'s other writes keep too, so two
transactions never wait on each other in a circle). It runs last in its transaction:
the rows are held for that statement and the COMMIT.

Each limit is checked inside the statement, against the latest row (PostgreSQL re-checks
an ``ON CONFLICT ... WHERE`` and an ``UPDATE ... WHERE`` after the lock is granted); a row
the statement did not write is a refusal, and the caller rolls the transaction back.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

# (scope, subject id): a budget counter; the tenant's quota row is written apart.
Counter = tuple[str, uuid.UUID]

# Adds each budget's delta and the tenant's, each only within its limit.
_HOLD_CTES = """
    wanted AS (
        SELECT w.scope, w.subject_id, w.delta, w.ord
        FROM unnest(CAST(:scopes AS varchar[]), CAST(:subjects AS uuid[]),
                    CAST(:deltas AS bigint[])) WITH ORDINALITY AS w(scope, subject_id, delta, ord)
    ), budgets AS (
        INSERT INTO token_budgets AS b
            (id, tenant_id, scope, subject_id, month, used_tokens, reserved_tokens, updated_at)
        SELECT gen_random_uuid(), CAST(:tenant AS uuid), w.scope, w.subject_id,
               CAST(:month AS date), 0, w.delta, CAST(:now AS timestamptz)
        FROM wanted AS w ORDER BY w.ord
        ON CONFLICT ON CONSTRAINT uq_token_budgets_subject DO UPDATE
        SET reserved_tokens = b.reserved_tokens + EXCLUDED.reserved_tokens
        WHERE b.max_tokens_per_month IS NULL
           OR (CASE WHEN b.month = CAST(:month AS date) THEN b.used_tokens ELSE 0 END)
              + b.reserved_tokens + EXCLUDED.reserved_tokens <= b.max_tokens_per_month
        RETURNING b.scope, b.subject_id
    ), tenant AS (
        UPDATE tenant_quotas AS q
        SET reserved_tokens = q.reserved_tokens + CAST(:tenant_delta AS bigint)
        WHERE CAST(:touch_tenant AS boolean) AND q.tenant_id = CAST(:tenant AS uuid)
          AND (NOT CAST(:check_tenant AS boolean) OR q.max_tokens_per_month IS NULL
               OR (CASE WHEN q.reset_date = CAST(:month AS date)
                        THEN q.current_month_tokens ELSE 0 END)
                  + q.reserved_tokens + CAST(:tenant_delta AS bigint)
                  <= q.max_tokens_per_month)
        RETURNING q.tenant_id
    )
"""
_HOLD_RESULT = """
    SELECT (SELECT coalesce(array_agg(scope || ' ' || subject_id::text), '{}') FROM budgets),
           (SELECT count(*) FROM tenant)
"""
# The call's reservation row (its node no longer waiting for a budget) and the hold, in
# one statement: the row is undone with the rest when the hold is refused.
_RESERVE_AND_HOLD = text(
    """
    WITH no_longer_waiting AS (
        DELETE FROM budget_waits
        WHERE execution_id = CAST(:execution AS uuid) AND task_id = :task
    ), reservation AS (
        INSERT INTO token_reservations AS r
            (id, tenant_id, execution_id, task_id, attempt, model, reserved_tokens, status,
             created_at, agent_id, user_id, paid_by_user)
        VALUES (CAST(:reservation AS uuid), CAST(:tenant AS uuid), CAST(:execution AS uuid),
                :task, CAST(:attempt AS integer), :model, CAST(:tokens AS bigint), 'reserved',
                CAST(:now AS timestamptz), CAST(:agent AS uuid), CAST(:user AS uuid),
                CAST(:paid AS boolean))
        -- The same attempt reserving again had its hold released before this statement.
        ON CONFLICT ON CONSTRAINT uq_token_reservations_call DO UPDATE
        SET id = EXCLUDED.id, reserved_tokens = EXCLUDED.reserved_tokens,
            status = 'reserved', agent_id = EXCLUDED.agent_id,
            user_id = EXCLUDED.user_id, paid_by_user = EXCLUDED.paid_by_user
        RETURNING 1
    ), """
    + _HOLD_CTES
    + _HOLD_RESULT
)


_CHARGE = text(
    """
    WITH wanted AS (
        SELECT w.scope, w.subject_id, w.ord
        FROM unnest(CAST(:scopes AS varchar[]), CAST(:subjects AS uuid[]))
             WITH ORDINALITY AS w(scope, subject_id, ord)
    ), budgets AS (
        INSERT INTO token_budgets AS b
            (id, tenant_id, scope, subject_id, month, used_tokens, reserved_tokens, updated_at)
        SELECT gen_random_uuid(), CAST(:tenant AS uuid), w.scope, w.subject_id,
               CAST(:month AS date), CAST(:used AS bigint), 0, CAST(:now AS timestamptz)
        FROM wanted AS w ORDER BY w.ord
        ON CONFLICT ON CONSTRAINT uq_token_budgets_subject DO UPDATE
        SET reserved_tokens = b.reserved_tokens - CAST(:released AS bigint),
            used_tokens = CASE WHEN CAST(:charge AS boolean)
                THEN (CASE WHEN b.month = CAST(:month AS date) THEN b.used_tokens ELSE 0 END)
                     + CAST(:used AS bigint)
                ELSE b.used_tokens END,
            month = CASE WHEN CAST(:charge AS boolean) THEN CAST(:month AS date) ELSE b.month END,
            updated_at = CASE WHEN CAST(:charge AS boolean)
                THEN CAST(:now AS timestamptz) ELSE b.updated_at END
        RETURNING 1
    ), usage AS (
        INSERT INTO tenant_token_usage AS u
            (tenant_id, month, prompt_tokens, completion_tokens, total_tokens, cost, calls)
        SELECT CAST(:tenant AS uuid), CAST(:month AS date), CAST(:prompt AS bigint),
               CAST(:completion AS bigint), CAST(:used AS bigint), CAST(:cost AS numeric), 1
        WHERE CAST(:touch_tenant AS boolean) AND CAST(:charge AS boolean)
        ON CONFLICT (tenant_id, month) DO UPDATE
        SET prompt_tokens = u.prompt_tokens + EXCLUDED.prompt_tokens,
            completion_tokens = u.completion_tokens + EXCLUDED.completion_tokens,
            total_tokens = u.total_tokens + EXCLUDED.total_tokens,
            cost = u.cost + EXCLUDED.cost,
            calls = u.calls + 1
        RETURNING 1
    ), tenant AS (
        UPDATE tenant_quotas AS q
        SET reserved_tokens = q.reserved_tokens - CAST(:released AS bigint),
            current_month_tokens = CASE WHEN CAST(:charge AS boolean)
                THEN (CASE WHEN q.reset_date = CAST(:month AS date)
                           THEN q.current_month_tokens ELSE 0 END) + CAST(:used AS bigint)
                ELSE q.current_month_tokens END,
            reset_date = CASE WHEN CAST(:charge AS boolean)
                THEN CAST(:month AS date) ELSE q.reset_date END
        WHERE CAST(:touch_tenant AS boolean) AND q.tenant_id = CAST(:tenant AS uuid)
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM budgets), (SELECT count(*) FROM usage),
           (SELECT count(*) FROM tenant)
    """
)


@dataclass(frozen=True)
class ReservationRow:
    """One call attempt's hold, as its ``token_reservations`` row records it."""

    id: uuid.UUID
    execution_id: uuid.UUID
    task_id: str
    attempt: int
    model: str
    tokens: int
    agent_id: uuid.UUID | None
    user_id: uuid.UUID | None
    paid_by_user: bool


@dataclass(frozen=True)
class Held:
    """What a hold statement granted: the budget counters it wrote, and the tenant's row."""

    budgets: frozenset[Counter]
    tenant_row_written: bool


async def reserve_and_hold(
    session: AsyncSession,
    tenant: uuid.UUID,
    reservation: ReservationRow,
    budgets: Sequence[tuple[Counter, int]],
    *,
    tenant_delta: int,
    touch_tenant: bool,
    check_tenant: bool,
    month: date,
    now: datetime,
) -> Held:
    """Write the call's reservation row (its node's budget wait, if any, deleted) and add
    each budget's delta (its row created on a subject's first call) and the tenant's
    ``tenant_delta``, each only within its limit, in one statement: one round trip before
    the call. Says which counters were written.

    ``touch_tenant`` False leaves the tenant's row alone (a call a user's own key pays that
    frees nothing there); ``check_tenant`` False writes it without checking the limit (it
    only gives tokens back).
    """
    ordered = sorted(budgets)
    row = (
        await session.execute(
            _RESERVE_AND_HOLD,
            {
                "reservation": reservation.id,
                "execution": reservation.execution_id,
                "task": reservation.task_id,
                "attempt": reservation.attempt,
                "model": reservation.model,
                "tokens": reservation.tokens,
                "agent": reservation.agent_id,
                "user": reservation.user_id,
                "paid": reservation.paid_by_user,
                "scopes": [c[0] for c, _ in ordered],
                "subjects": [c[1] for c, _ in ordered],
                "deltas": [d for _, d in ordered],
                "tenant": tenant,
                "tenant_delta": tenant_delta,
                "touch_tenant": touch_tenant,
                "check_tenant": check_tenant,
                "month": month,
                "now": now,
            },
        )
    ).one()
    written = frozenset(
        (scope, uuid.UUID(subject)) for scope, subject in (entry.split(" ") for entry in row[0])
    )
    return Held(written, bool(row[1]))


async def charge(
    session: AsyncSession,
    tenant: uuid.UUID,
    budgets: Sequence[Counter],
    *,
    released: int,
    used: tuple[int, int, Decimal] | None,
    touch_tenant: bool,
    month: date,
    now: datetime,
) -> None:
    """Give back ``released`` held tokens on each counter and charge ``used`` (prompt,
    completion, cost; None: nothing, the call failed), the tenant's monthly usage row with
    it, in one statement."""
    prompt, completion, cost = used if used is not None else (0, 0, Decimal(0))
    await session.execute(
        _CHARGE,
        {
            "scopes": [c[0] for c in sorted(budgets)],
            "subjects": [c[1] for c in sorted(budgets)],
            "tenant": tenant,
            "released": released,
            "charge": used is not None,
            "used": prompt + completion,
            "prompt": prompt,
            "completion": completion,
            "cost": cost,
            "touch_tenant": touch_tenant,
            "month": month,
            "now": now,
        },
    )
