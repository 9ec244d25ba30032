"""Replay check routes, for developers (their drafts) and reviewers (submissions).

The same checks under two areas, so each area's role rule applies: developers start and
read checks of their versions under ``/developer``; reviewers those of submissions under
``/reviews``.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import StreamingResponse

from platform_api.api.deps import (
    CurrentCaller,
    ServicesDep,
    SettingsDep,
    TemporalDep,
    TenantSession,
)
from platform_api.replay_checks import service
from platform_api.replay_checks.schemas import ReplayCheckPublic, ReplayCheckRequest
from platform_api.streaming.responses import sse_response
from platform_api.streaming.sse import parse_last_event_id, run_event_frames
from platform_core.models import ReplayCheck
from temporal_workflows import contracts as c

developer_router = APIRouter(prefix="/api/v1/developer", tags=["replay checks"])
review_router = APIRouter(prefix="/api/v1/reviews", tags=["replay checks"])


async def _start(
    version_id: uuid.UUID,
    body: ReplayCheckRequest,
    caller: CurrentCaller,
    services: ServicesDep,
    settings: SettingsDep,
    temporal: TemporalDep,
) -> ReplayCheck:
    """Replay the published version's latest conversations on this version."""
    return await service.start_check(
        database=services.database,
        client=temporal,
        settings=settings,
        caller=caller,
        version_id=version_id,
        conversations=body.conversations,
        unmatched=body.unmatched,
    )


async def _list(
    version_id: uuid.UUID, caller: CurrentCaller, session: TenantSession
) -> list[ReplayCheck]:
    """The version's replay checks, newest first."""
    return await service.checks_of_version(session=session, caller=caller, version_id=version_id)


async def _get(check_id: uuid.UUID, caller: CurrentCaller, session: TenantSession) -> ReplayCheck:
    """A check and its report so far."""
    return await service.get_check(session=session, caller=caller, check_id=check_id)


async def _events(
    check_id: uuid.UUID,
    caller: CurrentCaller,
    services: ServicesDep,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> StreamingResponse:
    """The check's progress as SSE (one event per conversation, then ``done``)."""
    async with services.database.tenant_session(caller.tenant_id) as session:
        await service.get_check(session=session, caller=caller, check_id=check_id)
    frames = run_event_frames(
        services.run_events,
        tenant_id=str(caller.tenant_id),
        stream_id=c.replay_check_workflow_id(str(check_id)),
        from_offset=parse_last_event_id(last_event_id),
    )
    return sse_response(frames, services=services, caller=caller)


for router in (developer_router, review_router):
    router.add_api_route(
        "/versions/{version_id}/replay-checks",
        _start,
        methods=["POST"],
        response_model=ReplayCheckPublic,
        status_code=202,
        name=f"{router.prefix}: start a replay check",
    )
    router.add_api_route(
        "/versions/{version_id}/replay-checks",
        _list,
        methods=["GET"],
        response_model=list[ReplayCheckPublic],
        name=f"{router.prefix}: list replay checks",
    )
    router.add_api_route(
        "/replay-checks/{check_id}",
        _get,
        methods=["GET"],
        response_model=ReplayCheckPublic,
        name=f"{router.prefix}: read a replay check",
    )
    router.add_api_route(
        "/replay-checks/{check_id}/events",
        _events,
        methods=["GET"],
        response_class=StreamingResponse,
        name=f"{router.prefix}: follow a replay check",
    )
