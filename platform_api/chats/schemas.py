"""Bodies of the chat routes (the seeds' /api/v1/chat API)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator, model_validator

from platform_api.api.field_types import FUTURE_NOTE, JSON_LIMIT_NOTE, FutureDatetime, JsonObject
from platform_api.executions.schemas import Breakpoints

# Model parameters a caller may set per request; anything else is refused.
ALLOWED_CONFIG_KEYS = frozenset(
    {"temperature", "max_tokens", "top_p", "presence_penalty", "frequency_penalty", "stop", "seed"}
)


class ChatCompletionRequest(BaseModel):
    """Send a message to an agent; continues ``chat_id`` or opens a new chat."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    agent_id: uuid.UUID | None = None
    agent: str | None = Field(
        default=None,
        max_length=255,
        validation_alias=AliasChoices("agent", "agent_type"),
        description="Agent name (the seeds' agent_type); used when agent_id is absent.",
    )
    chat_id: uuid.UUID | None = Field(
        default=None, validation_alias=AliasChoices("chat_id", "session_id")
    )
    message: str | None = Field(default=None, min_length=1, max_length=32_000)
    parent_message_id: uuid.UUID | None = Field(
        default=None,
        description="Answer as a reply to this message: editing an earlier turn makes a branch.",
    )
    regenerate_message_id: uuid.UUID | None = Field(
        default=None,
        description="Run again for this user message: a new reply beside the old one.",
    )
    config: JsonObject = Field(
        default_factory=dict,
        description=f"Model parameters for this run ({', '.join(sorted(ALLOWED_CONFIG_KEYS))}). "
        f"{JSON_LIMIT_NOTE}",
    )
    breakpoints: Breakpoints | None = Field(
        default=None,
        description="Pause the run before/after these nodes (the agent's developer, or in "
        "one's own sandbox chat).",
    )

    @model_validator(mode="after")
    def _message_or_regenerate(self) -> ChatCompletionRequest:
        if (self.message is None) == (self.regenerate_message_id is None):
            raise ValueError("give either message or regenerate_message_id")
        if self.regenerate_message_id is not None and self.chat_id is None:
            raise ValueError("regenerate_message_id needs chat_id")
        return self

    @field_validator("config")
    @classmethod
    def _known_params(cls, value: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(value) - ALLOWED_CONFIG_KEYS)
        if unknown:
            raise ValueError(f"unknown model parameters: {', '.join(unknown)}")
        return value


class MessagePublic(BaseModel):
    """A stored chat message."""

    id: uuid.UUID
    parent_message_id: uuid.UUID | None
    role: str
    content: str
    status: str
    message_type: str
    workflow_execution_id: uuid.UUID | None
    created_at: datetime


class ChatPublic(BaseModel):
    """A chat and the agent version it is locked to."""

    id: uuid.UUID
    agent_id: uuid.UUID
    agent_version_id: uuid.UUID
    title: str
    status: str
    is_sandbox: bool = False
    created_at: datetime
    updated_at: datetime


class ChatSummary(ChatPublic):
    """A chat in the sidebar: its agent, and the run in progress if any."""

    expires_at: datetime | None = None
    agent_name: str
    agent_version: str
    active_execution_id: uuid.UUID | None = None
    active_run_status: str | None = None


class ChatCreate(BaseModel):
    """Open an empty chat with an agent (locked to its current published version)."""

    model_config = ConfigDict(extra="forbid")

    agent_id: uuid.UUID
    title: str | None = Field(default=None, min_length=1, max_length=255)
    expires_at: FutureDatetime | None = Field(
        default=None, description=f"When the chat expires (none: never). {FUTURE_NOTE}"
    )


class ChatUpdate(BaseModel):
    """Rename, archive/unarchive, or change the expiry."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, min_length=1, max_length=255)
    status: str | None = Field(default=None, pattern="^(active|archived)$")
    expires_at: FutureDatetime | None = Field(
        default=None, description=f"A new expiry; null removes it. {FUTURE_NOTE}"
    )


class ChatHistory(BaseModel):
    """A chat with its messages, oldest first."""

    chat: ChatPublic
    messages: list[MessagePublic]
