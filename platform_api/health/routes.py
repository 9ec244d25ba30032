"""Health: is the API able to reach its database and Temporal?"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from platform_api.api.deps import ServicesDep

router = APIRouter(prefix="/api/v1", tags=["health"])
CHECK_TIMEOUT_SECONDS = 3.0


async def _check(coro: object) -> str:
    try:
        await asyncio.wait_for(coro, timeout=CHECK_TIMEOUT_SECONDS)  # type: ignore[arg-type]
        return "up"
    except Exception:
        return "down"


async def _temporal_ok(services: ServicesDep) -> None:
    client = await services.temporal()
    await client.service_client.check_health()


@router.get("/health")
async def health(services: ServicesDep) -> JSONResponse:
    """200 when the database and Temporal answer, 503 (with which is down) otherwise."""
    database, temporal = await asyncio.gather(
        _check(services.database.ping()), _check(_temporal_ok(services))
    )
    ok = database == "up" and temporal == "up"
    return JSONResponse(
        {"status": "ok" if ok else "degraded", "database": database, "temporal": temporal},
        status_code=200 if ok else 503,
    )
