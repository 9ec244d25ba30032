"""The paging query parameters as a FastAPI dependency (the shape: ``platform_api.paging``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from platform_api.paging import PageParams


def page_params(
    limit: Annotated[int, Query(ge=1, le=200, description="Page size.")] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip.")] = 0,
) -> PageParams:
    """Paging parameters as a dependency."""
    return PageParams(limit=limit, offset=offset)
