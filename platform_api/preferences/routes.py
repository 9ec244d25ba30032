"""The caller's own settings: ``/api/v1/me/preferences``."""

from __future__ import annotations

from fastapi import APIRouter

from platform_api.api.deps import CurrentCaller, TenantSession
from platform_api.preferences import service
from platform_api.preferences.schemas import Preferences, PreferencesUpdate

router = APIRouter(prefix="/api/v1/me/preferences", tags=["preferences"])


@router.get("", response_model=Preferences)
async def get_preferences(caller: CurrentCaller, session: TenantSession) -> Preferences:
    """The caller's language, theme, e-mail choices and default model parameters."""
    return await service.get(session=session, user_id=caller.user_id)


@router.patch("", response_model=Preferences)
async def update_preferences(
    body: PreferencesUpdate, caller: CurrentCaller, session: TenantSession
) -> Preferences:
    """Change some of the caller's preferences; fields not sent stay as they are."""
    return await service.update(session=session, user_id=caller.user_id, change=body)
