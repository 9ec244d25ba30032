"""Health: is the API able to reach its database and Temporal?"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from platform_api.api.deps import ServicesDep

router = APIRouter(prefix="/api/v1", tags=["health"])
CHECK_TIMEOUT_SECONDS = 3.0
# What a degraded answer asks a load balancer or client to wait before asking again.
DEGRADED_RETRY_AFTER_SECONDS = 5

State = Literal["up", "down"]


class HealthReport(BaseModel):
    """Each backing service's state; ``degraded`` when any is down."""

    status: Literal["ok", "degraded"]
    database: State
    temporal: State
    vector_store: State | None = None


async def _check(coro: Awaitable[object]) -> State:
    try:
        await asyncio.wait_for(coro, timeout=CHECK_TIMEOUT_SECONDS)
        return "up"
    except Exception:
        return "down"


async def _temporal_ok(services: ServicesDep) -> None:
    client = await services.temporal()
    await client.service_client.check_health()


@router.get(
    "/health",
    response_model=HealthReport,
    response_model_exclude_none=True,
    responses={
        503: {
            "model": HealthReport,
            "description": "A backing service is down; see Retry-After.",
        }
    },
)
async def health(services: ServicesDep) -> JSONResponse:
    """200 when the database, Temporal (and Qdrant if configured) answer; else 503."""
    database, temporal = await asyncio.gather(
        _check(services.database.ping()), _check(_temporal_ok(services))
    )
    report = HealthReport(status="ok", database=database, temporal=temporal)
    if services.qdrant is not None:
        report.vector_store = await _check(services.qdrant.get_collections())
    states = [report.database, report.temporal, report.vector_store]
    if any(state == "down" for state in states):
        report.status = "degraded"
        return JSONResponse(
            report.model_dump(exclude_none=True),
            status_code=503,
            headers={"Retry-After": str(DEGRADED_RETRY_AFTER_SECONDS)},
        )
    return JSONResponse(report.model_dump(exclude_none=True))
