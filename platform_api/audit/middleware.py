"""The audit middleware: one row per state-changing API request, once its outcome is known.

Pure ASGI, inside the observability middleware (so the request id is known) and inside
the rate limiter (a flood refused there writes nothing). The row is written in its own
short tenant transaction as soon as the response's last chunk is due (before it is
sent, so the row exists when the client sees the end), so a failed request still
leaves its row, and an audit write that fails is logged and never breaks the request.

Bodies are read only on the login and refresh routes, and only to learn *who*: the
email a login named and the access token a success returned (verified, then dropped).
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from platform_api.api.state import AppServices
from platform_api.audit import actors, entries, service
from platform_api.observability.context import REQUEST_ID
from platform_api.ratelimit.buckets import client_ip

logger = logging.getLogger(__name__)
LOGIN_PATHS = frozenset({"/api/auth/login", "/api/auth/login-with-tenant"})
# Routes that answer with tokens: the person they were issued to is the actor (a company
# sign-in's callback included; its body, a one-use code, is never read).
TOKEN_PATHS = LOGIN_PATHS | {"/api/auth/refresh", "/api/auth/oidc/callback"}
BODY_LIMIT = 16 * 1024


# A stream's record is written once its first frames are out: a run's stream starts with
# the API's own "accepted" event, then the run's first (for a chat, its first token). The
# write does not compete with the run's start for the process (`agentpaas dev` runs API
# and worker in one); a stream that ends sooner is recorded at its end.
STREAM_FRAMES_FIRST = 2


class _Seen:
    """What the middleware noticed while the request went by."""

    def __init__(self, read_request: bool) -> None:
        self.status = 500
        self.started = False
        self.recorded = False
        self.json_response = False
        # A stream's record waits for this many more frames (see STREAM_FRAMES_FIRST).
        self.stream_frames_first: int | None = None
        self.request_body: bytearray | None = bytearray() if read_request else None
        self.response_body = bytearray()

    def request_json(self) -> dict[str, Any]:
        return _json(self.request_body)

    def response_json(self) -> dict[str, Any]:
        return _json(self.response_body) if self.json_response else {}


def _json(body: bytearray | None) -> dict[str, Any]:
    if not body or len(body) >= BODY_LIMIT:
        return {}
    try:
        value = json.loads(bytes(body))
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


class AuditTrail:
    """Records state-changing API requests in the caller's tenant's audit log."""

    def __init__(self, app: ASGIApp, services: AppServices) -> None:
        self.app = app
        self.services = services
        # Records being written beside their streams (referenced until done).
        self._writing: set[asyncio.Task[None]] = set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not entries.is_audited(scope):
            await self.app(scope, receive, send)
            return
        scope.setdefault("state", {})
        seen = _Seen(read_request=scope["path"] in LOGIN_PATHS)

        async def receive_observed() -> Message:
            message = await receive()
            body = seen.request_body
            if message["type"] == "http.request" and body is not None and len(body) < BODY_LIMIT:
                body += message.get("body", b"")[:BODY_LIMIT]
            return message

        async def send_observed(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen.started = True
                seen.status = int(message["status"])
                content_type = dict(message.get("headers", ())).get(b"content-type", b"")
                seen.json_response = content_type.startswith(b"application/json")
                if content_type.startswith(b"text/event-stream"):
                    seen.stream_frames_first = STREAM_FRAMES_FIRST
            elif message["type"] == "http.response.body":
                if seen.stream_frames_first is not None and not seen.recorded:
                    seen.stream_frames_first -= 1
                    if seen.stream_frames_first <= 0:
                        self._record_beside(scope, seen)
                if seen.json_response and len(seen.response_body) < BODY_LIMIT:
                    seen.response_body += message.get("body", b"")[:BODY_LIMIT]
                if not message.get("more_body", False):
                    # The outcome is known: record it before the last chunk goes out, so
                    # the row exists when the client sees the response end and the
                    # request's own bookkeeping (metrics, access log) is not delayed.
                    await self._record_once(scope, seen)
            await send(message)

        try:
            await self.app(scope, receive_observed, send_observed)
        except Exception:
            if not seen.started:
                seen.status = 500
            await self._record_once(scope, seen)
            raise
        # A stream the client left before its end never sent a last chunk.
        await self._record_once(scope, seen)

    def _record_beside(self, scope: Scope, seen: _Seen) -> None:
        """Write a stream's record beside it. Its outcome is known once it started, and its
        end usually comes with the client leaving, which would cancel a write made then."""
        seen.recorded = True
        task = asyncio.create_task(self._record(scope, seen))
        self._writing.add(task)
        task.add_done_callback(self._writing.discard)

    async def _record_once(self, scope: Scope, seen: _Seen) -> None:
        if seen.recorded:
            return
        seen.recorded = True
        # Shielded: a client that leaves must not cut the write off mid-transaction.
        await asyncio.shield(self._record(scope, seen))

    async def _record(self, scope: Scope, seen: _Seen) -> None:
        try:
            for entry in await self._entries(scope, seen):
                await service.record(self.services.database, entry)
        except Exception:  # the audit log must never be the reason a request fails
            logger.exception("audit record not written for %s %s", scope["method"], scope["path"])

    async def _entries(self, scope: Scope, seen: _Seen) -> list[entries.AuditEntry]:
        action = entries.action_of(scope)
        if action is None:
            return []
        found = self._who(scope, seen)
        if found is None and scope["path"] in LOGIN_PATHS and seen.status >= 400:
            return await self._failed_logins(scope, seen, action)
        if found is None:
            return []  # no verified caller (e.g. 401): no tenant to file it under
        created = seen.response_json().get("id") if seen.status == 201 else None
        return [self._entry(scope, seen, action, found, created_id=created)]

    def _who(self, scope: Scope, seen: _Seen) -> actors.Actor | None:
        settings = self.services.settings
        if scope["path"] in TOKEN_PATHS:
            token = seen.response_json().get("access_token") if seen.status == 200 else None
            return actors.from_access_token(settings, token if isinstance(token, str) else None)
        return actors.from_principal(scope) or (
            actors.from_access_token(settings, actors.bearer_token(scope))
            if seen.status != 401
            else None
        )

    async def _failed_logins(
        self, scope: Scope, seen: _Seen, action: str
    ) -> list[entries.AuditEntry]:
        # A failed login is filed with every tenant where that email has an account
        # (the one named, for login-with-tenant); an unknown email is nobody's business.
        from platform_api.auth.service import find_login_candidates

        body = seen.request_json()
        email, tenant = body.get("email"), body.get("tenant")
        if not isinstance(email, str) or not email or len(email) > 320 or "\x00" in email:
            return []
        candidates = await find_login_candidates(database=self.services.database, email=email)
        return [
            self._entry(
                scope,
                seen,
                action,
                actors.Actor(
                    tenant_id=c.tenant_id,
                    actor_id=c.user_id,
                    actor_type="user",
                    details={"email": email},
                ),
                created_id=None,
            )
            for c in candidates[:10]
            if tenant is None or tenant == c.tenant_name
        ]

    @staticmethod
    def _entry(
        scope: Scope,
        seen: _Seen,
        action: str,
        actor: actors.Actor,
        *,
        created_id: object,
    ) -> entries.AuditEntry:
        target_type, target_id = entries.target_of(
            scope, str(created_id)[:255] if created_id else None
        )
        details: dict[str, Any] = {"route": entries.route_name(scope), **actor.details}
        ids = entries.path_ids(scope)
        if ids:
            details["path_params"] = ids
        request_id = REQUEST_ID.get()
        return entries.AuditEntry(
            tenant_id=actor.tenant_id,
            actor_id=actor.actor_id,
            actor_type=actor.actor_type,
            action=action,
            target_type=target_type,
            target_id=target_id,
            outcome=entries.outcome_of(seen.status),
            status_code=seen.status,
            request_id=request_id[:64] if request_id else None,
            ip_address=client_ip(scope)[:64],
            details=details,
        )
