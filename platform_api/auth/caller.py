"""Who is calling: the small domain type every service takes instead of an HTTP object.

The API builds a ``Caller`` from a token or an API key (``platform_api.api.deps``); services,
the MCP server and streams only read it. Which role may do what is decided in
``platform_api.access.rules``; ``Caller`` only answers "does this role hold that one".
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class Caller:
    """Who is calling, in which tenant, with which role."""

    user_id: uuid.UUID
    tenant_id: uuid.UUID
    role: str
    email: str
    # None for a logged-in user (the role decides); an API key's scopes otherwise.
    scopes: frozenset[str] | None = None
    # An admin of the platform tenant, logged in (never an API key): manages tenants.
    platform_admin: bool = False
    # What a running stream re-checks: the JWT's token_version, or the API key in use.
    token_version: int | None = None
    api_key_id: uuid.UUID | None = None

    def has_role(self, *roles: str) -> bool:
        """True when the caller holds one of ``roles`` (admins hold every role)."""
        return self.role == "admin" or self.role in roles

    def has_scope(self, scope: str) -> bool:
        """True when the credential allows ``scope`` (logged-in users: always)."""
        return self.scopes is None or scope in self.scopes
