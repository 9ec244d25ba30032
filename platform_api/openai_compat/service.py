"""Serving agents through the OpenAI chat completions protocol."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.openai_compat.schemas import ChatCompletionsRequest
from platform_api.streaming.hub import RunEventHub
from platform_api.streaming.sse import KEEP_ALIVE
from platform_core.models import Agent, AgentVersion, WorkflowNodeExecution

MODEL_PARAMS = ("temperature", "max_tokens", "top_p")


def split_model(model: str) -> tuple[str, str | None]:
    """``name@version`` → (name, version); a bare name means the current version."""
    name, _, version = model.partition("@")
    return name, version or None


async def models(*, session: AsyncSession) -> list[dict[str, Any]]:
    """Published agents as OpenAI model objects."""
    rows = await session.execute(
        select(Agent).where(Agent.status == "published").order_by(col(Agent.name))
    )
    return [
        {
            "id": agent.name,
            "object": "model",
            "created": int((agent.published_at or agent.created_at).timestamp()),
            "owned_by": "agentpaas",
        }
        for agent in rows.scalars()
    ]


async def agent_by_name(*, session: AsyncSession, name: str) -> uuid.UUID | None:
    """The id of the published agent called ``name``."""
    row = (
        await session.execute(
            select(Agent.id).where(Agent.name == name, Agent.status == "published")
        )
    ).first()
    return row[0] if row else None


def run_inputs(version: AgentVersion, body: ChatCompletionsRequest) -> dict[str, Any]:
    """The conversation as the run's ``messages``."""
    return {
        "messages": [
            {"role": "system" if m.role == "developer" else m.role, "content": m.text()}
            for m in body.messages
        ]
    }


def model_params(body: ChatCompletionsRequest) -> dict[str, Any]:
    """Sampling parameters the caller set."""
    return {k: getattr(body, k) for k in MODEL_PARAMS if getattr(body, k) is not None}


def completion(
    completion_id: str, model: str, answer: str, usage: dict[str, int]
) -> dict[str, Any]:
    """A ``chat.completion`` object."""
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": answer},
                "finish_reason": "stop",
            }
        ],
        "usage": usage,
    }


def _chunk(completion_id: str, model: str, delta: dict[str, Any], finish: str | None) -> bytes:
    body = {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n".encode()


async def stream_chunks(
    hub: RunEventHub, *, tenant_id: str, workflow_id: str, completion_id: str, model: str
) -> AsyncIterator[bytes]:
    """The run's token deltas as ``chat.completion.chunk`` events, then ``[DONE]``."""
    yield _chunk(completion_id, model, {"role": "assistant", "content": ""}, None)
    status = "completed"
    async for entry in hub.events(tenant_id=tenant_id, stream_id=workflow_id):
        if entry is None:
            yield KEEP_ALIVE
            continue
        data = entry[1]
        event = data.get("event")
        if event == "message" and data.get("content"):
            yield _chunk(completion_id, model, {"content": data["content"]}, None)
        elif event == "done":
            status = str(data.get("status"))
            break
    finish = "stop" if status == "completed" else "error"
    yield _chunk(completion_id, model, {}, finish)
    yield b"data: [DONE]\n\n"


async def usage_of(*, session: AsyncSession, execution_id: uuid.UUID) -> dict[str, int]:
    """Token usage of a run, summed over its nodes' model calls."""
    rows = await session.execute(
        select(WorkflowNodeExecution.service_calls).where(
            WorkflowNodeExecution.execution_id == execution_id
        )
    )
    prompt = completion_tokens = 0
    for calls in rows.scalars():
        for call in calls or []:
            usage = call.get("usage") or {} if isinstance(call, dict) else {}
            prompt += int(usage.get("prompt_tokens") or 0)
            completion_tokens += int(usage.get("completion_tokens") or 0)
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt + completion_tokens,
    }
