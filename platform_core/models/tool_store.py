"""Installations from the tool store: which catalogue entry became which tool server."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from platform_core.models.base import created_at, jsonb, tenant_fk, text_array, uuid_pk


class ToolInstallation(SQLModel, table=True):
    """A tenant's install of a catalogue entry: its server, its URL parameters, its grant.

    Deleting the server (here or through the tool-server routes) deletes the installation.
    Credentials are not here: they are sealed on the server like any server's.
    """

    __tablename__ = "tool_installations"
    __table_args__ = (
        UniqueConstraint("tenant_id", "entry_id", name="uq_tool_installations_entry"),
    )

    id: uuid.UUID = uuid_pk()
    tenant_id: uuid.UUID = tenant_fk()
    entry_id: str = Field(max_length=64)
    tool_server_id: uuid.UUID = Field(
        foreign_key="mcp_topic_servers.id", ondelete="CASCADE", index=True
    )
    installed_by: uuid.UUID | None = Field(
        default=None, foreign_key="users.id", ondelete="SET NULL"
    )
    # The values filled into the entry's URL template (never secrets).
    parameters: dict[str, Any] = jsonb()
    # The tenant roles the installer granted the server's tools to.
    granted_roles: list[str] = text_array()
    created_at: datetime = created_at()
