"""Bodies of the groups and people routes."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class GroupWrite(BaseModel):
    """A group's name, description and members (the whole list: PUT replaces it)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(
        min_length=1,
        max_length=100,
        pattern=r"^[^\x00-\x1f]+$",
        description="Named by approval policies' assignees (`groups`); unique per tenant.",
    )
    description: str | None = Field(default=None, max_length=500)
    member_ids: list[uuid.UUID] = Field(default_factory=list, max_length=1000)


class PersonPublic(BaseModel):
    """A person of the tenant as others may see them."""

    id: uuid.UUID
    display_name: str | None
    email: str
    role: str


class GroupPublic(BaseModel):
    """A group with its members."""

    id: uuid.UUID
    name: str
    description: str | None
    created_at: datetime
    members: list[PersonPublic]
