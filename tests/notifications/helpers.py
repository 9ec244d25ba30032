"""Shared pieces of the notification tests: people of the demo tenant and polling."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from platform_api.auth.passwords import hash_password
from platform_core.db import Database
from platform_core.models import User
from tests.helpers import DEMO_PASSWORD

T = TypeVar("T")


async def add_user(
    admin_url: str, tenant_id: uuid.UUID, role: str, preferences: dict[str, Any] | None = None
) -> tuple[uuid.UUID, str]:
    """A new user of ``role`` in the tenant (as the table owner); returns id and e-mail."""
    email = f"{role}-{uuid.uuid4().hex[:8]}@notify.agentpaas.dev"
    database = Database(admin_url, connections=2)
    user = User(
        tenant_id=tenant_id,
        email=email,
        display_name=f"Notified {role}",
        role=role,
        password_hash=await hash_password(DEMO_PASSWORD, 4),
        preferences=preferences or {},
    )
    async with database.system_session() as session:
        session.add(user)
    await database.dispose()
    return user.id, email


async def eventually(
    probe: Callable[[], Awaitable[T | None]], *, seconds: float = 30.0, every: float = 0.2
) -> T:
    """The first non-empty answer of ``probe`` within ``seconds`` (fails the test otherwise)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        answer = await probe()
        if answer:
            return answer
        assert asyncio.get_running_loop().time() < deadline, "timed out waiting"
        await asyncio.sleep(every)
