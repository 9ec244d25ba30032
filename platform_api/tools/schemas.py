"""Bodies of the tool-server, tool and tool-grant routes.

A server's bearer credential is write-only: accepted as a ``SecretStr`` on create and
update, stored sealed, and shown back only as ``credentials_hint``.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from platform_api.api.field_types import SECRET_LIMIT_NOTE, Secret

SERVER_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$"
ToolStatus = Literal["active", "inactive", "deprecated"]
ServerStatus = Literal["active", "inactive", "error"]


def _checked_url(value: str | None) -> str | None:
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("endpoint_url must be an http(s) URL with a host")
    if parts.username or parts.password:
        raise ValueError("endpoint_url must not carry credentials; set credential instead")
    if parts.fragment:
        raise ValueError("endpoint_url must not have a fragment")
    return value


def _checked_credential(value: SecretStr | None) -> SecretStr | None:
    if value is not None and not value.get_secret_value().strip():
        raise ValueError("credential must not be blank (omit it for open servers)")
    return value


class ToolServerCreate(BaseModel):
    """An MCP server reached over streamable HTTP; its tools are discovered at once."""

    model_config = ConfigDict(extra="forbid")

    server_id: str = Field(pattern=SERVER_ID_PATTERN, description="Unique in the tenant.")
    name: str = Field(min_length=1, max_length=255)
    description: str | None = Field(default=None, max_length=4000)
    endpoint_url: str = Field(max_length=1000, description="The server's streamable HTTP URL.")
    agent_version_id: uuid.UUID | None = Field(
        default=None, description="Dedicate the server to one agent version (its topic server)."
    )
    credential: Secret | None = Field(
        default=None,
        description=f"Bearer token sent to the server; write-only. {SECRET_LIMIT_NOTE}",
    )
    discover: bool = Field(default=True, description="List the server's tools now.")

    _url = field_validator("endpoint_url")(_checked_url)
    _credential = field_validator("credential")(_checked_credential)


class ToolServerUpdate(BaseModel):
    """Fields to change; a new URL is checked and its tools rediscovered on request."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=255)
    description: str | None = Field(default=None, max_length=4000)
    endpoint_url: str | None = Field(default=None, max_length=1000)
    status: Literal["active", "inactive"] | None = None
    credential: Secret | None = Field(
        default=None, description=f"A new bearer token; write-only. {SECRET_LIMIT_NOTE}"
    )
    clear_credential: bool = False

    _url = field_validator("endpoint_url")(_checked_url)
    _credential = field_validator("credential")(_checked_credential)


class ToolServerPublic(BaseModel):
    """A topic server with its call statistics (never its credential)."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    server_id: str
    name: str
    description: str | None
    endpoint_url: str
    agent_version_id: uuid.UUID | None
    status: str
    tool_count: int
    total_calls: int
    success_calls: int
    average_response_time: Decimal = Field(description="Milliseconds per call.")
    credentials_hint: str | None
    last_error: str | None
    last_health_check: datetime | None
    created_at: datetime
    updated_at: datetime


class DiscoveryResult(BaseModel):
    """What a discovery changed."""

    server: ToolServerPublic
    added: list[str]
    updated: list[str]
    deactivated: list[str]


class ToolPublic(BaseModel):
    """A discovered tool with its input schema (``manifest.input_schema``)."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    version: str
    description: str | None
    manifest: dict[str, Any]
    server_endpoint: str
    topic_server_id: uuid.UUID
    status: str
    tags: list[str]
    acts_on_behalf_of_user: bool
    max_execution_time: int
    created_at: datetime
    updated_at: datetime


class ToolUpdate(BaseModel):
    """What a developer may change about a discovered tool."""

    model_config = ConfigDict(extra="forbid")

    status: ToolStatus | None = None
    tags: list[str] | None = Field(default=None, max_length=32)
    max_execution_time: int | None = Field(default=None, ge=1, le=3600)
    acts_on_behalf_of_user: bool | None = None

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and any(not t.strip() or len(t) > 64 for t in value):
            raise ValueError("tags must be non-blank and at most 64 characters")
        return value


class ToolGrantCreate(BaseModel):
    """Let an agent use a tool on the caller's behalf."""

    model_config = ConfigDict(extra="forbid")

    agent_id: uuid.UUID
    tool_id: uuid.UUID


class ToolGrantPublic(BaseModel):
    """One of the caller's grants (revoked ones show ``revoked_at``)."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    agent_id: uuid.UUID
    tool_id: uuid.UUID
    created_at: datetime
    revoked_at: datetime | None
