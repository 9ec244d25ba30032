"""SSRF rules: refused ranges, the allow-list, redirects, and registration through the API."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import httpx
import pytest

from agentpaas.runtime.postgres import DatabaseUrls
from platform_api.app import create_app
from platform_core.outbound import (
    OutboundPolicy,
    UnsafeOutboundUrl,
    check_outbound_url,
    guarded_httpx_client_factory,
)
from tests.helpers import Platform, fake_dns, serve_asgi
from tests.tools.mcp_server import RunningServer
from tests.tools.tool_helpers import auth

STRICT = OutboundPolicy()
REFUSED = [
    ("http://127.0.0.1:8080/mcp", "loopback"),
    ("http://169.254.169.254/latest/meta-data/", "metadata"),
    ("http://[fd00:ec2::254]/", "metadata"),
    ("http://10.1.2.3/mcp", "private"),
    ("https://192.168.0.10/mcp", "private"),
    ("http://172.16.5.5/", "private"),
    ("http://100.64.1.1/", "carrier-grade NAT"),
    ("http://[::1]:9000/", "loopback"),
    ("http://[fd12:3456::1]/", "private"),
    ("http://[::ffff:127.0.0.1]/", "loopback"),
    ("http://224.0.0.1/", "multicast"),
    ("http://0.0.0.0:8000/", "unspecified"),
    ("http://localhost:8000/mcp", "loopback"),
]


@pytest.mark.parametrize(("url", "reason"), REFUSED)
async def test_non_public_addresses_are_refused(url: str, reason: str) -> None:
    with pytest.raises(UnsafeOutboundUrl, match=reason):
        await check_outbound_url(url, STRICT)


@pytest.mark.parametrize("url", ["ftp://example.org/x", "file:///etc/passwd", "gopher://x", "//x"])
async def test_only_http_and_https(url: str) -> None:
    with pytest.raises(UnsafeOutboundUrl, match="only http and https"):
        await check_outbound_url(url, STRICT)


async def test_public_addresses_pass() -> None:
    await check_outbound_url("https://93.184.216.34/mcp", STRICT)
    await check_outbound_url("http://[2606:2800:220:1:248:1893:25c8:1946]:8443/", STRICT)


@pytest.mark.parametrize(
    ("url", "allow"),
    [
        ("http://127.0.0.1:8080/mcp", ("127.0.0.1",)),
        ("http://10.1.2.3/mcp", ("10.0.0.0/8",)),
        ("http://192.168.0.10:9000/", ("192.168.0.10:9000",)),
        ("http://localhost:8000/mcp", ("localhost",)),
        ("http://localhost:8000/mcp", ("localhost:8000",)),
        ("http://169.254.169.254/", ("169.254.0.0/16",)),
    ],
)
async def test_the_allow_list_admits_what_it_names(url: str, allow: tuple[str, ...]) -> None:
    await check_outbound_url(url, OutboundPolicy(allow=allow))


@pytest.mark.parametrize(
    ("url", "allow"),
    [
        ("http://10.1.2.3/mcp", ("127.0.0.1",)),
        ("http://192.168.0.10:9001/", ("192.168.0.10:9000",)),
        ("http://localhost:8001/mcp", ("localhost:8000",)),
        ("http://169.254.169.254/", ("10.0.0.0/8",)),
    ],
)
async def test_the_allow_list_admits_nothing_else(url: str, allow: tuple[str, ...]) -> None:
    with pytest.raises(UnsafeOutboundUrl):
        await check_outbound_url(url, OutboundPolicy(allow=allow))


async def test_messages_never_repeat_credentials_from_the_url() -> None:
    with pytest.raises(UnsafeOutboundUrl) as caught:
        await check_outbound_url("http://user:s3cret-token@10.0.0.1/mcp?key=s3cret-token", STRICT)
    assert "s3cret" not in str(caught.value)


async def test_redirects_to_private_addresses_are_refused() -> None:
    async def ok(scope: dict, receive: object, send: object) -> None:  # type: ignore[type-arg]
        await send({"type": "http.response.start", "status": 200, "headers": []})  # type: ignore[operator]
        await send({"type": "http.response.body", "body": b"fine"})  # type: ignore[operator]

    from tests.tools.mcp_server import redirect_to

    policy = OutboundPolicy(allow=("127.0.0.1",))
    async with serve_asgi(ok, path="/") as target:
        async with serve_asgi(redirect_to("http://10.0.0.1/steal"), path="/") as hop:
            factory = guarded_httpx_client_factory(policy, client_class=httpx.AsyncClient)
            async with factory() as client:
                # An allowed redirect is followed: the guard does not break redirects.
                async with serve_asgi(redirect_to(target), path="/") as good_hop:
                    followed = await client.get(good_hop)
                    assert followed.status_code == 200 and followed.text == "fine"
                with pytest.raises(UnsafeOutboundUrl, match="private"):
                    await client.get(hop)


@pytest.mark.parametrize("library", ["httpx", "httpx2"])  # http_get's and fastmcp's
async def test_connections_go_to_the_address_that_was_checked(
    library: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: public when checked, loopback when connecting: never connected."""
    reached: list[str] = []

    async def inside(scope: dict, receive: object, send: object) -> None:  # type: ignore[type-arg]
        reached.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": []})  # type: ignore[operator]
        await send({"type": "http.response.body", "body": b"internal"})  # type: ignore[operator]

    async with serve_asgi(inside, path="/") as local:
        port = urlsplit(local).port
        answers = fake_dns(monkeypatch, "rebind.test", "93.184.216.34", "127.0.0.1")
        client_class = importlib.import_module(library).AsyncClient
        async with guarded_httpx_client_factory(STRICT, client_class=client_class)() as client:
            with pytest.raises(UnsafeOutboundUrl, match=r"rebind.test \(127.0.0.1\) is a loopback"):
                await client.get(f"http://rebind.test:{port}/secret")
    assert answers[0] == "93.184.216.34"  # the request hook's check passed
    assert reached == []


