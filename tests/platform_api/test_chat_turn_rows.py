"""A chat turn's rows go in one statement (``chats/turn_rows.py``): all of them or none.

A turn refused by the chat's one-active-run rule leaves no message behind, and the chat's
``updated_at`` is not moved; a regenerated turn links the user's message to its new run.
The newest message a turn attaches to and the window of its branch are one read too.
"""

from __future__ import annotations

import uuid

import asyncpg

from platform_api.chats import window
from platform_core.db import to_plain_url
from platform_core.models import ChatMessage
from tests.helpers import Platform, stream_turn


async def _open_chat(platform: Platform, headers: dict[str, str]) -> uuid.UUID:
    """An empty chat of the demo agent, opened through the API."""
    opened = await platform.client.post(
        "/api/v1/chats", json={"agent_id": str(platform.seeded.agent_id)}, headers=headers
    )
    assert opened.status_code == 201, opened.text
    return uuid.UUID(opened.json()["id"])


async def test_a_turn_refused_for_a_running_chat_writes_nothing(
    platform: Platform, admin_token: str, database_urls: object
) -> None:
    headers = {"Authorization": f"Bearer {admin_token}"}
    chat_id = await _open_chat(platform, headers)
    owner = await asyncpg.connect(to_plain_url(database_urls.admin_url))  # type: ignore[attr-defined]
    try:
        # A run of the chat still going (as one parked on a human task would be).
        chat = await owner.fetchrow(
            "SELECT tenant_id, agent_id, agent_version_id, user_id, updated_at FROM chats "
            "WHERE id = $1",
            chat_id,
        )
        running = uuid.uuid4()
        await owner.execute(
            "INSERT INTO workflow_executions (execution_id, tenant_id, chat_id, agent_id, "
            "agent_version_id, user_id, workflow_id, thread_id, checkpointer_schema, status, "
            "input_data, total_nodes, completed_nodes, failed_nodes, tokens_consumed, "
            "cost_estimate, started_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 'temporal', "
            "'running', '{}', 0, 0, 0, 0, 0, now())",
            running,
            chat["tenant_id"],
            chat_id,
            chat["agent_id"],
            chat["agent_version_id"],
            chat["user_id"],
            f"exec-{running}",
        )
        refused = await platform.client.post(
            "/api/v1/chat/completions",
            json={"chat_id": str(chat_id), "message": "are you there?"},
            headers=headers,
        )
        assert refused.status_code == 409, refused.text
        assert "run in progress" in refused.json()["detail"]
        messages = await owner.fetchval(
            "SELECT count(*) FROM chat_messages WHERE chat_id = $1", chat_id
        )
        runs = await owner.fetchval(
            "SELECT count(*) FROM workflow_executions WHERE chat_id = $1", chat_id
        )
        updated_at = await owner.fetchval("SELECT updated_at FROM chats WHERE id = $1", chat_id)
    finally:
        await owner.close()
    assert (messages, runs) == (0, 1)
    assert updated_at == chat["updated_at"]


async def test_a_regenerated_turn_links_the_message_to_its_new_run(
    platform: Platform, admin_token: str
) -> None:
    first, _ = await stream_turn(
        platform.client, admin_token, {"agent": "Assistant", "message": "say it twice"}
    )
    chat_id, message_id = first.headers["X-Chat-Id"], first.headers["X-Message-Id"]
    again, frames = await stream_turn(
        platform.client,
        admin_token,
        {"chat_id": chat_id, "regenerate_message_id": message_id},
    )
    assert frames[-1]["data"]["status"] == "completed"  # type: ignore[index]
    assert again.headers["X-Message-Id"] == message_id
    async with platform.db.tenant_session(platform.seeded.tenant_id) as session:
        message = await session.get(ChatMessage, uuid.UUID(message_id))
    assert message is not None
    assert str(message.workflow_execution_id) == again.headers["X-Execution-Id"]
    assert again.headers["X-Execution-Id"] != first.headers["X-Execution-Id"]


async def test_the_newest_message_and_its_branch_are_read_together(
    platform: Platform, admin_token: str, database_urls: object
) -> None:
    chat_id = await _open_chat(platform, {"Authorization": f"Bearer {admin_token}"})
    tenant = platform.seeded.tenant_id
    first, answer, edited = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    owner = await asyncpg.connect(to_plain_url(database_urls.admin_url))  # type: ignore[attr-defined]
    try:
        # first ← answer, and a newer branch off first: first ← edited.
        for seconds, (message, parent, role) in enumerate(
            ((first, None, "user"), (answer, first, "assistant"), (edited, first, "user"))
        ):
            await owner.execute(
                "INSERT INTO chat_messages (id, tenant_id, chat_id, parent_message_id, role, "
                "content, status, metadata, workflow_status, message_type, is_intermediate, "
                "created_at) VALUES ($1, $2, $3, $4, $5, $6, 'sent', '{}', 'completed', 'text', "
                "false, now() + make_interval(secs => $7))",
                message,
                tenant,
                chat_id,
                parent,
                role,
                f"{role} {seconds}",
                seconds,
            )
        async with platform.db.tenant_session(tenant) as session:
            newest, branch = await window.latest_window(session=session, chat_id=chat_id)
        assert newest == edited
        assert [m["id"] for m in branch] == [str(first), str(edited)]
        # A deleted message is no one's parent: the newest left is the answer.
        await owner.execute("UPDATE chat_messages SET status = 'deleted' WHERE id = $1", edited)
        async with platform.db.tenant_session(tenant) as session:
            newest, branch = await window.latest_window(session=session, chat_id=chat_id)
        assert newest == answer
        assert [m["content"] for m in branch] == ["user 0", "assistant 1"]
        # Another tenant's session sees no message of the chat.
        other = uuid.uuid4()
        async with platform.db.tenant_session(other) as session:
            assert await window.latest_window(session=session, chat_id=chat_id) == (None, [])
    finally:
        await owner.close()
