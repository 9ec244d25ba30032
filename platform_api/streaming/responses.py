"""The one way the API answers with Server-Sent Events.

Every stream (a chat's run, a direct run, the OpenAI-compatible stream, a document's
ingestion) is re-checked for the caller's good standing while it runs, so suspending a user
or a tenant, revoking a key or logging out everywhere also ends the streams already open.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping

from fastapi.responses import StreamingResponse

from platform_api.api.state import AppServices
from platform_api.auth.caller import Caller
from platform_api.auth.standing import while_in_good_standing
from platform_api.streaming.sse import SSE_HEADERS


def sse_response(
    frames: AsyncIterator[bytes],
    *,
    services: AppServices,
    caller: Caller,
    headers: Mapping[str, str] | None = None,
) -> StreamingResponse:
    """An SSE response of ``frames`` that ends once the caller is no longer in good standing."""
    return StreamingResponse(
        while_in_good_standing(frames, monitor=services.standing_monitor, caller=caller),
        media_type="text/event-stream",
        headers={**SSE_HEADERS, **(headers or {})},
    )
