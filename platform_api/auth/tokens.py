"""JWT access and refresh tokens (pyjwt, HS256 pinned, every registered claim required)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import jwt

from platform_api.errors import Unauthorized
from platform_core.settings import Settings

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["exp", "iat", "aud", "iss", "sub", "typ"]
TokenType = Literal["access", "refresh"]


@dataclass(frozen=True)
class TokenClaims:
    """The verified contents of a token."""

    user_id: uuid.UUID
    tenant_id: uuid.UUID
    role: str
    token_type: TokenType
    token_version: int
    jti: str | None
    family_id: uuid.UUID | None
    expires_at: datetime


def hash_token_id(jti: str) -> str:
    """How a refresh token id is stored: a digest, so a database leak yields no tokens."""
    return hashlib.sha256(jti.encode()).hexdigest()


def _encode(settings: Settings, claims: dict[str, Any]) -> str:
    return jwt.encode(claims, settings.jwt_secret.get_secret_value(), algorithm=ALGORITHM)


def issue_access_token(
    settings: Settings, *, user_id: uuid.UUID, tenant_id: uuid.UUID, role: str, token_version: int
) -> tuple[str, datetime]:
    """A short-lived access token and its expiry."""
    now = datetime.now(UTC)
    expires = now + timedelta(minutes=settings.access_token_minutes)
    token = _encode(
        settings,
        {
            "sub": str(user_id),
            "tenant_id": str(tenant_id),
            "role": role,
            "tv": token_version,
            "typ": "access",
            "iat": now,
            "exp": expires,
            "iss": settings.jwt_issuer,
            "aud": settings.jwt_audience,
        },
    )
    return token, expires


def issue_refresh_token(
    settings: Settings,
    *,
    user_id: uuid.UUID,
    tenant_id: uuid.UUID,
    role: str,
    token_version: int,
    family_id: uuid.UUID,
) -> tuple[str, str, datetime]:
    """A refresh token, its id (to store hashed) and its expiry."""
    now = datetime.now(UTC)
    expires = now + timedelta(days=settings.refresh_token_days)
    jti = secrets.token_urlsafe(32)
    token = _encode(
        settings,
        {
            "sub": str(user_id),
            "tenant_id": str(tenant_id),
            "role": role,
            "tv": token_version,
            "typ": "refresh",
            "jti": jti,
            "fam": str(family_id),
            "iat": now,
            "exp": expires,
            "iss": settings.jwt_issuer,
            "aud": settings.jwt_audience,
        },
    )
    return token, jti, expires


def decode_token(settings: Settings, token: str, expected: TokenType) -> TokenClaims:
    """Verify signature, algorithm, registered claims and type; 401 on any failure."""
    try:
        payload = jwt.decode(
            token,
            settings.jwt_secret.get_secret_value(),
            algorithms=[ALGORITHM],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={"require": REQUIRED_CLAIMS},
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("token expired") from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized("invalid token") from exc
    if payload.get("typ") != expected:
        raise Unauthorized(f"wrong token type (expected: {expected})")
    try:
        return TokenClaims(
            user_id=uuid.UUID(payload["sub"]),
            tenant_id=uuid.UUID(payload["tenant_id"]),
            role=str(payload["role"]),
            token_type=expected,
            token_version=int(payload.get("tv", 0)),
            jti=payload.get("jti"),
            family_id=uuid.UUID(payload["fam"]) if payload.get("fam") else None,
            expires_at=datetime.fromtimestamp(int(payload["exp"]), UTC),
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise Unauthorized("invalid token claims") from exc
