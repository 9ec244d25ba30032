"""One pagination shape for every list: ``items``, ``total``, ``limit``, ``offset``, and one query.

Services build the filtered, ordered ``select`` and hand it to :func:`paginate`, which counts
the matches and fetches one page; routes turn the result into a :class:`Page`. The FastAPI
dependency reading ``limit``/``offset`` lives in ``platform_api.api.pagination``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import Select, func, select
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
) -> tuple[list[Any], int]:
    """One page of ``statement``'s rows (its own order) and how many rows match in all.

    ``scalars=False`` returns whole rows (for statements selecting several columns).
    """
    counted = select(func.count()).select_from(statement.order_by(None).subquery())
    total = (await session.execute(counted)).scalar_one()
    result = await session.execute(statement.limit(page.limit).offset(page.offset))
    rows: Sequence[Any] = result.scalars().all() if scalars else result.all()
    return list(rows), int(total)


def page_of(items: Sequence[U], total: int, page: PageParams, convert: Callable[[U], T]) -> Page[T]:
    """A :class:`Page` of ``items`` converted for the response."""
    return Page(
        items=[convert(item) for item in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )
