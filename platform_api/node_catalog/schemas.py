"""Public shape of a node type."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict


class NodeTypePublic(BaseModel):
    """A node type as the editor and the docs show it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    type_name: str
    display_name: str
    description: str | None
    category: str
    tags: list[str]
    execution: str
    config_schema: dict[str, Any]
    input_schema: dict[str, Any]
    output_schema: dict[str, Any]
    required_services: list[str]
    default_config: dict[str, Any]
