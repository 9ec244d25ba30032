"""Password hashing with bcrypt, off the event loop."""

from __future__ import annotations

import asyncio
from functools import lru_cache

import bcrypt

from platform_api.auth.password_policy import BCRYPT_MAX_BYTES
from platform_api.errors import ValidationFailed


def check_password_length(password: str) -> None:
    """Refuse passwords bcrypt cannot hash faithfully (a 422, never bcrypt's ValueError)."""
    if len(password.encode("utf-8")) > BCRYPT_MAX_BYTES:
        message = f"password must be at most {BCRYPT_MAX_BYTES} bytes in UTF-8"
        raise ValidationFailed(message, errors=[{"path": "/body/password", "message": message}])


def hash_password_sync(password: str, rounds: int) -> str:
    """Hash a password (blocking; bcrypt cost ``rounds``)."""
    check_password_length(password)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds)).decode("ascii")


async def hash_password(password: str, rounds: int) -> str:
    """Hash a password in a worker thread so the event loop keeps serving."""
    return await asyncio.to_thread(hash_password_sync, password, rounds)


def _verify_sync(password: str, password_hash: str) -> bool:
    raw = password.encode("utf-8")
    if len(raw) > BCRYPT_MAX_BYTES:
        # bcrypt 5 raises above 72 bytes; such a password can never have been stored.
        return False
    try:
        return bcrypt.checkpw(raw, password_hash.encode("ascii"))
    except ValueError:
        return False


async def verify_password(password: str, password_hash: str) -> bool:
    """Check a password against a stored hash, in a worker thread."""
    return await asyncio.to_thread(_verify_sync, password, password_hash)


@lru_cache(maxsize=4)
def dummy_hash(rounds: int) -> str:
    """A hash to verify against when the account does not exist, so timing reveals nothing."""
    return bcrypt.hashpw(b"no-such-account-placeholder", bcrypt.gensalt(rounds)).decode("ascii")
