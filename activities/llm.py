"""The ``llm`` node activity: one streamed litellm call, deltas forwarded to the run's stream.

Per attempt: resolve the node's target (bound ServiceConfig: endpoint, key opened
now, model), reserve tokens against the tenant's monthly quota (no provider call if
that fails), stream the completion while heartbeating, then settle the reservation
with the call's real usage and cost.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager, nullcontext
from decimal import Decimal
from typing import Any

from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.budget_waits import record_budget_wait, wake_waiters
from activities.infrastructure import infrastructure_is_not_the_node
from activities.litellm_setup import litellm
from activities.llm_stream import StreamedReply, taking_turns
from activities.llm_targets import REFUSED_URL, LlmTarget, LlmTargets
from activities.metrics import record_llm_quota_rejection, record_llm_usage
from activities.prompt_window import fitted_messages
from activities.records import NodeRecorder
from activities.run_events import RunEvents
from activities.token_quota import BudgetExhausted, Reservation, TokenQuota, Usage
from activities.tool_runtime import ToolRuntime
from activities.tracing import model_call_span
from node_types import llm as llm_node
from node_types.errors import NodeOutputError
from node_types.llm import MODEL_PARAMS
from platform_core.outbound import UnsafeOutboundUrl
from platform_core.tool_credentials import scrub
from temporal_workflows.contracts import (
    BUDGET_EXHAUSTED,
    EVENT_MESSAGE,
    EVENT_RESET,
    EVENT_RETRYING,
    NodeActivityInput,
    NodeActivityResult,
    node_activity_name,
)

# Errors a retry cannot fix: the request or the credentials are wrong. Everything else
# (rate limits, timeouts, connection errors, 5xx) is left to the node's retry policy.
NON_RETRYABLE = (
    litellm.AuthenticationError,
    litellm.BadRequestError,
    litellm.NotFoundError,
    litellm.PermissionDeniedError,
    litellm.UnprocessableEntityError,
    litellm.ContentPolicyViolationError,
    litellm.ContextWindowExceededError,
)
logger = logging.getLogger(__name__)
HEARTBEAT_EVERY_SECONDS = 5.0
# Completion tokens reserved (and asked for, as max_tokens) when neither the node nor
# its service config caps them: the cap is what bounds a quota overshoot.
DEFAULT_MAX_OUTPUT_TOKENS = 4096


class LlmNodeActivities:
    """Runs ``llm`` nodes; built once by the worker with its recorder, targets and quota."""

    def __init__(
        self,
        recorder: NodeRecorder,
        targets: LlmTargets,
        quota: TokenQuota,
        tools: ToolRuntime | None = None,
    ) -> None:
        self._recorder = recorder
        self._targets = targets
        self._quota = quota
        self._tools = tools

    @activity.defn(name=node_activity_name("llm"))
    @infrastructure_is_not_the_node
    async def run_llm_node(self, data: NodeActivityInput) -> NodeActivityResult:
        """Call the node's model with streaming and return the node's state update."""
        attempt = activity.info().attempt
        started = time.monotonic()
        if (recorded := await self._recorder.recorded_outcome(data, attempt)) is not None:
            return recorded  # charged and recorded once already: not called again
        await self._recorder.started(data, attempt)
        request = llm_node.build_request(data.config, data.node_input)
        try:
            await self._add_registry_tools(data, request)
            target, params, reservation = await self._prepare(data, attempt, request)
        except ApplicationError as exc:
            if exc.type != BUDGET_EXHAUSTED:  # a node waiting for budget was recorded so
                await self._recorder.finished(data, status="failed", output=None, error=exc.message)
            raise
        logger.info(
            "calling %s at %s (attempt %d, up to %d output tokens)",
            target.model,
            target.api_base or "its provider's endpoint",
            attempt,
            params["max_tokens"],
        )
        try:
            with model_call_span(target.model):
                response = await self._call(target, request, params, data, attempt)
        except BaseException as exc:
            await asyncio.shield(self._quota.release(reservation))
            if isinstance(exc, Exception):
                await self._wake_budget_waiters(reservation)
                await self._fail(data, target, exc)
            raise
        usage = response["usage"]
        cost = _cost(target, usage)
        logger.info(
            "%s answered: %s prompt + %s completion tokens, %d tool calls, cost %s",
            target.model,
            usage.get("prompt_tokens"),
            usage.get("completion_tokens"),
            len(response["tool_calls"]),
            cost,
        )
        tokens = int(usage.get("total_tokens") or 0)
        record = {
            "service": "llm",
            "model": target.model,
            "config_id": target.config_id,
            "paid_by": target.paid_by,
            "usage": usage,
            "reserved_tokens": reservation.tokens,
            "attempt": attempt,
        }
        try:
            update: dict[str, Any] | None = llm_node.to_update(data.config, response)
            shape_error: NodeOutputError | None = None
        except NodeOutputError as exc:
            # The model answered but not in the requested shape: the node's retry policy
            # decides (the llm type lists NodeOutputError as non-retryable by default).
            update, shape_error = None, exc
        # The node's record and the quota's charge in one transaction: they agree, and a
        # run pays one commit for both. The charge goes last (it locks the tenant's rows).
        async with self._recorder.transaction(data.tenant_id) as session:
            await self._recorder.finished(
                data,
                status="failed" if shape_error else "completed",
                output=update,
                error=str(shape_error) if shape_error else None,
                tokens=tokens,
                cost=float(cost),
                service_calls=[record],
                session=session,
            )
            await self._quota.settle(
                reservation,
                Usage(usage.get("prompt_tokens") or 0, usage.get("completion_tokens") or 0, cost),
                session=session,
            )
        await self._wake_budget_waiters(reservation)
        record_llm_usage(data.tenant_id, target.model, usage, cost)
        if shape_error is not None or update is None:
            raise ApplicationError(str(shape_error), type="NodeOutputError") from shape_error
        return NodeActivityResult(
            update=update,
            tokens=tokens,
            cost=float(cost),
            duration_ms=int((time.monotonic() - started) * 1000),
        )

    async def _add_registry_tools(self, data: NodeActivityInput, request: dict[str, Any]) -> None:
        """Tools named (not specified) in the node: their specs come from the MCP registry."""
        names = request.pop("tool_names", None)
        if not names:
            return
        if self._tools is None:
            raise ApplicationError(
                "this worker has no tool registry", type="UnknownTool", non_retryable=True
            )
        available = await self._tools.function_specs(data.tenant_id, data.execution_id)
        unknown = [n for n in names if n not in available]
        if unknown:
            raise ApplicationError(
                f"unknown tools {unknown}: not active in this agent version's registry "
                f"(available: {sorted(available)})",
                type="UnknownTool",
                non_retryable=True,
            )
        request["tools"] = [*request.get("tools", []), *(available[n] for n in names)]

    async def _prepare(
        self, data: NodeActivityInput, attempt: int, request: dict[str, Any]
    ) -> tuple[LlmTarget, dict[str, Any], Reservation]:
        """The call's target and parameters, its prompt fitted to the model's window, and
        its tokens held: read and held in one transaction (one commit before the call)."""
        try:
            async with self._recorder.transaction(data.tenant_id) as session:
                target = await self._targets.resolve(data, request.get("model"), session=session)
                # The user's defaults, within the node's bounds, replace the node's own
                # values; the version's (or request's) explicit override still wins.
                user = llm_node.user_param_values(data.config, data.user_model_params)
                params = model_params(target, request, {**user, **data.model_params_override})
                # Within the model's window (earlier chat turns loaded if they fit): what is
                # held below is what is sent.
                request["messages"] = await fitted_messages(
                    data,
                    request,
                    model=target.model,
                    max_output_tokens=int(params["max_tokens"]),
                    sessions=lambda _tenant: nullcontext(session),
                )
                needed = prompt_tokens(target.model, request) + int(params["max_tokens"])
                reservation = await self._quota.reserve(
                    data,
                    attempt=attempt,
                    model=target.model,
                    tokens=needed,
                    session=session,
                    **_payer(target),
                )
        except BudgetExhausted as exc:  # refused: the transaction rolled back, nothing held
            reservation = await self._wait_and_ask_again(data, attempt, target, needed, exc)
        return target, params, reservation

    async def _wait_and_ask_again(
        self,
        data: NodeActivityInput,
        attempt: int,
        target: LlmTarget,
        needed: int,
        refused: BudgetExhausted,
    ) -> Reservation:
        # The run waits (its row, the node's record, its user's notice), then asks once
        # more: a raise committed before the row was visible woke no one, and this second
        # ask sees it.
        async with self._recorder.transaction(data.tenant_id) as session:
            await record_budget_wait(session, data, refused)
            await self._recorder.finished(
                data, status="waiting", output=None, error=str(refused), session=session
            )
        try:
            return await self._quota.reserve(
                data, attempt=attempt, model=target.model, tokens=needed, **_payer(target)
            )
        except BudgetExhausted as exc:
            record_llm_quota_rejection(data.tenant_id)
            raise ApplicationError(
                str(exc), exc.details(), type=BUDGET_EXHAUSTED, non_retryable=True
            ) from None

    async def _wake_budget_waiters(self, reservation: Reservation) -> None:
        """Runs waiting on a budget this call held may fit now: it gave back tokens."""
        try:
            await wake_waiters(self._recorder.database, reservation)
        except Exception as exc:  # never the node's failure: their timers still wake them
            logger.warning("runs waiting for budget not woken: %s", exc)

    async def _call(
        self,
        target: LlmTarget,
        request: dict[str, Any],
        params: dict[str, Any],
        data: NodeActivityInput,
        attempt: int,
    ) -> dict[str, Any]:
        async with self._recorder.run_events(data) as events, heartbeating():
            if attempt > 1:
                events.publish(EVENT_RETRYING, node=data.node_name, attempt=attempt)
            if attempt > 1 or data.rescheduled:
                # Deltas of the failed attempt (or of a scheduling an outage stopped; the
                # workflow said why it waited) are void: tell clients to discard them.
                events.publish(EVENT_RESET, node=data.node_name)
            return await self._stream(target, request, params, data, events)

    async def _fail(self, data: NodeActivityInput, target: LlmTarget, exc: Exception) -> None:
        message = scrub(str(exc), target.api_key)
        logger.warning("%s failed: %s: %s", target.model, type(exc).__name__, message)
        if activity.is_cancelled():
            # The run was stopped: whatever failed on the way out (the last event flush to a
            # workflow that has already ended) is not the node's failure.
            await self._recorder.finished(data, status="cancelled", output=None, error=None)
            raise exc
        await self._recorder.finished(data, status="failed", output=None, error=message)
        if _refused_by_policy(exc):
            # The provider's name now points somewhere the policy forbids: retrying the
            # same name cannot help, and the admin must see why.
            raise ApplicationError(message, type=REFUSED_URL, non_retryable=True) from None
        if isinstance(exc, NON_RETRYABLE):
            raise ApplicationError(message, type=type(exc).__name__, non_retryable=True) from None
        if message != str(exc):
            # The provider echoed the key: never let it into history or logs.
            raise ApplicationError(message, type=type(exc).__name__) from None

    async def _stream(
        self,
        target: LlmTarget,
        request: dict[str, Any],
        params: dict[str, Any],
        data: NodeActivityInput,
        events: RunEvents,
    ) -> dict[str, Any]:
        extra = {
            k: request[k] for k in ("tools", "tool_choice", "response_format") if request.get(k)
        }
        stream = await litellm.acompletion(
            model=target.model,
            messages=request["messages"],
            stream=True,
            stream_options={"include_usage": True},
            num_retries=0,  # Temporal owns retries
            **target.call_kwargs(),
            **params,
            **extra,
        )
        reply = StreamedReply()
        chunks_with_text = 0
        # A reply that only fills an output key (a proposal, a classification) is a step of
        # the run, not words for the user: clients keep it out of the chat bubble.
        audience = "user" if llm_node.speaks_to_user(data.config) else "internal"
        async for chunk in taking_turns(stream):
            delta = reply.add(chunk)
            if delta:
                fields: dict[str, Any] = {"content": delta, "type": "text", "node": data.node_name}
                if chunks_with_text:
                    events.publish(EVENT_MESSAGE, **fields, audience=audience)
                else:
                    # The first token is written before the next chunk is read (time to
                    # first token is what users feel; a fast provider's later chunks would
                    # keep the event loop from it); the rest ride the batches.
                    await events.publish_now(EVENT_MESSAGE, **fields, audience=audience)
                chunks_with_text += 1
        return {**reply.result(request["messages"]), "model": target.model}


def _payer(target: LlmTarget) -> dict[str, Any]:
    """A user's own key pays: their usage is charged, not the tenant's quota."""
    return {"personal_key_owner": target.personal_key_owner} if target.personal_key_owner else {}


def _refused_by_policy(exc: BaseException) -> bool:
    """Whether the pinned client refused the connection (litellm wraps the refusal)."""
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 8:
        if isinstance(current, UnsafeOutboundUrl):
            return True
        current, seen = current.__cause__ or current.__context__, seen + 1
    return False


def model_params(
    target: LlmTarget, request: dict[str, Any], override: dict[str, Any] | None
) -> dict[str, Any]:
    """Service presets < the node's own settings < the version's (and request's) override.

    A node parameter still at the node type's default yields to the service's preset.
    """
    params: dict[str, Any] = {}
    for name in MODEL_PARAMS:
        node_value = request.get(name)
        preset = target.params.get(name)
        at_default = node_value == llm_node.DEFAULT_CONFIG.get(name)
        value = preset if preset is not None and (node_value is None or at_default) else node_value
        if value is not None:
            params[name] = value
    params.update({k: v for k, v in (override or {}).items() if v is not None})
    params["max_tokens"] = int(
        params.get("max_tokens") or target.max_output_tokens or DEFAULT_MAX_OUTPUT_TOKENS
    )
    return params


def prompt_tokens(model: str, request: dict[str, Any]) -> int:
    """The prompt's size in tokens as litellm counts it (a generous estimate if it cannot)."""
    try:
        return int(
            litellm.token_counter(
                model=model, messages=request["messages"], tools=request.get("tools")
            )
        )
    except Exception:  # unknown tokenizers: about three characters per token, rounded up
        text = json.dumps([request["messages"], request.get("tools")], default=str)
        return len(text) // 3 + 1


def _cost(target: LlmTarget, usage: dict[str, Any]) -> Decimal:
    """The service's own prices if set, else litellm's (local) cost map; unknown models: 0."""
    prompt = int(usage.get("prompt_tokens") or 0)
    completion = int(usage.get("completion_tokens") or 0)
    if target.input_cost_per_token is not None and target.output_cost_per_token is not None:
        return prompt * target.input_cost_per_token + completion * target.output_cost_per_token
    try:
        costs = litellm.cost_per_token(
            model=target.model, prompt_tokens=prompt, completion_tokens=completion
        )
    except Exception:  # litellm raises a bare Exception for unmapped models
        return Decimal(0)
    return Decimal(str(costs[0])) + Decimal(str(costs[1]))


@asynccontextmanager
async def heartbeating(
    details: Callable[[], Sequence[Any]] = tuple,
) -> AsyncIterator[None]:
    """Heartbeat while the body runs: a slow first token must not look like a dead worker.

    Each heartbeat carries ``details()``: a heartbeat replaces the details of the one
    before, so an activity that keeps progress there must hand it to every beat.
    """
    timeout = activity.info().heartbeat_timeout
    interval = HEARTBEAT_EVERY_SECONDS
    if timeout:
        interval = min(interval, max(timeout.total_seconds() / 3, 0.1))

    async def beat() -> None:
        while True:
            activity.heartbeat(*details())
            await asyncio.sleep(interval)

    task = asyncio.create_task(beat())
    try:
        yield
    finally:
        task.cancel()
