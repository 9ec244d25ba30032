"""The ``llm`` node activity: one streamed litellm call, deltas forwarded to the run's stream."""

from __future__ import annotations

import time
from typing import Any

from litellm.types.utils import ModelResponse
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.litellm_setup import litellm
from activities.records import NodeRecorder
from activities.run_events import RunEvents
from node_types import llm as llm_node
from node_types.errors import NodeOutputError
from temporal_workflows.contracts import (
    EVENT_MESSAGE,
    EVENT_RESET,
    EVENT_RETRYING,
    NodeActivityInput,
    NodeActivityResult,
    node_activity_name,
)

# Errors a retry cannot fix: the request or the credentials are wrong.
NON_RETRYABLE = (
    litellm.AuthenticationError,
    litellm.BadRequestError,
    litellm.NotFoundError,
    litellm.PermissionDeniedError,
    litellm.UnprocessableEntityError,
    litellm.ContentPolicyViolationError,
    litellm.ContextWindowExceededError,
)
HEARTBEAT_EVERY_SECONDS = 5.0
MODEL_PARAMS = (
    "temperature",
    "max_tokens",
    "top_p",
    "stop",
    "seed",
    "presence_penalty",
    "frequency_penalty",
)


class LlmNodeActivities:
    """Runs ``llm`` nodes; built once by the worker with its recorder."""

    def __init__(self, recorder: NodeRecorder) -> None:
        self._recorder = recorder

    @activity.defn(name=node_activity_name("llm"))
    async def run_llm_node(self, data: NodeActivityInput) -> NodeActivityResult:
        """Call the node's model with streaming and return the node's state update."""
        attempt = activity.info().attempt
        started = time.monotonic()
        await self._recorder.started(data, attempt)
        request = llm_node.build_request(data.config, data.node_input)
        model = request.get("model") or data.default_model
        params = {k: request[k] for k in MODEL_PARAMS if request.get(k) is not None}
        # The version's model_params_override (and per-request config) win over the node's.
        params.update(data.model_params_override or {})
        try:
            async with RunEvents() as events:
                if attempt > 1:
                    # Deltas of the failed attempt are void: tell clients to discard them.
                    events.publish(EVENT_RETRYING, node=data.node_name, attempt=attempt)
                    events.publish(EVENT_RESET, node=data.node_name)
                response = await self._stream(model, request, params, data, events)
        except NON_RETRYABLE as exc:
            await self._recorder.finished(data, status="failed", output=None, error=str(exc))
            raise ApplicationError(str(exc), type=type(exc).__name__, non_retryable=True) from exc
        except Exception as exc:
            await self._recorder.finished(data, status="failed", output=None, error=str(exc))
            raise
        usage = response.get("usage") or {}
        tokens = int(usage.get("total_tokens") or 0)
        cost = _cost(response.get("raw"))
        try:
            update = llm_node.to_update(data.config, response)
        except NodeOutputError as exc:
            # The model answered but not in the requested shape: the node's retry policy
            # decides (the llm type lists NodeOutputError as non-retryable by default).
            await self._recorder.finished(data, status="failed", output=None, error=str(exc))
            raise ApplicationError(str(exc), type="NodeOutputError") from exc
        await self._recorder.finished(
            data,
            status="completed",
            output=update,
            tokens=tokens,
            cost=cost,
            service_calls=[{"service": "llm", "model": model, "usage": usage, "attempt": attempt}],
        )
        return NodeActivityResult(
            update=update,
            tokens=tokens,
            cost=cost,
            duration_ms=int((time.monotonic() - started) * 1000),
        )

    async def _stream(
        self,
        model: str,
        request: dict[str, Any],
        params: dict[str, Any],
        data: NodeActivityInput,
        events: RunEvents,
    ) -> dict[str, Any]:
        extra = {
            k: request[k] for k in ("tools", "tool_choice", "response_format") if request.get(k)
        }
        stream = await litellm.acompletion(
            model=model,
            messages=request["messages"],
            stream=True,
            stream_options={"include_usage": True},
            num_retries=0,  # Temporal owns retries
            **params,
            **extra,
        )
        chunks = []
        last_beat = time.monotonic()
        async for chunk in stream:
            chunks.append(chunk)
            delta = chunk.choices[0].delta.content if chunk.choices else None
            if delta:
                events.publish(EVENT_MESSAGE, content=delta, type="text", node=data.node_name)
            if time.monotonic() - last_beat > HEARTBEAT_EVERY_SECONDS:
                activity.heartbeat()
                last_beat = time.monotonic()
        built = litellm.stream_chunk_builder(chunks, messages=request["messages"])
        if not isinstance(built, ModelResponse):
            # Chat chunks always build a chat response; anything else is a litellm fault.
            raise RuntimeError(f"litellm built {type(built).__name__} from a chat stream")
        message = built.choices[0].message
        tool_calls = [
            {
                "id": call.id,
                "type": "function",
                # Only function tools are sent, so only function calls come back.
                "function": {
                    "name": call.function.name,  # type: ignore[union-attr]
                    "arguments": call.function.arguments,  # type: ignore[union-attr]
                },
            }
            for call in (message.tool_calls or [])
        ]
        built_usage = getattr(built, "usage", None)  # set at run time, not declared
        usage = built_usage.model_dump() if built_usage else {}
        return {
            "content": message.content or "",
            "tool_calls": tool_calls,
            "usage": usage,
            "model": model,
            "raw": built,
        }


def _cost(response: Any) -> float:
    """Cost from litellm's (local) cost map; unknown models, such as the scripted one, cost 0."""
    if response is None:
        return 0.0
    try:
        return float(litellm.completion_cost(completion_response=response) or 0.0)
    except Exception:  # litellm raises a bare Exception for unmapped models
        return 0.0
