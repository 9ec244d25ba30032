"""Bodies of the tool store routes.

Credentials are write-only: accepted as secrets on install, sealed on the server,
shown back only as the server's ``credentials_hint``.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from platform_api.api.field_types import SECRET_LIMIT_NOTE, Secret
from platform_api.tools.schemas import ToolServerPublic
from platform_core.tool_catalog import CatalogCredential, CatalogParameter, Localized

TenantRole = Literal["admin", "developer", "reviewer", "user", "viewer"]
# Who gets an installed server's tools unless the admin picks: the roles that build agents.
DEFAULT_GRANTED_ROLES: list[TenantRole] = ["admin", "developer"]


class InstalledTool(BaseModel):
    """A tool the installed server offers."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    description: str | None
    status: str


class InstallationPublic(BaseModel):
    """An installed entry: its server (status, last error), tools and grant."""

    entry_id: str
    installation_id: uuid.UUID | None = Field(
        description="None when the server was registered outside the store (e.g. by the seed)."
    )
    server: ToolServerPublic
    tools: list[InstalledTool]
    parameters: dict[str, Any]
    granted_roles: list[str]
    installed_by: uuid.UUID | None
    installed_at: datetime | None


class StoreEntryPublic(BaseModel):
    """An entry of the store, with the tenant's installation when there is one."""

    id: str
    name: Localized
    description: Localized
    url_template: str
    parameters: list[CatalogParameter]
    credentials: list[CatalogCredential]
    tags: list[str]
    homepage: str | None
    bundled: bool
    installed: bool
    installation: InstallationPublic | None


class InstallRequest(BaseModel):
    """Install an entry: fill its URL parameters and credentials, pick the roles granted."""

    model_config = ConfigDict(extra="forbid")

    parameters: dict[str, str] = Field(default_factory=dict, max_length=16)
    credentials: dict[str, Secret] = Field(
        default_factory=dict,
        max_length=4,
        description=f"Credential name -> secret; write-only. {SECRET_LIMIT_NOTE}",
    )
    granted_roles: list[TenantRole] | None = Field(
        default=None,
        min_length=1,
        description="Roles whose members may use the server's tools; default admin, developer.",
    )


class VersionUsingTools(BaseModel):
    """A published agent version that uses the server's tools."""

    agent_id: uuid.UUID
    agent_name: str
    version_id: uuid.UUID
    version: str
    tools: list[str]
