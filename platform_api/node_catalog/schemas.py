"""Public shape of a node type."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from node_types.plan import ResolvedRetryPolicy, ResolvedTimeouts


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
    default_retry: ResolvedRetryPolicy | None = Field(
        default=None,
        description="The retry policy of a node of this type that sets none (null: the type "
        "runs inside the workflow, where retries do not apply).",
    )
    default_timeouts: ResolvedTimeouts | None = Field(
        default=None,
        description="The timeouts, in seconds, of a node of this type that sets none (null "
        "fields: no such timeout; null: the type runs inside the workflow).",
    )
