"""A run waiting on a person survives a worker restart and a Temporal server restart."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from pathlib import Path
from typing import Any

import httpx

from agentpaas.runtime.ports import free_port
from agentpaas.runtime.temporal_server import TemporalDevServer
from agentpaas.worker import build_worker
from platform_api.app import create_app
from platform_core.db import Database
from platform_core.settings import Settings
from temporal_workflows.client import connect_temporal
from tests.helpers import Platform, approval_agent, create_agent, stream_turn, wait_for_open_task


def _app(settings: Settings, database_url: str, server: TemporalDevServer, client: Any) -> Any:
    return create_app(
        settings,
        database_url=database_url,
        temporal_address=server.address,
        temporal_client=client,
        ui_dist=None,
    )


async def test_waiting_run_survives_worker_and_server_restarts(
    platform: Platform, admin_token: str, database_urls: Any, app_db: Database, tmp_path: Path
) -> None:
    settings = platform.settings.model_copy(
        update={"temporal_task_queue": f"restart-{uuid.uuid4().hex[:8]}"}
    )
    server = TemporalDevServer(tmp_path / "temporal.sqlite", port=free_port(), ui_port=free_port())
    log = tmp_path / "temporal.log"
    agent_id = await create_agent(
        database_urls.admin_url, platform.seeded.tenant_id, approval_agent()
    )
    headers = {"Authorization": f"Bearer {admin_token}"}
    await asyncio.to_thread(server.start, log)
    try:
        client = await connect_temporal(server.address)
        app = _app(settings, database_urls.app_url, server, client)
        async with (
            build_worker(client, app_db, settings.temporal_task_queue),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://first"
            ) as api,
        ):
            turn = asyncio.create_task(
                stream_turn(api, admin_token, {"agent_id": agent_id, "message": "migrate db"})
            )
            task = await wait_for_open_task(api, admin_token, agent_id=agent_id)
            turn.cancel()  # the first API's stream dies with its server; that is fine
            with contextlib.suppress(BaseException):
                await turn
        # The worker is gone; now the server goes too, and comes back on the same file.
        await asyncio.to_thread(server.stop)
        await asyncio.to_thread(server.start, log)

        client = await connect_temporal(server.address)
        app = _app(settings, database_urls.app_url, server, client)
        async with (
            build_worker(client, app_db, settings.temporal_task_queue),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://second"
            ) as api,
        ):
            progress = await api.get(
                f"/api/v1/executions/{task['execution_id']}/progress", headers=headers
            )
            assert progress.status_code == 200
            assert progress.json()["open_tasks"] == [task["task_id"]]
            done = await api.post(
                f"/api/v1/reviews/tasks/{task['task_id']}/complete",
                json={"input": {"approved": True}},
                headers=headers,
            )
            assert done.status_code == 200, done.text
            for _ in range(200):
                execution = (
                    await api.get(f"/api/v1/executions/{task['execution_id']}", headers=headers)
                ).json()
                if execution["status"] == "completed":
                    break
                await asyncio.sleep(0.1)
        assert execution["status"] == "completed"
        assert execution["final_result"]["answer"] == "approved"
        assert {n["node_name"]: n["status"] for n in execution["nodes"]} == {
            "ask": "completed",
            "approved": "completed",
        }
    finally:
        await asyncio.to_thread(server.stop)
