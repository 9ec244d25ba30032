"""First-token latency: a chat turn through the platform vs litellm straight to the provider.

Both paths stream from the same local OpenAI-compatible server (tests/openai_server.py,
a real HTTP endpoint on a free port). "Direct" is ``litellm.acompletion(stream=True)``
with the same model, endpoint, key and parameters the platform sends; the clock stops
at the first content delta. "Platform" is ``POST /api/v1/chat/completions`` to the
real API under uvicorn, over HTTP, with a JWT: the API stores the turn, resolves the
node's ServiceConfig binding and checks the quota, starts the run on Temporal; the
worker's ``llm`` activity opens the SM4-sealed key, reserves tokens and calls the
server through litellm; the delta travels the run's event log (an append in PostgreSQL
and its notification) to the API's one listener and the SSE response. The clock stops at
the first ``event: message`` frame the client reads.

Runs alternate (direct, platform, platform, direct, …) after a warm-up. Nothing is
asserted about timings: the script prints medians and the ratio.

    .venv/bin/python bench/llm_first_token.py [--runs 30] [--warmup 3]
        [--provider-ttft 0.0] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from environment import (
    PlatformDatabase,
    create_agent,
    start_platform_database,
    start_temporal,
    work_directory,
)
from platform_processes import login, start_platform_processes
from sqlalchemy import update
from temporalio.testing import WorkflowEnvironment

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the local provider lives with the tests

from activities.litellm_setup import litellm  # noqa: E402
from agentpaas.worker import build_worker  # noqa: E402
from platform_api.app import create_app  # noqa: E402
from platform_core.db import Database  # noqa: E402
from platform_core.models import AgentVersion  # noqa: E402
from platform_core.settings import Settings, get_settings  # noqa: E402
from tests.openai_server import free_port, openai_compatible_server  # noqa: E402

API_KEY = "sk-bench-" + uuid.uuid4().hex
MODEL = "gpt-4o-mini"
MAX_TOKENS = 256
QUESTION = "What is durable execution?"


def agent_definition() -> dict[str, Any]:
    """One ``llm`` node; its model and endpoint come from the bound ServiceConfig."""
    return {
        "state": {"messages": {"reducer": "add_messages"}},
        "nodes": [{"name": "answer", "type": "llm", "config": {"max_tokens": MAX_TOKENS}}],
        "edges": [
            {"source": "__start__", "target": "answer"},
            {"source": "answer", "target": "__end__"},
        ],
    }


async def direct_first_token(base_url: str) -> float:
    """Seconds from the call to the first content delta, litellm straight to the server."""
    started = time.perf_counter()
    first = None
    stream = await litellm.acompletion(
        model=f"openai/{MODEL}",
        messages=[
            {"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": QUESTION},
        ],
        stream=True,
        stream_options={"include_usage": True},
        num_retries=0,
        api_base=base_url,
        api_key=API_KEY,
        temperature=0.7,
        max_tokens=MAX_TOKENS,
    )
    async for chunk in stream:
        if first is None and chunk.choices and chunk.choices[0].delta.content:
            first = time.perf_counter() - started
    if first is None:
        raise RuntimeError("the direct stream had no content")
    return first


async def platform_first_token(
    http: httpx.AsyncClient, token: str, agent_id: str
) -> tuple[float, float]:
    """Seconds from the request to the response headers (the API's part: the run is
    started) and to the first ``message`` SSE frame, through the platform."""
    started = time.perf_counter()
    first = None
    async with http.stream(
        "POST",
        "/api/v1/chat/completions",
        json={"agent_id": agent_id, "message": QUESTION},
        headers={"Authorization": f"Bearer {token}"},
    ) as response:
        headers = time.perf_counter() - started
        if response.status_code != 200:
            raise RuntimeError(f"chat turn failed: {response.status_code} {await response.aread()}")
        lines: list[str] = []
        async for line in response.aiter_lines():
            lines.append(line)
            if first is None and line == "event: message":
                first = time.perf_counter() - started
            if line.startswith("event: done"):
                break
    if first is None:
        raise RuntimeError(f"the platform stream had no message event: {lines[-6:]}")
    return headers, first


async def bind(admin_url: str, agent_id: str, config_id: int) -> None:
    """Point the agent version's ``answer`` node at the service config."""
    owner = Database(admin_url, connections=2)
    try:
        async with owner.system_session() as session:
            await session.execute(
                update(AgentVersion)
                .where(AgentVersion.agent_id == uuid.UUID(agent_id))  # type: ignore[arg-type]
                .values(service_dependencies={"answer": {"llm_service": config_id}})
            )
    finally:
        await owner.dispose()


async def configure(http: httpx.AsyncClient, token: str, base_url: str) -> int:
    """The provider and service config, created through the API like an admin would."""
    headers = {"Authorization": f"Bearer {token}"}
    provider = await http.post(
        "/api/v1/providers",
        json={"provider_name": "local", "kind": "openai_compatible", "base_url": base_url},
        headers=headers,
    )
    provider.raise_for_status()
    config = await http.post(
        "/api/v1/service-configs",
        json={
            "provider_id": provider.json()["provider_id"],
            "service_name": "local-chat",
            "model": MODEL,
            "api_key": API_KEY,
        },
        headers=headers,
    )
    config.raise_for_status()
    return int(config.json()["config_id"])


def summary(values: list[float]) -> dict[str, float]:
    """Median, p90, min and max in milliseconds."""
    ms = sorted(v * 1000 for v in values)
    p90 = statistics.quantiles(ms, n=10, method="inclusive")[8] if len(ms) > 1 else ms[0]
    return {"median": statistics.median(ms), "p90": p90, "min": ms[0], "max": ms[-1]}


@contextlib.asynccontextmanager
async def platform_in_one_process(
    workdir: Path, db: PlatformDatabase, env: WorkflowEnvironment
) -> AsyncIterator[str]:
    """The API under uvicorn and the worker in this process (as ``agentpaas dev`` runs
    them); yields the API's URL."""
    # The worker reads its settings from the environment: the same allow-list for it.
    os.environ["AGENTPAAS_OUTBOUND_ALLOW_LIST"] = "127.0.0.1"
    get_settings.cache_clear()
    settings = Settings(
        data_dir=workdir,
        temporal_task_queue=f"bench-{uuid.uuid4().hex[:8]}",
        # The scripted provider listens on loopback, which the SSRF rules refuse otherwise.
        outbound_allow_list=["127.0.0.1"],
    )
    app = create_app(
        settings,
        database_url=db.app.url,
        temporal_address=env.client.service_client.config.target_host,
        temporal_client=env.client,
        ui_dist=None,
    )
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    serving = asyncio.create_task(server.serve())
    try:
        while not server.started:
            await asyncio.sleep(0.02)
        async with build_worker(env.client, db.app, settings.temporal_task_queue):
            yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await serving


@contextlib.asynccontextmanager
async def platform_in_processes(
    workdir: Path, db: PlatformDatabase, env: WorkflowEnvironment
) -> AsyncIterator[str]:
    """`agentpaas api` and `agentpaas worker` as processes of their own (as deployed);
    yields the API's URL. Only the topology differs from the one-process mode: the API
    keeps its default rate limits, and both allow the provider's loopback address."""
    allow = {"AGENTPAAS_OUTBOUND_ALLOW_LIST": "127.0.0.1"}
    defaults = Settings()
    processes = await start_platform_processes(
        workdir,
        db,
        env.client.service_client.config.target_host,
        worker_settings=allow,
        AGENTPAAS_RATE_LIMIT_PER_CREDENTIAL=str(defaults.rate_limit_per_credential),
        AGENTPAAS_RATE_LIMIT_PER_IP=str(defaults.rate_limit_per_ip),
        **allow,
    )
    try:
        yield processes.api_url
    finally:
        processes.stop()


TOPOLOGIES = {"one-process": platform_in_one_process, "processes": platform_in_processes}


async def main(args: argparse.Namespace) -> dict[str, Any]:
    """Start everything, measure, and report."""
    workdir = work_directory()
    db = await start_platform_database(workdir)
    env = await start_temporal()
    direct: list[float] = []
    platform: list[float] = []
    headers: list[float] = []
    try:
        with openai_compatible_server(
            API_KEY, seconds_to_first_chunk=args.provider_ttft
        ) as provider:
            async with (
                TOPOLOGIES[args.topology](workdir, db, env) as api_url,
                httpx.AsyncClient(base_url=api_url, timeout=60) as http,
            ):
                token = await login(http)
                config_id = await configure(http, token, provider.base_url)
                agent = await create_agent(db, agent_definition())
                await bind(db.admin_url, str(agent.agent_id), config_id)
                for _ in range(args.warmup):
                    await direct_first_token(provider.base_url)
                    await platform_first_token(http, token, str(agent.agent_id))
                for round_no in range(args.runs):
                    order = ("direct", "platform") if round_no % 2 == 0 else ("platform", "direct")
                    for path in order:
                        if path == "direct":
                            direct.append(await direct_first_token(provider.base_url))
                        else:
                            head, first = await platform_first_token(
                                http, token, str(agent.agent_id)
                            )
                            headers.append(head)
                            platform.append(first)
                calls = provider.calls
    finally:
        await env.shutdown()
        await db.app.dispose()
    report = {
        "runs": args.runs,
        "topology": args.topology,
        "provider_ttft_s": args.provider_ttft,
        "provider_calls": calls,
        "direct_ms": summary(direct),
        "platform_ms": summary(platform),
        "platform_headers_ms": summary(headers),
    }
    report["ratio_median"] = report["platform_ms"]["median"] / report["direct_ms"]["median"]
    report["added_ms_median"] = report["platform_ms"]["median"] - report["direct_ms"]["median"]
    return report


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="measured runs of each path")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured runs of each path")
    parser.add_argument(
        "--provider-ttft",
        type=float,
        default=0.0,
        help="seconds the local provider waits before its first chunk (a real model's)",
    )
    parser.add_argument(
        "--topology",
        choices=sorted(TOPOLOGIES),
        default="one-process",
        help="the API and worker in this process (as `agentpaas dev`) or in their own",
    )
    parser.add_argument("--json", type=Path, help="also write the report here")
    return parser.parse_args(argv)


def print_report(report: dict[str, Any]) -> None:
    """The table and the ratio."""
    print(
        f"first-token latency ({report['topology']}), {report['runs']} runs each, provider TTFT "
        f"{report['provider_ttft_s'] * 1000:.0f} ms ({report['provider_calls']} provider calls)"
    )
    print("headers = the platform's response headers: turn stored, run started")
    print(f"{'path':<10}{'median':>10}{'p90':>10}{'min':>10}{'max':>10}   (ms)")
    rows = (
        ("direct_ms", "direct"),
        ("platform_headers_ms", "headers"),
        ("platform_ms", "platform"),
    )
    for key, label in rows:
        row = report[key]
        print(
            f"{label:<10}{row['median']:>10.1f}{row['p90']:>10.1f}"
            f"{row['min']:>10.1f}{row['max']:>10.1f}"
        )
    print(
        f"ratio platform / direct (medians): {report['ratio_median']:.3f}x "
        f"(+{report['added_ms_median']:.0f} ms)"
    )


if __name__ == "__main__":
    arguments = parse_args()
    result = asyncio.run(main(arguments))
    print_report(result)
    if arguments.json:
        arguments.json.write_text(json.dumps(result, indent=2))
