"""The admin's "test connection": one tiny completion through a service config.

It resolves the config exactly as an ``llm`` node does (sealed key opened here, the
provider URL checked against the outbound policy), asks for one token, and turns what
went wrong into a sentence an admin can act on instead of a provider's stack trace.
"""

from __future__ import annotations

import time

import litellm
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.llm_targets import LlmTargets
from platform_core.tool_credentials import scrub
from temporal_workflows import contracts as c

PROBE_TIMEOUT_SECONDS = 20.0
MAX_DETAIL_CHARS = 300


def plain_reason(exc: BaseException, api_base: str | None, api_key: str | None) -> str:
    """What a failed call means, in plain words (the provider's own text, shortened).

    Providers echo what they were sent, the key included, so the key is masked.
    """
    text = scrub(str(exc), api_key).strip()
    detail = text.splitlines()[0][:MAX_DETAIL_CHARS] if text else ""
    where = api_base or "the provider"
    if isinstance(exc, litellm.AuthenticationError):
        return f"the provider refused the API key ({detail})"
    if isinstance(exc, litellm.NotFoundError):
        return f"the provider does not know this model ({detail})"
    if isinstance(exc, litellm.RateLimitError):
        return "the provider is limiting requests right now; try again in a minute"
    if isinstance(exc, litellm.Timeout):
        return f"no answer from {where} within {PROBE_TIMEOUT_SECONDS:.0f} seconds"
    # litellm reports a refused connection as an InternalServerError saying "Connection error".
    if isinstance(exc, litellm.APIConnectionError) or "connection error" in text.lower():
        return f"could not connect to {where} ({detail})"
    return f"the call failed: {detail or type(exc).__name__}"


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
            return c.ServiceProbeResult(ok=False, message=exc.message, model="")
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
            return c.ServiceProbeResult(
                ok=False,
                message=plain_reason(exc, target.api_base, target.api_key),
                model=target.model,
            )
        latency_ms = int((time.monotonic() - started) * 1000)
        return c.ServiceProbeResult(
            ok=True, message="the provider answered", model=target.model, latency_ms=latency_ms
        )
