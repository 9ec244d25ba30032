"""schemathesis against the app's own OpenAPI, in-process, as the admins of two tenants:
no request may end in a 5xx, and every response must keep to the document (its status
code documented, its content type and body matching the schema).

The app's database pool and Temporal client live on the test session's event loop,
while hypothesis drives schemathesis synchronously; so the cases are generated and
checked in a worker thread and each request is sent to the ASGI app on the session
loop (``run_coroutine_threadsafe``) — in-process, no socket.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from agentpaas.runtime.postgres import DatabaseUrls
from platform_api.app import create_app
from tests.helpers import Platform, fresh_tenant_admin_token

BASE_URL = "http://testserver"
EXAMPLES = 4  # per operation, tenant and mode: bounded, the run stays within minutes
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Left out of the generated traffic, and why.
SKIPPED = {
    # They revoke the very credentials the run uses (or change the password behind them).
    ("POST", "/api/auth/logout-all"),
    ("POST", "/api/auth/password"),
    # Random passwords against the login throttle would lock the shared client address
    # out of logins for the rest of the session; the auth tests cover these routes.
    ("POST", "/api/auth/login"),
    ("POST", "/api/auth/login-with-tenant"),
}
# A degraded health answer is a 503 by design (a load balancer reads it): the health
# route is checked against its document, 503 included, but not for being a server error.
DESIGNED_503 = {("GET", "/api/v1/health")}

Send = Callable[[dict[str, Any]], httpx.Response]


def _httpx_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    """A requests-style request (what schemathesis serializes) as httpx arguments."""
    out = {
        "method": kwargs["method"],
        "url": kwargs["url"],
        "headers": kwargs.get("headers") or {},
        "params": kwargs.get("params") or None,
        "cookies": kwargs.get("cookies") or None,
    }
    if "json" in kwargs:
        out["json"] = kwargs["json"]
    data = kwargs.get("data")
    if isinstance(data, bytes | str):
        out["content"] = data
    elif data is not None:
        out["data"] = data
    files = []
    for name, (filename, content, *rest) in kwargs.get("files") or []:
        if filename is None:  # a plain form field: httpx sends those as data, as text
            out.setdefault("data", {})[name] = str(content)
        else:
            files.append((name, (filename, content, *rest)))
    if files:
        out["files"] = files
    return out


def _check_operation(operation: Any, token: str, mode: GenerationMode, send: Send) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    designed_503 = (operation.method.upper(), operation.path) in DESIGNED_503
    checks = [check for check in CHECKS if not (designed_503 and check is not_a_server_error)]

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        response = send(case.as_transport_kwargs(base_url=BASE_URL, headers=headers))
        if response.headers.get("content-type", "").startswith("text/event-stream"):
            # A stream's frames are not a JSON body: only its status and type are checked.
            case.validate_response(response, checks=[not_a_server_error, status_code_conformance])
            return
        case.validate_response(response, checks=checks)

    run()


def _run_all(schema: Any, tokens: list[str], send: Send) -> tuple[int, list[str]]:
    failures = []
    checked = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue
        checked += 1
        for index, token in enumerate(tokens):
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                try:
                    _check_operation(operation, token, mode, send)
                except Unsatisfiable:
                    pass  # nothing invalid can be sent to it (e.g. no parameters, no body)
                except (Exception, BaseExceptionGroup) as error:  # every failure is kept
                    text = str(error).strip().replace("\n", " | ")[:600]
                    where = f"{operation.method.upper()} {operation.path}"
                    failures.append(f"{where} [tenant {index}, {mode.value}]: {text}")
    return checked, failures


async def test_the_api_keeps_to_its_own_openapi_document(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    tokens = [
        await fresh_tenant_admin_token(platform, database_urls.admin_url),
        await fresh_tenant_admin_token(platform, database_urls.admin_url),
    ]
    # An app of its own with rate limits off: thousands of generated requests must not
    # use up the shared counters other tests run under.
    app: FastAPI = create_app(
        platform.settings.model_copy(
            update={"rate_limit_per_ip": 0, "rate_limit_per_credential": 0}
        ),
        database_url=database_urls.app_url,
        temporal_address="unused:7233",
        temporal_client=platform.temporal,
        ui_dist=None,
    )
    schema = schemathesis.openapi.from_dict(app.openapi())
    loop = asyncio.get_running_loop()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL, timeout=60) as client:

        def send(kwargs: dict[str, Any]) -> httpx.Response:
            request = client.request(**_httpx_kwargs(kwargs))
            response = asyncio.run_coroutine_threadsafe(request, loop).result(timeout=120)
            response.request.read()  # a multipart body is a stream; the checks read it
            return response

        checked, failures = await asyncio.to_thread(_run_all, schema, tokens, send)
    await app.state.services.database.dispose()
    assert checked > 60
    assert failures == []