async def test_pinned_connections_still_verify_and_reach_public_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An allow-listed name connects to its (checked) address; the Host header is the name."""
    hosts: list[str] = []

    async def echo(scope: dict, receive: object, send: object) -> None:  # type: ignore[type-arg]
        hosts.append(dict(scope["headers"])[b"host"].decode())
        await send({"type": "http.response.start", "status": 200, "headers": []})  # type: ignore[operator]
        await send({"type": "http.response.body", "body": b"ok"})  # type: ignore[operator]

    async with serve_asgi(echo, path="/") as local:
        port = urlsplit(local).port
        fake_dns(monkeypatch, "tools.internal", "127.0.0.1")
        policy = OutboundPolicy(allow=(f"tools.internal:{port}",))
        async with guarded_httpx_client_factory(policy)() as client:
            answered = await client.get(f"http://tools.internal:{port}/")
    assert answered.text == "ok" and hosts == [f"tools.internal:{port}"]


@pytest.fixture
async def strict_client(
    platform: Platform, database_urls: DatabaseUrls
) -> AsyncIterator[httpx.AsyncClient]:
    """The API built with no allow-list at all (as in production by default)."""
    settings = platform.settings.model_copy(update={"outbound_allow_list": []})
    app = create_app(
        settings,
        database_url=database_urls.app_url,
        temporal_address="unused",
        temporal_client=platform.temporal,
        ui_dist=None,
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client
    await app.state.services.database.dispose()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/mcp",
        "http://169.254.169.254/mcp",
        "http://10.0.0.5/mcp",
        "http://192.168.1.20/mcp",
        "http://localhost:9/mcp",
    ],
)
async def test_registration_refuses_unsafe_urls_unless_allow_listed(
    url: str, strict_client: httpx.AsyncClient, platform: Platform, admin_token: str
) -> None:
    body = {"server_id": "ssrf-probe", "name": "probe", "endpoint_url": url, "discover": False}
    refused = await strict_client.post("/api/v1/tool-servers", json=body, headers=auth(admin_token))
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert problem["status"] == 422 and problem["errors"][0]["path"] == "/body/endpoint_url"
    assert refused.headers["content-type"].startswith("application/problem+json")
    listed = await strict_client.get("/api/v1/tool-servers", headers=auth(admin_token))
    assert "ssrf-probe" not in [s["server_id"] for s in listed.json()["items"]]

    # The session's app allow-lists 127.0.0.1 only: loopback (by address or by a name that
    # resolves to it) passes, the other ranges do not.
    allowed = await platform.client.post(
        "/api/v1/tool-servers",
        json={**body, "server_id": f"probe-{abs(hash(url)) % 10**8}"},
        headers=auth(admin_token),
    )
    if url.startswith(("http://127.0.0.1", "http://localhost")):
        assert allowed.status_code == 201, allowed.text
        await platform.client.delete(
            f"/api/v1/tool-servers/{allowed.json()['id']}", headers=auth(admin_token)
        )
    else:
        assert allowed.status_code == 422, allowed.text


async def test_provider_base_urls_follow_the_same_rules(
    strict_client: httpx.AsyncClient, admin_token: str
) -> None:
    for url in ("http://169.254.169.254/v1", "http://127.0.0.1:11434/v1", "http://10.2.3.4/v1"):
        created = await strict_client.post(
            "/api/v1/providers",
            json={"provider_name": "ssrf-probe", "kind": "openai_compatible", "base_url": url},
            headers=auth(admin_token),
        )
        assert created.status_code == 422, created.text
        assert created.json()["errors"][0]["path"] == "/body/base_url"


async def test_a_server_that_redirects_inward_is_refused_at_connect(
    platform: Platform, admin_token: str, tool_server: RunningServer
) -> None:
    async with serve_asgi(redirect_to_private(), path="/mcp") as hop:
        created = await platform.client.post(
            "/api/v1/tool-servers",
            json={"server_id": "redirector", "name": "redirector", "endpoint_url": hop},
            headers=auth(admin_token),
        )
        assert created.status_code == 201, created.text
        server = created.json()
        assert server["status"] == "error" and server["tool_count"] == 0
        # Refused either by the guard's hook (private address) or by the MCP client,
        # which does not follow redirects of its requests at all: never connected inward.
        error = server["last_error"]
        assert "private address" in error or "not followed" in error, error
        await platform.client.delete(
            f"/api/v1/tool-servers/{server['id']}", headers=auth(admin_token)
        )


def redirect_to_private() -> object:
    """A server that sends MCP clients to a private address."""
    from tests.tools.mcp_server import redirect_to

    return redirect_to("http://10.9.9.9/mcp")
