"""API keys as MCP bearer tokens: fastmcp's token verifier over the platform's own keys.

The MCP endpoints accept only API keys (``Authorization: Bearer apk_…``), checked by
the same ``authenticate_key`` the REST API uses, so a revoked, expired or forged key
is refused with 401 and a key without the endpoint's scope with 403. Tools read the
caller back with ``current_caller()``: the tenant always comes from the key, never from
arguments.
"""

from __future__ import annotations

import uuid

from fastmcp.exceptions import ToolError
from fastmcp.server.auth import AccessToken, TokenVerifier
from fastmcp.server.dependencies import get_access_token

from platform_api.apikeys.keys import looks_like_key
from platform_api.apikeys.service import authenticate_key
from platform_api.auth.caller import Caller
from platform_api.errors import Unauthorized
from platform_core.db import Database


class ApiKeyVerifier(TokenVerifier):
    """Accepts a platform API key that is valid now and carries ``required_scopes``."""

    def __init__(self, *, database: Database, required_scopes: list[str]) -> None:
        super().__init__(required_scopes=required_scopes)
        self._database = database

    async def verify_token(self, token: str) -> AccessToken | None:
        """The key's owner and scopes, or None (fastmcp answers 401) for anything else."""
        if not looks_like_key(token):
            return None  # access tokens (JWTs) are for the REST API only
        try:
            user, scopes = await authenticate_key(database=self._database, token=token)
        except Unauthorized:
            return None
        return AccessToken(
            token=token,
            client_id=str(user.id),
            scopes=scopes,
            claims={
                "tenant_id": str(user.tenant_id),
                "user_id": str(user.id),
                "role": user.role,
                "email": user.email,
            },
        )


def current_caller() -> Caller:
    """The caller of the key the current MCP request came with."""
    caller = caller_or_none()
    if caller is None:
        # Unreachable behind the verifier; refuse rather than guess a tenant.
        raise ToolError("this tool needs an API key")
    return caller


def caller_or_none() -> Caller | None:
    """The current request's caller; None outside a request (e.g. fastmcp's start-up)."""
    token = get_access_token()
    claims = token.claims if token is not None else None
    if token is None or not claims or "tenant_id" not in claims:
        return None
    return Caller(
        user_id=uuid.UUID(claims["user_id"]),
        tenant_id=uuid.UUID(claims["tenant_id"]),
        role=str(claims["role"]),
        email=str(claims["email"]),
        scopes=frozenset(token.scopes),
    )
