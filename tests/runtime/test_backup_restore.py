"""Back up a running `agentpaas dev` whose run waits for a person, restore it elsewhere, finish it.

The backup is taken while the platform serves (the run parked in Temporal, its task open
in PostgreSQL), the platform is stopped, and the backup is restored into a new data
directory. The platform started from that copy must still know the run and its task:
the reviewer completes the task through the API and the run ends with its answer stored.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers import create_agent
from tests.runtime.dev_platform import DevPlatform

MESSAGE = "please ship release 7"


def approve_then_answer() -> dict[str, Any]:
    """A reviewer approves, then the (offline scripted) model answers."""
    return {
        "state": {"messages": {"reducer": "add_messages"}, "decision": {"type": "object"}},
        "nodes": [
            {
                "name": "ask",
                "type": "human",
                "config": {
                    "instruction": "Approve: {{ last(messages).content }}?",
                    "output_key": "decision",
                },
            },
            {"name": "answer", "type": "llm", "config": {"model": "scripted/echo"}},
        ],
        "edges": [
            {"source": "__start__", "target": "ask"},
            {"source": "ask", "target": "answer"},
            {"source": "answer", "target": "__end__"},
        ],
    }


@pytest.fixture
def root() -> Iterator[Path]:
    """Data directories and the backup, outside pytest's tree (PostgreSQL's user reaches them)."""
    path = Path(tempfile.mkdtemp(prefix="agentpaas-backup-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


async def _tenant_id(admin_url: str) -> uuid.UUID:
    import asyncpg

    from platform_core.db import to_plain_url

    conn = await asyncpg.connect(to_plain_url(admin_url))
    try:
        return uuid.UUID(str(await conn.fetchval("SELECT id FROM tenants WHERE name = 'demo'")))
    finally:
        await conn.close()


async def _start_run_that_waits(platform: DevPlatform, agent_id: str) -> tuple[str, str, str]:
    """POST a chat turn and read its stream until the run waits; (execution, chat, task)."""
    admin = await platform.login("admin@demo.agentpaas.dev")
    async with (
        httpx.AsyncClient(base_url=platform.base_url, timeout=60) as http,
        http.stream(
            "POST",
            "/api/v1/chat/completions",
            json={"agent_id": agent_id, "message": MESSAGE},
            headers=admin,
        ) as response,
    ):
        assert response.status_code == 200
        event = None
        async for line in response.aiter_lines():
            if line.startswith("event: "):
                event = line.removeprefix("event: ")
            elif line.startswith("data: ") and event == "waiting_for_human":
                task_id = str(json.loads(line.removeprefix("data: "))["task_id"])
                return response.headers["X-Execution-Id"], response.headers["X-Chat-Id"], task_id
    raise AssertionError("the run ended before it waited for a person")


async def _until(check: Any, timeout: float = 90.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = await check()
        if result or time.monotonic() > deadline:
            return result
        await asyncio.sleep(0.3)


async def test_a_backup_of_a_running_platform_restores_a_run_that_waits_for_a_person(
    root: Path, tmp_path: Path
) -> None:
    original = DevPlatform(root / "data", tmp_path / "logs", name="original")
    restored = DevPlatform(root / "restored", tmp_path / "logs", name="restored")
    try:
        await original.start()
        tenant_id = await _tenant_id(original.admin_url)
        agent_id = await create_agent(
            original.admin_url, tenant_id, approve_then_answer(), name="backup-approval"
        )
        execution_id, chat_id, task_id = await _start_run_that_waits(original, agent_id)

        backup = original.cli("backup", str(root / "backup"))
        assert backup.returncode == 0, backup.stderr
        manifest = json.loads((root / "backup" / "manifest.json").read_text())
        assert manifest["platform_was_running"] is True
        assert manifest["order"] == ["temporal", "qdrant", "postgres"]
        assert {"temporal/temporal.sqlite", "postgres/agentpaas.dump", "qdrant/meta.json"} <= set(
            manifest["files"]
        )
        assert manifest["versions"]["postgresql"].startswith("18")
        assert await original.stop() in (0, 130)

        refused = original.cli("restore", str(root / "backup"))
        assert refused.returncode == 2 and "not empty" in refused.stderr
        restore = restored.cli("restore", str(root / "backup"))
        assert restore.returncode == 0, restore.stderr + restore.stdout

        await restored.start()
        reviewer = await restored.login("reviewer@demo.agentpaas.dev")
        admin = await restored.login("admin@demo.agentpaas.dev")
        async with httpx.AsyncClient(base_url=restored.base_url, timeout=60) as http:
            inbox = await http.get("/api/v1/reviews/tasks", headers=reviewer)
            assert task_id in {t["task_id"] for t in inbox.json()["items"]}, inbox.text
            completed = await http.post(
                f"/api/v1/reviews/tasks/{task_id}/complete",
                json={"input": {"approved": True}},
                headers=reviewer,
            )
            assert completed.status_code == 200, completed.text

            async def finished() -> dict[str, Any] | None:
                run = (await http.get(f"/api/v1/executions/{execution_id}", headers=admin)).json()
                return run if run["status"] in ("completed", "failed", "cancelled") else None

            run = await _until(finished)
            assert run is not None and run["status"] == "completed", run
            assert [n["node_name"] for n in run["nodes"]] == ["ask", "answer"]
            history = await http.get(
                "/api/v1/chat/history", params={"chat_id": chat_id}, headers=admin
            )
        answers = [m for m in history.json()["messages"] if m["role"] == "assistant"]
        assert len(answers) == 1, history.text
        assert f"You said: {MESSAGE}" in answers[0]["content"]
        assert answers[0]["workflow_execution_id"] == execution_id
    finally:
        original.close()
        restored.close()
