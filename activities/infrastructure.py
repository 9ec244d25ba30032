"""Telling an unreachable service apart from a node that failed.

A node's retry budget (its definition's `max_attempts`) is for the node's own errors: a
model that answered badly, a tool that refused. When PostgreSQL or Qdrant is away,
every attempt fails the same way within seconds, and a short outage used to fail every
run in flight. Node activities therefore report such failures as one non-retryable
`InfrastructureUnavailable` error, and the workflow waits and schedules the node again,
with backoff, for as long as the run's `infrastructure_patience_seconds` allows — apart
from the node's own attempts.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from temporalio.exceptions import ApplicationError

from platform_core.db import DatabaseUnavailable
from temporal_workflows.contracts import INFRASTRUCTURE_UNAVAILABLE

P = ParamSpec("P")
R = TypeVar("R")


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(seen) < 16:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _names(exc: BaseException) -> set[str]:
    return {f"{cls.__module__}.{cls.__qualname__}" for cls in type(exc).__mro__}


# Qdrant's client wraps a refused or dropped connection in this (matched by name: this
# module imports no client library).
_QDRANT_UNREACHABLE = "qdrant_client.http.exceptions.ResponseHandlingException"


def is_infrastructure_error(exc: BaseException) -> bool:
    """Whether `exc` (or what caused it) says the platform's own services are unreachable.

    PostgreSQL (the records, quotas, registries) and Qdrant count; a model provider or an
    MCP server that fails does not: those are the node's business and its retry policy's.
    """
    for link in _chain(exc):
        if isinstance(link, ApplicationError):
            return link.type == INFRASTRUCTURE_UNAVAILABLE
        if isinstance(link, DatabaseUnavailable):
            return True
        if _QDRANT_UNREACHABLE in _names(link):
            return True
    return False


# What the running node activity has finished so far (set by the activity, read when an
# outage stops it): the workflow hands it to the node's next scheduling.
_carry: ContextVar[Callable[[], Sequence[Any]] | None] = ContextVar("carry", default=None)


def carry_on_outage(finished: Callable[[], Sequence[Any]]) -> None:
    """Say what to hand to the node's next scheduling if an outage stops this one.

    ``finished()`` is called when the outage is reported; its values travel as the error's
    details (workflow history), so they must be small and JSON-able.
    """
    _carry.set(finished)


def infrastructure_is_not_the_node(
    run: Callable[P, Awaitable[R]],
) -> Callable[P, Awaitable[R]]:
    """Wrap a node activity: an unreachable service becomes `InfrastructureUnavailable`.

    Non-retryable on purpose: Temporal's retries would spend the node's own attempts, so the
    workflow owns the wait (durable timers, its own backoff and patience).
    """

    @functools.wraps(run)
    async def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        token = _carry.set(None)
        try:
            return await run(*args, **kwargs)
        except ApplicationError:
            raise
        except Exception as exc:
            if not is_infrastructure_error(exc):
                raise
            finished = _carry.get()
            raise ApplicationError(
                f"a service this node needs is unreachable: {type(exc).__name__}: {exc}"[:500],
                *(finished() if finished is not None else ()),
                type=INFRASTRUCTURE_UNAVAILABLE,
                non_retryable=True,
            ) from exc
        finally:
            _carry.reset(token)

    return guarded
