"""Bodies of the preferences routes: what a person chooses for themselves.

Stored in ``users.preferences`` (JSONB) under the keys in ``service``; keys this module
does not know stay as they are.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from platform_api.notifications.schemas import NotificationKind

Language = Literal["zh-CN", "en"]
Theme = Literal["light", "dark", "system"]


class ModelDefaults(BaseModel):
    """Default model parameters, applied where an agent allows them, within its bounds."""

    model_config = ConfigDict(extra="forbid")

    temperature: float | None = Field(default=None, ge=0, le=2)
    max_tokens: int | None = Field(default=None, ge=1, le=1_000_000)


class Preferences(BaseModel):
    """The caller's settings as stored (defaults where nothing was chosen)."""

    language: Language | None = Field(
        default=None, description="The interface language; null = follow the browser."
    )
    theme: Theme = "system"
    email_kinds: list[NotificationKind] = Field(default_factory=list)
    model_defaults: ModelDefaults = Field(default_factory=ModelDefaults)


class PreferencesUpdate(BaseModel):
    """A change: only the fields sent are changed (``language: null`` = follow the browser)."""

    model_config = ConfigDict(extra="forbid")

    language: Language | None = None
    theme: Theme | None = None
    email_kinds: list[NotificationKind] | None = Field(default=None, max_length=10)
    model_defaults: ModelDefaults | None = None
