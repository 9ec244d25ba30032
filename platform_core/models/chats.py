"""Chats and their messages (seeds requirements §4.3.1–4.3.2)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Index, text
from sqlmodel import Field, SQLModel

from platform_core.models.base import (
    created_at,
    jsonb,
    long_text,
    tenant_fk,
    timestamp,
    updated_at,
    uuid_pk,
)

CHAT_STATUSES = ("active", "archived", "deleted")
MESSAGE_ROLES = ("user", "assistant", "system", "tool")
MESSAGE_STATUSES = ("sending", "sent", "failed", "deleted")
MESSAGE_TYPES = ("text", "progress", "error", "system")


class Chat(SQLModel, table=True):
    """A conversation of one user with one agent, locked to the version it started on."""

    __tablename__ = "chats"
    __table_args__ = (
        CheckConstraint(f"status IN {CHAT_STATUSES}", name="ck_chats_status"),
        Index("ix_chats_user_updated", "user_id", "updated_at"),
        # A user's chats of one status by activity (migration 0014, issue 20).
        Index(
            "ix_chats_tenant_user_status_updated", "tenant_id", "user_id", "status", "updated_at"
        ),
        # The expired-chats retention sweep (migration 0013).
        Index(
            "ix_chats_tenant_expires",
            "tenant_id",
            "expires_at",
            postgresql_where=text("expires_at IS NOT NULL"),
        ),
    )

    id: uuid.UUID = uuid_pk()
    tenant_id: uuid.UUID = tenant_fk()
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    agent_id: uuid.UUID = Field(foreign_key="agents.id", ondelete="CASCADE", index=True)
    agent_version_id: uuid.UUID = Field(foreign_key="agent_versions.id", index=True)
    title: str = Field(default="New chat", max_length=255)
    context: dict[str, Any] = jsonb()
    # Sandbox chats run draft versions and are visible to their developer only.
    is_sandbox: bool = Field(default=False)
    status: str = Field(default="active", max_length=20)
    expires_at: datetime | None = timestamp()
    created_at: datetime = created_at()
    updated_at: datetime = updated_at()


class ChatMessage(SQLModel, table=True):
    """A message; ``parent_message_id`` makes the conversation a tree (branches)."""

    __tablename__ = "chat_messages"
    __table_args__ = (
        CheckConstraint(f"role IN {MESSAGE_ROLES}", name="ck_chat_messages_role"),
        CheckConstraint(f"status IN {MESSAGE_STATUSES}", name="ck_chat_messages_status"),
        CheckConstraint(f"message_type IN {MESSAGE_TYPES}", name="ck_chat_messages_type"),
        Index("ix_chat_messages_chat_created", "chat_id", "created_at"),
    )

    id: uuid.UUID = uuid_pk()
    tenant_id: uuid.UUID = tenant_fk()
    chat_id: uuid.UUID = Field(foreign_key="chats.id", ondelete="CASCADE")
    parent_message_id: uuid.UUID | None = Field(
        default=None, foreign_key="chat_messages.id", ondelete="SET NULL", index=True
    )
    role: str = Field(max_length=50)
    content: str = long_text(nullable=False)
    status: str = Field(default="sent", max_length=20)
    # "metadata" is reserved by SQLAlchemy's declarative base, hence the attribute name.
    message_metadata: dict[str, Any] = jsonb(name="metadata")
    workflow_execution_id: uuid.UUID | None = Field(default=None, index=True)
    workflow_node_name: str | None = Field(default=None, max_length=128)
    workflow_status: str = Field(default="completed", max_length=20)
    message_type: str = Field(default="text", max_length=20)
    is_intermediate: bool = Field(default=False)
    tokens_used: int | None = Field(default=None)
    created_at: datetime = created_at()
