"""The built web UI as a single-page app: real files as they are, `index.html` for UI paths."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

# Paths the UI never owns: an unknown API path must stay a 404 problem, not the app's HTML.
_NOT_UI_PREFIXES = ("/api/", "/v1/", "/mcp/", "/docs", "/openapi.json", "/metrics", "/assets/")


class SinglePageApp(StaticFiles):
    """Static files whose unknown paths fall back to `index.html`: deep links survive a reload."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            return await super().get_response(path, scope)
        except HTTPException as missing:
            request_path = str(scope.get("path", ""))
            if missing.status_code != 404 or request_path.startswith(_NOT_UI_PREFIXES):
                raise
            if scope.get("method") not in ("GET", "HEAD") or "." in request_path.rsplit("/", 1)[-1]:
                raise  # a missing file (favicon.png) is a 404, not the app
            return await super().get_response("index.html", scope)
