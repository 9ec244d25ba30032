"""The hand-written baseline's worker, run as its own process (like the platform's worker).

    .venv/bin/python bench/raw_llm_worker.py --address 127.0.0.1:7233 --task-queue Q

It logs "raw worker polling <queue>" once it polls, and runs until SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from pathlib import Path

from raw_llm_workflow import LLM_CALL_ACTIVITY, LlmCall, RawLlmCall
from temporalio import activity
from temporalio.client import Client
from temporalio.worker import Worker

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from activities.litellm_setup import litellm, register_scripted_model  # noqa: E402

SYSTEM_PROMPT = "You are a helpful assistant."  # the llm node type's default


@activity.defn(name=LLM_CALL_ACTIVITY)
async def llm_call(call: LlmCall) -> str:
    """Stream the scripted model's answer (as the platform's llm node calls it) and join it."""
    stream = await litellm.acompletion(
        model=call.model,
        messages=[
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": call.user_text},
        ],
        stream=True,
        stream_options={"include_usage": True},
        num_retries=0,  # Temporal owns retries
        temperature=0.7,
        scripted_latency=call.seconds_per_token,
    )
    parts: list[str] = []
    async for chunk in stream:
        delta = chunk.choices[0].delta.content if chunk.choices else None
        if delta:
            parts.append(delta)
    return "".join(parts)


async def serve(address: str, task_queue: str) -> None:
    """Poll ``task_queue`` until told to stop."""
    register_scripted_model()
    client = await Client.connect(address)
    worker = Worker(
        client,
        task_queue=task_queue,
        workflows=[RawLlmCall],
        activities=[llm_call],
        # As the platform's worker keeps them (agentpaas/worker.build_worker).
        max_cached_workflows=1000,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with worker:
        # The start-up line the benchmark waits for.
        print(f"raw worker polling {task_queue}", flush=True)
        await stop.wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--address", required=True)
    parser.add_argument("--task-queue", required=True)
    arguments = parser.parse_args()
    asyncio.run(serve(arguments.address, arguments.task_queue))
