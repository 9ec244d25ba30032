"""MCP topic servers and the tools they expose (seeds requirements §4.5)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, Column, Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel

from platform_core.models.base import (
    created_at,
    jsonb,
    long_text,
    tenant_fk,
    text_array,
    timestamp,
    updated_at,
    uuid_pk,
)


class MCPTopicServer(SQLModel, table=True):
    """An MCP server reached over streamable HTTP, optionally dedicated to one agent version."""

    __tablename__ = "mcp_topic_servers"
    __table_args__ = (
        UniqueConstraint("tenant_id", "server_id", name="uq_mcp_topic_servers_server_id"),
        CheckConstraint("status IN ('active', 'inactive', 'error')", name="ck_mcp_servers_status"),
    )

    id: uuid.UUID = uuid_pk()
    tenant_id: uuid.UUID = tenant_fk()
    server_id: str = Field(max_length=128)
    name: str = Field(max_length=255)
    description: str | None = long_text()
    agent_version_id: uuid.UUID | None = Field(
        default=None, foreign_key="agent_versions.id", ondelete="SET NULL", index=True
    )
    endpoint_url: str = Field(max_length=1000)
    status: str = Field(default="active", max_length=20)
    tool_count: int = Field(default=0)
    total_calls: int = Field(default=0)
    success_calls: int = Field(default=0)
    average_response_time: Decimal = Field(default=Decimal(0), sa_column=Column(Numeric(12, 3)))
    # Bearer credential as an SM4 envelope bound to tenant + row; never returned.
    credentials: str | None = long_text()
    credentials_hint: str | None = Field(default=None, max_length=32)
    # Why the last health check or discovery failed (no secrets: connection errors only).
    last_error: str | None = long_text()
    created_at: datetime = created_at()
    updated_at: datetime = updated_at()
    last_health_check: datetime | None = timestamp()


class MCPTool(SQLModel, table=True):
    """A tool discovered on a topic server, with its input schema in ``manifest``."""

    __tablename__ = "mcp_tools"
    __table_args__ = (
        UniqueConstraint("topic_server_id", "name", name="uq_mcp_tools_server_name"),
        CheckConstraint(
            "status IN ('active', 'inactive', 'deprecated')", name="ck_mcp_tools_status"
        ),
    )

    id: uuid.UUID = uuid_pk()
    tenant_id: uuid.UUID = tenant_fk()
    name: str = Field(max_length=255)
    version: str = Field(default="1.0.0", max_length=50)
    description: str | None = long_text()
    tool_type: str = Field(default="http_api", max_length=32)
    manifest: dict[str, Any] = jsonb()
    server_endpoint: str = Field(max_length=1000)
    topic_server_id: uuid.UUID = Field(
        foreign_key="mcp_topic_servers.id", ondelete="CASCADE", index=True
    )
    status: str = Field(default="active", max_length=20)
    tags: list[str] = text_array()
    is_streaming_supported: bool = Field(default=False)
    acts_on_behalf_of_user: bool = Field(default=False)
    max_execution_time: int = Field(default=30)
    resource_requirements: dict[str, Any] = jsonb()
    created_at: datetime = created_at()
    updated_at: datetime = updated_at()


class ToolGrant(SQLModel, table=True):
    """A user's revocable permission for an agent to use a tool on their behalf."""

    __tablename__ = "tool_grants"
    __table_args__ = (
        UniqueConstraint("user_id", "agent_id", "tool_id", name="uq_tool_grants_user_agent_tool"),
    )

    id: uuid.UUID = uuid_pk()
    tenant_id: uuid.UUID = tenant_fk()
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    agent_id: uuid.UUID = Field(foreign_key="agents.id", ondelete="CASCADE", index=True)
    tool_id: uuid.UUID = Field(foreign_key="mcp_tools.id", ondelete="CASCADE", index=True)
    created_at: datetime = created_at()
    revoked_at: datetime | None = timestamp()
