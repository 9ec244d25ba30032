"""The node types developers compose agents from."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from platform_core.models.base import (
    created_at,
    jsonb,
    long_text,
    text_array,
    updated_at,
    uuid_pk,
)


class NodeType(SQLModel, table=True):
    """A kind of graph node with its schemas; seeded from ``node_types`` (global)."""

    __tablename__ = "node_types"

    id: uuid.UUID = uuid_pk()
    type_name: str = Field(max_length=64, unique=True)
    display_name: str = Field(max_length=128)
    description: str | None = long_text()
    config_schema: dict[str, Any] = jsonb()
    input_schema: dict[str, Any] = jsonb()
    output_schema: dict[str, Any] = jsonb()
    required_services: list[str] = text_array()
    default_config: dict[str, Any] = jsonb()
    category: str = Field(max_length=32)
    tags: list[str] = text_array()
    execution: str = Field(default="activity", max_length=16)
    is_active: bool = Field(default=True)
    created_at: datetime = created_at()
    updated_at: datetime = updated_at()
