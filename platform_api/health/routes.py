"""Health: is the API able to reach its database and Temporal?"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from platform_api.api.deps import ServicesDep

router = APIRouter(prefix="/api/v1", tags=["health"])
CHECK_TIMEOUT_SECONDS = 3.0


async def _check(coro: Awaitable[object]) -> str:
    try:
        await asyncio.wait_for(coro, timeout=CHECK_TIMEOUT_SECONDS)
        return "up"
    except Exception:
        return "down"


async def _temporal_ok(services: ServicesDep) -> None:
    client = await services.temporal()
    await client.service_client.check_health()


@router.get("/health")
async def health(services: ServicesDep) -> JSONResponse:
    """200 when the database, Temporal (and Qdrant if configured) answer; else 503."""
    database, temporal = await asyncio.gather(
        _check(services.database.ping()), _check(_temporal_ok(services))
    )
    checks = {"database": database, "temporal": temporal}
    if services.qdrant is not None:
        checks["vector_store"] = await _check(services.qdrant.get_collections())
    ok = all(state == "up" for state in checks.values())
    return JSONResponse(
        {"status": "ok" if ok else "degraded", **checks}, status_code=200 if ok else 503
    )
