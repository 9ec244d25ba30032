"""OpenAI-compatible routes: existing OpenAI clients talk to published agents."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, StreamingResponse
from temporalio.client import WorkflowFailureError

from platform_api.api.deps import (
    CurrentCaller,
    LauncherDep,
    ServicesDep,
    TemporalDep,
    TenantSession,
)
from platform_api.errors import NotFound, ServiceUnavailable
from platform_api.openai_compat import service
from platform_api.openai_compat.schemas import ChatCompletionsRequest
from platform_api.streaming.responses import sse_response
from temporal_workflows.contracts import RunResult

router = APIRouter(prefix="/v1", tags=["openai-compatible"])
RESULT_TIMEOUT_SECONDS = 300.0


@router.get("/models")
async def list_models(caller: CurrentCaller, session: TenantSession) -> dict[str, Any]:
    """The published agents this credential may run, as OpenAI models."""
    return {"object": "list", "data": await service.models(session=session)}


@router.post(
    "/chat/completions",
    response_model=None,
    responses={200: {"content": {"application/json": {}, "text/event-stream": {}}}},
)
async def chat_completions(
    body: ChatCompletionsRequest,
    caller: CurrentCaller,
    services: ServicesDep,
    temporal: TemporalDep,
    launcher: LauncherDep,
) -> JSONResponse | StreamingResponse:
    """Run the agent named by ``model`` on the conversation (streaming or not)."""
    name, version_name = service.split_model(body.model)
    async with services.database.tenant_session(caller.tenant_id) as session:
        agent_id = await service.agent_by_name(session=session, name=name)
    if agent_id is None:
        raise NotFound(f"model {body.model!r} does not exist (see GET /v1/models)")
    launched = await launcher.direct(
        caller=caller,
        agent_id=agent_id,
        version=version_name,
        inputs_for=lambda version: service.run_inputs(version, body),
        model_params=service.model_params(body),
    )
    execution = launched.execution
    completion_id = f"chatcmpl-{uuid.UUID(str(execution.execution_id)).hex}"
    if body.stream:
        # Like every stream: it ends (with an `error` event, which OpenAI clients raise)
        # once the key's owner or tenant is suspended or the key revoked.
        chunks = service.stream_chunks(
            services.run_events,
            tenant_id=str(caller.tenant_id),
            workflow_id=execution.workflow_id,
            completion_id=completion_id,
            model=body.model,
        )
        headers = {"X-Execution-Id": str(execution.execution_id)}
        return sse_response(chunks, services=services, caller=caller, headers=headers)
    handle = temporal.get_workflow_handle(execution.workflow_id, result_type=RunResult)
    try:
        result = await asyncio.wait_for(handle.result(), timeout=RESULT_TIMEOUT_SECONDS)
    except WorkflowFailureError as exc:
        raise ServiceUnavailable(f"the agent failed: {exc.cause or exc}") from exc
    async with services.database.tenant_session(caller.tenant_id) as session:
        usage = await service.usage_of(session=session, execution_id=execution.execution_id)
    return JSONResponse(
        service.completion(completion_id, body.model, result.answer or "", usage),
        headers={"X-Execution-Id": str(execution.execution_id)},
    )
