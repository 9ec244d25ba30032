"""One pagination shape for every list: ``items``, ``total``, ``limit``, ``offset``, and one query.

Services build the filtered, ordered ``select`` and hand it to :func:`paginate`, which counts
the matches and fetches one page; routes turn the result into a :class:`Page`. The FastAPI
dependency reading ``limit``/``offset`` lives in ``platform_api.api.pagination``.

Counting is what makes a page of a big list slow (``count(*)`` visits every match, under
row-level security too), so :func:`paginate` counts only as far as it must: a page that
ends the list says how many there are by itself; otherwise matches are counted exactly up
to :data:`EXACT_COUNT_LIMIT`, and beyond it ``total`` is the planner's estimate (never less
than what was counted). ``total`` keeps its shape; past the limit it is approximate, which
is what a pager over a million audit rows needs (benchmarks: docs/benchmarks.md, issue 20).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement
from sqlmodel.ext.asyncio.session import AsyncSession

T = TypeVar("T")
U = TypeVar("U")


class Page(BaseModel, Generic[T]):
    """A page of results."""

    items: list[T]
    total: int
    limit: int
    offset: int


class PageParams(BaseModel):
    """Validated paging query parameters."""

    limit: int
    offset: int


async def paginate(
    session: AsyncSession,
    statement: Select[*tuple[Any, ...]],
    page: PageParams,
    *,
    scalars: bool = True,
    count_in_page: bool = False,
) -> tuple[list[Any], int]:
    """One page of ``statement``'s rows (its own order) and how many rows match in all.

    ``scalars=False`` returns whole rows (for statements selecting several columns). The
    count is exact up to :data:`EXACT_COUNT_LIMIT` matches, an estimate beyond.
    ``count_in_page=True`` counts in the page's own query (``count(*) OVER ()``): one pass
    instead of two for a statement whose every match is computed to be ordered anyway
    (a relevance search), never for a long list.
    """
    paged = statement.limit(page.limit).offset(page.offset)
    if count_in_page:
        result = await session.execute(paged.add_columns(func.count().over()))
        found = result.all()
        rows: Sequence[Any] = [row[0] if scalars else tuple(row)[:-1] for row in found]
        if found:
            return list(rows), int(found[0][-1])
    else:
        result = await session.execute(paged)
        rows = result.scalars().all() if scalars else result.all()
    if 0 < len(rows) < page.limit or (not rows and page.offset == 0):
        # A short page is the last one: it says how many there are without a count.
        return list(rows), page.offset + len(rows)
    return list(rows), await count_matches(session, statement)


# Counted exactly up to here; a list longer than this gets the planner's estimate.
EXACT_COUNT_LIMIT = 10_000


async def count_matches(session: AsyncSession, statement: Select[*tuple[Any, ...]]) -> int:
    """How many rows ``statement`` matches: exact up to :data:`EXACT_COUNT_LIMIT`, beyond it
    the planner's estimate, and never less than the rows already counted."""
    unordered = statement.order_by(None)
    bounded = unordered.limit(EXACT_COUNT_LIMIT + 1).subquery()
    counted = int((await session.execute(select(func.count()).select_from(bounded))).scalar_one())
    if counted <= EXACT_COUNT_LIMIT:
        return counted
    plan = (await session.execute(_Explain(unordered))).scalar_one()
    estimate = _plan_rows(plan)
    return max(counted, estimate)


def _plan_rows(plan: Any) -> int:
    """The top node's row estimate from ``EXPLAIN (FORMAT JSON)`` output (text or parsed)."""
    document = json.loads(plan) if isinstance(plan, str) else plan
    return int(document[0]["Plan"]["Plan Rows"])


class _Explain(Executable, ClauseElement):
    """``EXPLAIN (FORMAT JSON) <statement>``: the planner's view, with the statement's binds."""

    inherit_cache = False

    def __init__(self, statement: Select[*tuple[Any, ...]]) -> None:
        self.statement = statement


@compiles(_Explain)
def _compile_explain(element: _Explain, compiler: SQLCompiler, **kw: Any) -> str:
    return "EXPLAIN (FORMAT JSON) " + compiler.process(element.statement, **kw)


def page_of(items: Sequence[U], total: int, page: PageParams, convert: Callable[[U], T]) -> Page[T]:
    """A :class:`Page` of ``items`` converted for the response."""
    return Page(
        items=[convert(item) for item in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )
