"""SSE resume: a client that drops mid-run and reconnects with Last-Event-ID misses nothing
and sees nothing twice. Runs the API under a real uvicorn server so the stream is real."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx

from activities.scripted_llm import ScriptedReply, register_script
from tests.helpers import Platform, create_agent, one_llm_node, parse_sse, serve


async def _frames(response: httpx.Response, limit: int | None) -> list[dict[str, Any]]:
    frames: list[dict[str, Any]] = []
    block: list[str] = []
    async for line in response.aiter_lines():
        if line:
            block.append(line)
            continue
        if block and not all(b.startswith(":") for b in block):
            frames.extend(parse_sse("\n".join(block)))
        block = []
        if limit is not None and len(frames) >= limit:
            break
    return frames


async def test_reconnect_with_last_event_id_resumes_exactly(
    platform: Platform, admin_token: str, database_urls: Any
) -> None:
    script = f"long-{uuid.uuid4().hex[:6]}"
    register_script(
        script,
        lambda m, p: ScriptedReply(
            text=" ".join(f"w{i}" for i in range(40)), seconds_per_token=0.05
        ),
    )
    agent_id = await create_agent(
        database_urls.admin_url, platform.seeded.tenant_id, one_llm_node(f"scripted/{script}")
    )
    headers = {"Authorization": f"Bearer {admin_token}"}
    async with (
        serve(platform, database_urls.app_url) as base,
        httpx.AsyncClient(base_url=base, timeout=60) as client,
    ):
        async with client.stream(
            "POST",
            "/api/v1/chat/completions",
            json={"agent_id": agent_id, "message": "stream long"},
            headers=headers,
        ) as response:
            execution_id = response.headers["X-Execution-Id"]
            first = await _frames(response, limit=5)  # then drop the connection mid-run
        assert first[-1]["event"] != "done"
        last_id = first[-1]["id"]
        async with client.stream(
            "GET",
            f"/api/v1/executions/{execution_id}/events",
            headers={**headers, "Last-Event-ID": str(last_id)},
        ) as resumed:
            rest = await _frames(resumed, limit=None)
        async with client.stream(
            "GET", f"/api/v1/executions/{execution_id}/events", headers=headers
        ) as whole:
            everything = await _frames(whole, limit=None)

    ids = [int(f["id"]) for f in first + rest]
    assert ids == [int(f["id"]) for f in everything]  # union = full sequence, each once
    assert len(set(ids)) == len(ids)
    assert rest[-1]["event"] == "done"
    text = "".join(f["data"]["content"] for f in first + rest if f["event"] == "message")
    assert text == " ".join(f"w{i}" for i in range(40))
    assert json.loads(json.dumps(rest[-1]["data"]))["answer"] == text
