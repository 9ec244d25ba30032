"""The subset of OpenAI's chat completions API that maps onto agents."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class OpenAIMessage(BaseModel):
    """A chat message; content may be text or OpenAI content parts (text parts are used)."""

    model_config = ConfigDict(extra="allow")

    role: str = Field(pattern="^(system|user|assistant|tool|developer)$")
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        """The message's text."""
        if isinstance(self.content, str):
            return self.content
        if isinstance(self.content, list):
            return "".join(
                str(part.get("text", "")) for part in self.content if part.get("type") == "text"
            )
        return ""


class ChatCompletionsRequest(BaseModel):
    """``model`` names a published agent: ``name`` or ``name@version``."""

    model_config = ConfigDict(extra="allow")

    model: str = Field(min_length=1, max_length=300)
    messages: list[OpenAIMessage] = Field(min_length=1, max_length=500)
    stream: bool = False
    temperature: float | None = Field(default=None, ge=0, le=2)
    max_tokens: int | None = Field(default=None, ge=1, le=1_000_000)
    top_p: float | None = Field(default=None, ge=0, le=1)
