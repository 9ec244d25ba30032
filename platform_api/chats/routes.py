"""Chat routes: the seeds' streaming completion and history."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from platform_api.api.deps import CurrentCaller, LauncherDep, ServicesDep, TemporalDep
from platform_api.chats import service
from platform_api.chats.schemas import (
    ChatCompletionRequest,
    ChatHistory,
    ChatPublic,
    MessagePublic,
)
from platform_api.streaming.responses import sse_response
from platform_api.streaming.sse import run_event_frames

router = APIRouter(prefix="/api/v1/chat", tags=["chat"])


@router.post(
    "/completions",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "The run's events as SSE."},
        404: {"description": "Unknown agent, chat or parent message."},
        409: {"description": "The chat already has a run in progress."},
    },
)
async def chat_completions(
    body: ChatCompletionRequest,
    caller: CurrentCaller,
    services: ServicesDep,
    temporal: TemporalDep,
    launcher: LauncherDep,
) -> StreamingResponse:
    """Send a message and stream the agent's run as Server-Sent Events."""
    turn = await launcher.chat_turn(
        caller=caller,
        agent_id=body.agent_id,
        agent_name=body.agent,
        chat_id=body.chat_id,
        text=body.message,
        parent_message_id=body.parent_message_id,
        model_params=body.config,
        regenerate_message_id=body.regenerate_message_id,
    )
    headers = {
        "X-Chat-Id": str(turn.chat.id),
        "X-Execution-Id": str(turn.execution.execution_id),
        "X-Message-Id": str(turn.user_message.id),
    }
    frames = run_event_frames(temporal, turn.execution.workflow_id)
    return sse_response(frames, services=services, caller=caller, headers=headers)


@router.get("/history", response_model=ChatHistory)
async def chat_history(
    caller: CurrentCaller,
    services: ServicesDep,
    chat_id: Annotated[
        uuid.UUID, Query(alias="chat_id", description="The chat (the seeds' session_id).")
    ],
) -> ChatHistory:
    """A chat's messages, oldest first."""
    async with services.database.tenant_session(caller.tenant_id) as session:
        chat = await service.get_own_chat(session=session, caller=caller, chat_id=chat_id)
        messages = await service.conversation(session=session, chat_id=chat.id)
    return ChatHistory(
        chat=ChatPublic.model_validate(chat, from_attributes=True),
        messages=[MessagePublic.model_validate(m, from_attributes=True) for m in messages],
    )
