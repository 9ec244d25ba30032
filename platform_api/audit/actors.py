"""Who made a request, for the audit log: the caller the auth dependency left behind.

``get_caller`` puts the authenticated caller on ``request.state.caller``. Where it
did not run (a request refused before it, a public route), a verified access token
still names the caller; anything unverified names no one, so no row is written into a
tenant on the say-so of a forged credential.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from starlette.types import Scope

from platform_api.auth.tokens import decode_token
from platform_api.errors import Unauthorized
from platform_core.settings import Settings


@dataclass(frozen=True)
class Actor:
    """The caller as the audit log records it."""

    tenant_id: uuid.UUID
    actor_id: uuid.UUID | None
    actor_type: str
    details: dict[str, Any] = field(default_factory=dict)


def from_principal(scope: Scope) -> Actor | None:
    """The authenticated caller of this request, if authentication ran and succeeded."""
    caller = (scope.get("state") or {}).get("caller")
    if caller is None:
        return None
    key_id = getattr(caller, "api_key_id", None)
    is_key = getattr(caller, "scopes", None) is not None
    return Actor(
        tenant_id=caller.tenant_id,
        actor_id=key_id if is_key and key_id is not None else caller.user_id,
        actor_type="api_key" if is_key else "user",
        details={"user_id": str(caller.user_id)} if is_key else {},
    )


def from_access_token(settings: Settings, token: str | None) -> Actor | None:
    """The user a valid access token names (signature and claims verified)."""
    if not token:
        return None
    try:
        claims = decode_token(settings, token, "access")
    except Unauthorized:
        return None
    return Actor(tenant_id=claims.tenant_id, actor_id=claims.user_id, actor_type="user")


def bearer_token(scope: Scope) -> str | None:
    """The bearer credential of the request, if any."""
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, token = bytes(value).decode("latin-1").partition(" ")
            if scheme.lower() == "bearer":
                return token.strip() or None
    return None
