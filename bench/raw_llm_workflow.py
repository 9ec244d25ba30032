"""The hand-written baseline of a one-node chat run: one regular activity, one model call.

No platform around it: no rows, no quota, no events, no records. The activity (in
bench/raw_llm_worker.py, on a worker process of its own) makes the same scripted litellm
call the platform's ``llm`` node makes and consumes the stream. Nothing happens at
import: the workflow sandbox re-imports this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

LLM_CALL_ACTIVITY = "bench.raw_llm_call"


@dataclass
class LlmCall:
    """What the activity asks the model."""

    model: str
    user_text: str
    seconds_per_token: float = 0.0


@workflow.defn(name="RawLlmCall")
class RawLlmCall:
    """One regular activity with the timeouts and retries the compiler gives an llm node."""

    @workflow.run
    async def run(self, call: LlmCall) -> str:
        """Call the model once; returns its text."""
        result: str = await workflow.execute_activity(
            LLM_CALL_ACTIVITY,
            call,
            result_type=str,
            start_to_close_timeout=timedelta(seconds=120),
            heartbeat_timeout=timedelta(seconds=30),
            retry_policy=RetryPolicy(maximum_attempts=3),
        )
        return result
