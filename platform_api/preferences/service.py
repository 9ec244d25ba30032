"""Read and change the caller's preferences in ``users.preferences``.

Each setting has its own key in the JSON; a change rewrites only the keys it carries, so
what other features keep there (and keys this version does not know) is untouched. A
stored value that no longer validates reads as its default.
"""

from __future__ import annotations

import uuid
from typing import Any, Final

from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from node_types.llm import allows_user_params
from platform_api.errors import NotFound
from platform_api.preferences.schemas import ModelDefaults, Preferences, PreferencesUpdate
from platform_core.db import Database
from platform_core.models import User
from platform_core.notifications import EMAIL_PREFERENCE, email_kinds

LANGUAGE: Final = "language"
THEME: Final = "theme"
MODEL_DEFAULTS: Final = "model_defaults"


def from_stored(stored: dict[str, Any] | None) -> Preferences:
    """The preferences a stored JSON says (defaults for what is missing or invalid)."""
    stored = stored or {}
    chosen: dict[str, Any] = {"email_kinds": email_kinds(stored)}
    for key in (LANGUAGE, THEME, MODEL_DEFAULTS):
        if stored.get(key) is None:
            continue
        try:
            Preferences.model_validate({key: stored[key]})
        except ValidationError:
            continue  # written by an older or newer version: shown as the default
        chosen[key] = stored[key]
    return Preferences.model_validate(chosen)


def merged(stored: dict[str, Any] | None, change: PreferencesUpdate) -> dict[str, Any]:
    """A new JSON with the change applied to ``stored`` (other keys kept)."""
    result = dict(stored or {})
    sent = change.model_fields_set
    if LANGUAGE in sent:
        result[LANGUAGE] = change.language
    if THEME in sent and change.theme is not None:
        result[THEME] = change.theme
    if "email_kinds" in sent and change.email_kinds is not None:
        result[EMAIL_PREFERENCE] = sorted(set(change.email_kinds))
    if MODEL_DEFAULTS in sent:
        defaults = change.model_defaults or ModelDefaults()
        result[MODEL_DEFAULTS] = defaults.model_dump()
    return result


async def get(*, session: AsyncSession, user_id: uuid.UUID) -> Preferences:
    """The user's preferences."""
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound("user not found")
    return from_stored(user.preferences)


async def update(
    *, session: AsyncSession, user_id: uuid.UUID, change: PreferencesUpdate
) -> Preferences:
    """Apply ``change`` to the user's preferences (row locked: no lost concurrent change)."""
    user = await session.get(User, user_id, with_for_update=True)
    if user is None:
        raise NotFound("user not found")
    user.preferences = merged(user.preferences, change)  # a new dict: JSONB sees the change
    session.add(user)
    await session.flush()
    return from_stored(user.preferences)


async def model_defaults_for_run(
    *, database: Database, tenant_id: uuid.UUID, user_id: uuid.UUID | None, plan: dict[str, Any]
) -> dict[str, Any]:
    """The user's default model parameters for a run, or {} when no node of the plan
    allows them (then nothing is read: most runs pay no query for this)."""
    if user_id is None or not any(
        node.get("type") == "llm" and allows_user_params(node.get("config") or {})
        for node in plan.get("nodes") or []
        if isinstance(node, dict)
    ):
        return {}
    async with database.tenant_session(tenant_id) as session:
        user = await session.get(User, user_id)
    if user is None:
        return {}
    chosen = from_stored(user.preferences).model_defaults.model_dump()
    return {name: value for name, value in chosen.items() if value is not None}
