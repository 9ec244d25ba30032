"""Per-tenant webhooks: the secret is shown once and stored sealed, unsafe URLs are
refused, and a delivery survives a receiver that fails twice (Must show): exactly one
successful delivery, its signature verifies, three attempts recorded."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from typing import Any

from fastapi import FastAPI, Request, Response

from platform_core.models import Webhook
from tests.helpers import Platform, serve_asgi
from tests.notifications.helpers import eventually


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def flaky_receiver(calls: list[dict[str, Any]], failures: int) -> FastAPI:
    """Answers 500 to its first ``failures`` requests, then 204; records every request."""
    app = FastAPI()

    @app.post("/hook")
    async def hook(request: Request) -> Response:
        calls.append({"headers": dict(request.headers), "body": await request.body()})
        return Response(status_code=500 if len(calls) <= failures else 204)

    return app


def verifies(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """The receiver's side of the documented scheme (docs/webhooks.md)."""
    stamp = headers["x-agentpaas-timestamp"]
    expected = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256)
    fresh = abs(time.time() - int(stamp)) < 300
    return fresh and hmac.compare_digest(
        "v1=" + expected.hexdigest(), headers["x-agentpaas-signature"]
    )


async def _rejected_submission(platform: Platform, token: str) -> dict[str, Any]:
    agent_id = platform.seeded.agent_id
    created = await platform.client.post(
        f"/api/v1/developer/agents/{agent_id}/versions",
        json={"version": f"9.{uuid.uuid4().int % 10_000}.0", "template_name": "plain_chat"},
        headers=_auth(token),
    )
    assert created.status_code == 201, created.text
    version = created.json()
    submitted = await platform.client.post(
        f"/api/v1/developer/agents/{agent_id}/versions/{version['id']}/submit",
        headers=_auth(token),
    )
    assert submitted.status_code == 200, submitted.text
    rejected = await platform.client.post(
        f"/api/v1/reviews/versions/{version['id']}/reject",
        json={"reason": "needs a better prompt"},
        headers=_auth(token),
    )
    assert rejected.status_code == 200, rejected.text
    return dict(rejected.json())


async def test_a_delivery_survives_a_receiver_that_fails_twice(
    platform: Platform, admin_token: str
) -> None:
    calls: list[dict[str, Any]] = []
    async with serve_asgi(flaky_receiver(calls, failures=2), "/hook") as url:
        created = await platform.client.post(
            "/api/v1/webhooks",
            json={"url": url, "events": ["submission_rejected"], "description": "flaky"},
            headers=_auth(admin_token),
        )
        assert created.status_code == 201, created.text
        hook = created.json()
        secret = hook["secret"]
        assert secret.startswith("whsec_") and len(secret) > 40
        try:
            version = await _rejected_submission(platform, admin_token)
            deliveries_url = f"/api/v1/webhooks/{hook['id']}/deliveries"

            async def delivered() -> list[dict[str, Any]] | None:
                response = await platform.client.get(deliveries_url, headers=_auth(admin_token))
                rows = list(response.json())
                return rows if rows and rows[0]["status"] == "delivered" else None

            [delivery] = await eventually(delivered, seconds=60)
        finally:
            await platform.client.delete(
                f"/api/v1/webhooks/{hook['id']}", headers=_auth(admin_token)
            )

    assert delivery["attempts"] == 3
    assert [a["status_code"] for a in delivery["attempt_log"]] == [500, 500, 204]
    assert delivery["last_status_code"] == 204 and delivery["delivered_at"]
    assert len(calls) == 3  # exactly one success, after two failures; no more
    # The same delivery each time (receivers deduplicate on it), each signed afresh.
    assert {c["headers"]["x-agentpaas-delivery"] for c in calls} == {delivery["id"]}
    for call in calls:
        assert verifies(secret, call["headers"], call["body"])
        assert not verifies("whsec_wrong", call["headers"], call["body"])
    payload = json.loads(calls[-1]["body"])
    assert payload["type"] == "submission_rejected"
    assert payload["id"] == delivery["event_id"]
    assert payload["data"]["version_id"] == version["id"]
    assert payload["data"]["reason"] == "needs a better prompt"
    assert secret not in calls[-1]["body"].decode()

    # The submitter sees the verdict in the notification centre too.
    notes = await platform.client.get("/api/v1/notifications", headers=_auth(admin_token))
    kinds = {(n["kind"], n["data"].get("version_id")) for n in notes.json()["items"]}
    assert ("submission_rejected", version["id"]) in kinds


async def test_the_secret_is_shown_once_and_stored_sealed(
    platform: Platform, admin_token: str
) -> None:
    created = await platform.client.post(
        "/api/v1/webhooks",
        json={"url": "http://127.0.0.1:9/never", "events": ["run_failed"]},
        headers=_auth(admin_token),
    )
    assert created.status_code == 201, created.text
    hook = created.json()
    listed = await platform.client.get("/api/v1/webhooks", headers=_auth(admin_token))
    [row] = [h for h in listed.json() if h["id"] == hook["id"]]
    assert "secret" not in row and row["secret_hint"] == hook["secret_hint"]
    assert hook["secret"] not in listed.text
    async with platform.db.tenant_session(platform.seeded.tenant_id) as session:
        stored = await session.get(Webhook, uuid.UUID(hook["id"]))
        assert stored is not None
        assert hook["secret"] not in stored.secret and stored.secret.startswith("v1.")
    deleted = await platform.client.delete(
        f"/api/v1/webhooks/{hook['id']}", headers=_auth(admin_token)
    )
    assert deleted.status_code == 204
    listed = await platform.client.get("/api/v1/webhooks", headers=_auth(admin_token))
    assert hook["id"] not in listed.text


async def test_urls_the_outbound_policy_refuses_are_refused(
    platform: Platform, admin_token: str
) -> None:
    for url in ("http://169.254.169.254/latest/meta-data", "http://10.1.2.3/hook", "file:///etc"):
        response = await platform.client.post(
            "/api/v1/webhooks",
            json={"url": url, "events": ["run_failed"]},
            headers=_auth(admin_token),
        )
        assert response.status_code == 422, (url, response.text)
