"""Which rate-limit buckets a request counts against, decided without a database trip.

A request counts against its client IP's bucket and, when it carries a credential,
that credential's bucket: a logged-in user's tokens (all of them: the verified
``sub`` and tenant claims, not the token string) or an API key (its digest). Counting
the IP too means a flood of made-up credentials is still limited. Bucket ids are
SHA-256 digests, so the counters table holds no token, key or address in clear.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from starlette.types import Scope

from platform_api.apikeys.keys import looks_like_key, parse_key
from platform_api.auth.tokens import decode_token
from platform_api.errors import Unauthorized
from platform_core.settings import Settings

# The API proper and its MCP servers; health probes, /metrics, the OpenAPI document and
# the UI are not limited.
LIMITED_PREFIXES = ("/api/", "/v1/", "/mcp/")
UNLIMITED_PATHS = frozenset({"/api/v1/health"})


@dataclass(frozen=True)
class Bucket:
    """One counter a request increments, with the limit that applies to it."""

    id: str
    limit: int


def is_limited(scope: Scope) -> bool:
    """True for API requests (CORS preflights and probes pass freely)."""
    path = str(scope.get("path", ""))
    return (
        scope.get("method") != "OPTIONS"
        and path.startswith(LIMITED_PREFIXES)
        and path not in UNLIMITED_PATHS
    )


def _digest(kind: str, identity: str) -> str:
    return f"{kind}:{hashlib.sha256(identity.encode()).hexdigest()}"


def _bearer(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, token = bytes(value).decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                return token.strip()
    return None


def credential_identity(settings: Settings, token: str) -> str | None:
    """A stable identity for the credential, or None if it cannot be one.

    JWTs are verified (signature, expiry, audience) first, so a forged token cannot
    pick someone else's bucket; an API key is identified by its digest (the key table
    is not consulted: a made-up key gets a bucket of its own and the IP's).
    """
    if looks_like_key(token):
        parsed = parse_key(token)
        return f"key:{parsed.digest}" if parsed is not None else None
    try:
        claims = decode_token(settings, token, "access")
    except Unauthorized:
        return None
    return f"user:{claims.tenant_id}:{claims.user_id}"


def client_ip(scope: Scope) -> str:
    """The peer address (behind a proxy, run uvicorn with --proxy-headers)."""
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def buckets_for(scope: Scope, settings: Settings) -> list[Bucket]:
    """The buckets this request counts against (none when every limit is disabled)."""
    buckets: list[Bucket] = []
    if settings.rate_limit_per_credential > 0:
        token = _bearer(scope)
        identity = credential_identity(settings, token) if token else None
        if identity is not None:
            buckets.append(Bucket(_digest("c", identity), settings.rate_limit_per_credential))
    if settings.rate_limit_per_ip > 0:
        buckets.append(Bucket(_digest("i", client_ip(scope)), settings.rate_limit_per_ip))
    return buckets
