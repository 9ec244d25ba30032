"""Public shapes of store agents."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field


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


class PublishedVersion(BaseModel):
    """A published version with its changelog."""

    id: uuid.UUID
    version: str
    changelog: str | None
    published_at: datetime | None
    is_current: bool


class AgentStoreDetail(AgentPublic):
    """An agent's store page: published versions and rating summary."""

    rating_count: int
    versions: list[PublishedVersion]


class ReviewWrite(BaseModel):
    """A user's rating (1–5) and optional written review of an agent."""

    model_config = ConfigDict(extra="forbid")

    rating: int = Field(ge=1, le=5)
    comment: str | None = Field(default=None, max_length=5_000)


class ReviewPublic(BaseModel):
    """A review as shown on the store page."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    user_id: uuid.UUID
    rating: int
    comment: str | None
    created_at: datetime
    updated_at: datetime


class CategoryNode(BaseModel):
    """A category with its sub-categories; ``shared`` ones are the platform's, read-only."""

    id: uuid.UUID
    name: str
    description: str | None
    parent_id: uuid.UUID | None
    shared: bool
    children: list[CategoryNode]


class CategoryPublic(BaseModel):
    """One category as written (without its sub-categories)."""

    id: uuid.UUID
    name: str
    description: str | None
    parent_id: uuid.UUID | None
    shared: bool


class CategoryCreate(BaseModel):
    """A new category of the tenant, at the top or under ``parent_id`` (shared or its own)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=2_000)
    parent_id: uuid.UUID | None = None


class CategoryUpdate(BaseModel):
    """Rename, describe or move a category; ``parent_id`` null moves it to the top."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=2_000)
    parent_id: uuid.UUID | None = None
