"""API key format and hashing.

A key reads ``apk_<tenant id hex>_<secret>``: the tenant part lets the server open
the right tenant's transaction (row-level security) before it knows anything else;
the secret (256 bits) is stored only as a SHA-256 digest — a slow hash adds nothing
for a random secret of that size — and its first characters as a visible prefix.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass

KEY_PREFIX = "apk_"
VISIBLE_PREFIX_LENGTH = 8


@dataclass(frozen=True)
class ParsedKey:
    """The parts of a presented key."""

    tenant_id: uuid.UUID
    secret: str

    @property
    def digest(self) -> str:
        """How the key is stored."""
        return hash_secret(self.secret)


def hash_secret(secret: str) -> str:
    """SHA-256 of the secret part."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_key(tenant_id: uuid.UUID) -> tuple[str, str, str]:
    """A fresh key: (the full key to show once, its visible prefix, its digest)."""
    secret = secrets.token_urlsafe(32)
    return (
        f"{KEY_PREFIX}{tenant_id.hex}_{secret}",
        secret[:VISIBLE_PREFIX_LENGTH],
        hash_secret(secret),
    )


def looks_like_key(token: str) -> bool:
    """True for tokens in the API key format (as opposed to JWTs)."""
    return token.startswith(KEY_PREFIX)


def parse_key(token: str) -> ParsedKey | None:
    """The parts of a key, or None if it is malformed."""
    body = token[len(KEY_PREFIX) :]
    tenant_hex, _, secret = body.partition("_")
    if len(tenant_hex) != 32 or len(secret) < 20:
        return None
    try:
        return ParsedKey(uuid.UUID(hex=tenant_hex), secret)
    except ValueError:
        return None
