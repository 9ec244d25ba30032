"""The admin's "test connection": one tiny completion through a service config.

It resolves the config exactly as an ``llm`` node does (sealed key opened here, the
provider URL checked against the outbound policy), asks for one token, and turns what
went wrong into a sentence an admin can act on instead of a provider's stack trace.
"""

from __future__ import annotations

import time
from typing import Any

import litellm
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities import llm_targets
from activities.llm_targets import LlmTargets
from platform_core.tool_credentials import scrub
from temporal_workflows import contracts as c

PROBE_TIMEOUT_SECONDS = 20.0
MAX_DETAIL_CHARS = 300


# Why a test failed, as a stable code the UI translates (ServiceProbeResult.reason).
UNAUTHORIZED = "unauthorized"
MODEL_NOT_FOUND = "model_not_found"
RATE_LIMITED = "rate_limited"
TIMEOUT = "timeout"
UNREACHABLE = "unreachable"
REFUSED_ADDRESS = "refused_address"
CONFIG_UNAVAILABLE = "config_unavailable"
OTHER = "other"
# The config could not be resolved: the resolver's ApplicationError type -> reason.
_RESOLVE_REASONS = {
    llm_targets.REFUSED_URL: REFUSED_ADDRESS,
    llm_targets.UNREACHABLE: UNREACHABLE,
    "ServiceConfigUnavailable": CONFIG_UNAVAILABLE,
}


def failure_of(
    exc: BaseException, api_base: str | None, api_key: str | None
) -> tuple[str, str, dict[str, Any]]:
    """(reason code, plain English sentence, the values it names) for a failed call.

    The sentence is the provider's own text, shortened; providers echo what they were
    sent, the key included, so the key is masked.
    """
    text = scrub(str(exc), api_key).strip()
    detail = text.splitlines()[0][:MAX_DETAIL_CHARS] if text else ""
    where = api_base or "the provider"
    params: dict[str, Any] = {"detail": detail, "where": api_base or ""}
    if isinstance(exc, litellm.AuthenticationError):
        return UNAUTHORIZED, f"the provider refused the API key ({detail})", params
    if isinstance(exc, litellm.NotFoundError):
        return MODEL_NOT_FOUND, f"the provider does not know this model ({detail})", params
    if isinstance(exc, litellm.RateLimitError):
        message = "the provider is limiting requests right now; try again in a minute"
        return RATE_LIMITED, message, params
    if isinstance(exc, litellm.Timeout):
        seconds = int(PROBE_TIMEOUT_SECONDS)
        message = f"no answer from {where} within {PROBE_TIMEOUT_SECONDS:.0f} seconds"
        return TIMEOUT, message, {**params, "seconds": seconds}
    # litellm reports a refused connection as an InternalServerError saying "Connection error".
    if isinstance(exc, litellm.APIConnectionError) or "connection error" in text.lower():
        return UNREACHABLE, f"could not connect to {where} ({detail})", params
    detail = detail or type(exc).__name__
    return OTHER, f"the call failed: {detail}", {**params, "detail": detail}


def plain_reason(exc: BaseException, api_base: str | None, api_key: str | None) -> str:
    """What a failed call means, in plain words (see `failure_of`)."""
    return failure_of(exc, api_base, api_key)[1]


def resolve_failure(exc: ApplicationError) -> c.ServiceProbeResult:
    """The result when the config itself cannot be used (gone, refused address, no DNS)."""
    reason = _RESOLVE_REASONS.get(exc.type or "", OTHER)
    return c.ServiceProbeResult(
        ok=False, message=exc.message, model="", reason=reason, params={"detail": exc.message}
    )


class ServiceProbeActivities:
    """Built once by the worker with the same target resolver the ``llm`` nodes use."""

    def __init__(self, targets: LlmTargets) -> None:
        self._targets = targets

    @activity.defn(name=c.PROBE_SERVICE_CONFIG_ACTIVITY)
    async def probe(self, params: c.ServiceProbeInput) -> c.ServiceProbeResult:
        """Make one one-token call; never raises for a provider's refusal, only reports it."""
        try:
            target = await self._targets.resolve_config(params.tenant_id, params.config_id)
        except ApplicationError as exc:
            return resolve_failure(exc)
        started = time.monotonic()
        try:
            await litellm.acompletion(
                model=target.model,
                messages=[{"role": "user", "content": "ping"}],
                max_tokens=1,
                num_retries=0,
                timeout=PROBE_TIMEOUT_SECONDS,
                **target.call_kwargs(),
            )
        except Exception as exc:  # every provider failure becomes a sentence for the admin
            reason, message, found = failure_of(exc, target.api_base, target.api_key)
            return c.ServiceProbeResult(
                ok=False, message=message, model=target.model, reason=reason, params=found
            )
        latency_ms = int((time.monotonic() - started) * 1000)
        return c.ServiceProbeResult(
            ok=True, message="the provider answered", model=target.model, latency_ms=latency_ms
        )
