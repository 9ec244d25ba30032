"""Public shapes of store agents."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel


class VersionRef(BaseModel):
    """A short reference to a version."""

    id: uuid.UUID
    version: str


class AgentPublic(BaseModel):
    """A published agent as the store lists it."""

    id: uuid.UUID
    name: str
    description: str | None
    tags: list[str]
    category_id: uuid.UUID | None
    average_rating: Decimal | None
    download_count: int
    published_at: datetime | None
    current_version: VersionRef | None
