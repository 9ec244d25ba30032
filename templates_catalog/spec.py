"""TemplateSpec: one declarative workflow template (a JSON file under templates/)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class TemplateSpec(BaseModel):
    """A parameterised workflow definition.

    `definition` is a raw workflow definition in which any JSON value may be the
    parameter reference `{"$param": "<name>"}`; `instantiate` replaces it with the
    parameter's value (of any JSON type) after validating the parameters against
    `parameter_schema`.
    """

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")
    display_name: str
    description: str
    category: str
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    status: Literal["active", "deprecated", "draft"] = "active"
    tags: list[str] = Field(default_factory=list)
    parameter_schema: dict[str, Any]
    definition: dict[str, Any]
