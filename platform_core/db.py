"""Database engine and sessions, with the tenant set per transaction for row-level security.

The app connects as a role that neither owns the tables nor bypasses RLS, so a
query that forgets its ``tenant_id`` filter still cannot see another tenant's rows:
every tenant-owned table has a policy comparing ``tenant_id`` with the
transaction-local setting ``app.tenant_id`` that :meth:`Database.tenant_session` sets.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import text
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    async_sessionmaker,
    create_async_engine,
)
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_core.db_tracing import trace_engine

APP_ROLE = "agentpaas_app"


class DatabaseUnavailable(Exception):
    """PostgreSQL could not be reached or the connection died: an outage, not bad input.

    The API answers it with 503 and `Retry-After`; node activities let the run wait for it.
    """


# asyncpg's and SQLAlchemy's ways of saying the connection is gone, by name (the driver's
# own classes are not all importable from one place).
_CONNECTION_FAILURES = {
    "PostgresConnectionError",
    "CannotConnectNowError",
    "ConnectionDoesNotExistError",
    "ConnectionFailureError",
    "TooManyConnectionsError",
    "InterfaceError",
    "DisconnectionError",
    "TimeoutError",
}


def is_connection_failure(exc: BaseException) -> bool:
    """Whether `exc`, or what caused it, says the database could not be reached."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, DatabaseUnavailable | ConnectionError):
            return True
        if isinstance(current, OSError) and not isinstance(current, PermissionError):
            return True  # a socket that is gone (FileNotFoundError), unreachable, reset
        if getattr(current, "connection_invalidated", False):
            return True
        library = type(current).__module__.split(".", 1)[0]
        if library in ("sqlalchemy", "asyncpg") and type(current).__name__ in _CONNECTION_FAILURES:
            return True
        current = current.__cause__ or current.__context__
    return False


@asynccontextmanager
async def _unavailable_on_connection_failure() -> AsyncIterator[None]:
    try:
        yield
    except DatabaseUnavailable:
        raise
    except Exception as exc:
        if is_connection_failure(exc):
            raise DatabaseUnavailable(f"the database is unreachable: {type(exc).__name__}") from exc
        raise


def to_async_url(url: str) -> str:
    """Turn a ``postgresql://`` URL (TCP or ``?host=/socket/dir``) into an asyncpg one."""
    parts = urlsplit(url)
    scheme = parts.scheme.split("+")[0]
    if scheme not in ("postgresql", "postgres"):
        raise ValueError(f"not a PostgreSQL URL: scheme {parts.scheme!r}")
    return urlunsplit(("postgresql+asyncpg", *parts[1:]))


def to_plain_url(url: str) -> str:
    """The libpq form of a URL (for asyncpg.connect and psql)."""
    parts = urlsplit(url)
    return urlunsplit(("postgresql", *parts[1:]))


def with_database(url: str, database: str) -> str:
    """The same server URL pointing at another database."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, parts.fragment))


def with_credentials(url: str, user: str, password: str) -> str:
    """The same server URL with another user and password."""
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, f"{user}:{password}@{host}", *parts[2:]))


class Database:
    """One engine and session factory per process."""

    def __init__(self, url: str, *, connections: int = 20, echo: bool = False) -> None:
        """``connections``: the most open at once; each is kept once made. Overflow
        connections (made for a busy moment, closed when returned) cost PostgreSQL a new
        backend each, ≈ 10 ms of CPU with the client's (asyncpg's connect and type
        introspection, every statement prepared again): 0.2–0.4 of them per run under
        load (bench/profile_run.py)."""
        self.url = url
        self.engine: AsyncEngine = create_async_engine(
            to_async_url(url),
            pool_size=connections,
            max_overflow=0,
            # No ping per checkout (a round trip before every transaction, a third of a
            # run's statements): a connection that died with the server fails once, as
            # DatabaseUnavailable (503 / the node waits), and SQLAlchemy then drops the
            # whole pool's older connections.
            pool_pre_ping=False,
            pool_recycle=1800,
            echo=echo,
        )
        self._sessions = async_sessionmaker(
            self.engine, class_=AsyncSession, expire_on_commit=False
        )
        trace_engine(self.engine)

    @asynccontextmanager
    async def tenant_session(self, tenant_id: uuid.UUID | str) -> AsyncIterator[AsyncSession]:
        """A session in one transaction scoped to ``tenant_id``; commits on success.

        A lost or refused connection surfaces as :class:`DatabaseUnavailable`.
        """
        async with (
            _unavailable_on_connection_failure(),
            self._sessions() as session,
            session.begin(),
        ):
            await set_tenant(session, tenant_id)
            yield session

    @asynccontextmanager
    async def session_or_new(
        self, tenant_id: uuid.UUID | str, session: AsyncSession | None
    ) -> AsyncIterator[AsyncSession]:
        """``session`` (its caller's transaction, which commits), else a new tenant session."""
        if session is not None:
            yield session
            return
        async with self.tenant_session(tenant_id) as own:
            yield own

    @asynccontextmanager
    async def system_session(self) -> AsyncIterator[AsyncSession]:
        """A session with no tenant set: sees only global tables and security-definer functions."""
        async with (
            _unavailable_on_connection_failure(),
            self._sessions() as session,
            session.begin(),
        ):
            yield session

    @asynccontextmanager
    async def autocommit(self) -> AsyncIterator[AsyncConnection]:
        """A connection on which every statement commits on its own: one round trip each,
        no BEGIN or COMMIT, and no tenant set. For one-statement work that enters its
        tenant itself (the ``agentpaas_*`` functions of migration 0023).

        A lost or refused connection surfaces as :class:`DatabaseUnavailable`.
        """
        async with _unavailable_on_connection_failure(), self.engine.connect() as conn:
            yield await conn.execution_options(isolation_level="AUTOCOMMIT")

    async def ping(self) -> bool:
        """True when the database answers a trivial query."""
        async with self.engine.connect() as conn:
            answer: int = (await conn.execute(text("SELECT 1"))).scalar_one()
            return answer == 1

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()


async def set_tenant(session: AsyncSession, tenant_id: uuid.UUID | str) -> None:
    """Scope the current transaction to one tenant (``is_local`` = true: it ends with it)."""
    await session.execute(
        text("SELECT set_config('app.tenant_id', :tenant_id, true)"),
        {"tenant_id": str(uuid.UUID(str(tenant_id)))},
    )
