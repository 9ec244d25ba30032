"""Ctrl-C then `agentpaas dev` again at once: the second start serves, on the same ports."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.runtime.dev_platform import DevPlatform

TIME_WAIT = "06"  # the state column of /proc/net/tcp


def ports_in_time_wait() -> set[int]:
    """Local ports of IPv4 TCP sockets in TIME_WAIT."""
    ports = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[3] == TIME_WAIT:
            ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


@pytest.fixture
def dev_platform(tmp_path: Path) -> Iterator[DevPlatform]:
    """A platform on a data directory outside pytest's tree (PostgreSQL's user must reach it)."""
    root = Path(tempfile.mkdtemp(prefix="agentpaas-restart-"))
    platform = DevPlatform(root / "data", tmp_path / "logs")
    try:
        yield platform
    finally:
        platform.close()
        shutil.rmtree(root, ignore_errors=True)


async def test_dev_serves_again_right_after_ctrl_c(dev_platform: DevPlatform) -> None:
    await dev_platform.start()
    # A browser's keep-alive connection: on Ctrl-C the server closes it first, so the
    # TIME_WAIT it leaves is on the API's own port, the case that blocked restarts.
    async with httpx.AsyncClient(base_url=dev_platform.base_url, timeout=10) as client:
        assert (await client.get("/api/v1/health")).status_code == 200
        exit_code = await dev_platform.stop()
    stopped_at = time.monotonic()
    assert exit_code in (0, 130), dev_platform.child.tail()
    guarded = {dev_platform.api_port, dev_platform.temporal_port}
    assert guarded & ports_in_time_wait(), "the stop left nothing in TIME_WAIT to test with"

    await dev_platform.start()
    assert time.monotonic() - stopped_at < 120
    async with httpx.AsyncClient(base_url=dev_platform.base_url, timeout=10) as client:
        health = await client.get("/api/v1/health")
    assert health.status_code == 200
    assert health.json()["status"] == "ok"
    second_start = dev_platform.child.log.read_text().rsplit("=== start dev", 1)[-1]
    assert "already in use" not in second_start
