"""Login throttling per account and per client IP, counted in PostgreSQL.

Only failed logins are recorded. Once an email (or a client address) has failed
``N`` times within the window, every login for it — even with the right password —
answers 429 with ``Retry-After`` until the oldest of those failures leaves the
window. A successful login clears the account's failures. Counting in the
database makes the limit hold across API replicas.
"""

from __future__ import annotations

import math

from sqlalchemy import text

from platform_api.errors import DomainError
from platform_core.db import Database
from platform_core.settings import Settings


class TooManyLoginAttempts(DomainError):
    status, slug, title = 429, "too-many-login-attempts", "Too many failed logins"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail, headers={"Retry-After": str(retry_after)})


# The N-th most recent failure inside the window: while it exists the key is locked,
# and it leaves the window (unlocking the key) at attempted_at + window.
_LOCKED_UNTIL = {
    column: text(
        f"""
        SELECT EXTRACT(EPOCH FROM attempted_at + make_interval(secs => :window) - now())
        FROM login_failures
        WHERE {condition} AND attempted_at > now() - make_interval(secs => :window)
        ORDER BY attempted_at DESC
        OFFSET :skip LIMIT 1
        """
    )
    for column, condition in (
        ("email", "email = :key AND NOT account_cleared"),
        ("client_ip", "client_ip = :key"),
    )
}


def account_key(email: str) -> str:
    """How an email is counted: case does not make a new account."""
    return email.strip().lower()


async def check_login_allowed(
    *, database: Database, settings: Settings, email: str, client_ip: str
) -> None:
    """Raise 429 (with ``Retry-After``) while the account or the client address is locked."""
    window = settings.login_failure_window_seconds
    limits = (
        ("email", account_key(email), settings.login_max_failures_per_account, "this account"),
        ("client_ip", client_ip, settings.login_max_failures_per_ip, "this address"),
    )
    async with database.system_session() as session:
        for column, key, limit, what in limits:
            seconds = (
                await session.execute(
                    _LOCKED_UNTIL[column], {"key": key, "window": float(window), "skip": limit - 1}
                )
            ).scalar_one_or_none()
            if seconds is not None:
                retry_after = max(1, math.ceil(float(seconds)))
                raise TooManyLoginAttempts(
                    f"too many failed logins for {what}; try again in {retry_after} s",
                    retry_after=retry_after,
                )


async def record_failure(
    *, database: Database, settings: Settings, email: str, client_ip: str
) -> None:
    """Count one failed login, and prune the oldest failures that left the window.

    Pruning a bounded batch of the oldest rows (by id, so the primary key index finds
    them) on every failure keeps the table at about one window of failures.
    """
    window = float(settings.login_failure_window_seconds)
    async with database.system_session() as session:
        await session.execute(
            text(
                "DELETE FROM login_failures WHERE id IN "
                "(SELECT id FROM login_failures ORDER BY id LIMIT 100) "
                "AND attempted_at <= now() - make_interval(secs => :window)"
            ),
            {"window": window},
        )
        await session.execute(
            text("INSERT INTO login_failures (email, client_ip) VALUES (:email, :ip)"),
            {"email": account_key(email), "ip": client_ip},
        )


async def clear_account(*, database: Database, email: str) -> None:
    """A successful login: the account's failures no longer count (the address's still do)."""
    async with database.system_session() as session:
        await session.execute(
            text(
                "UPDATE login_failures SET account_cleared = true "
                "WHERE email = :email AND NOT account_cleared"
            ),
            {"email": account_key(email)},
        )
