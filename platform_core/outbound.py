"""SSRF rules for every URL the platform connects to (MCP servers, providers, HTTP tools).

A URL is safe when its scheme is http(s) and every address its host resolves to is a
public unicast address. Loopback, link-local (cloud metadata lives there), private,
CGNAT, multicast, reserved and unspecified ranges are refused unless the operator's
allow-list names the network, the host or the host:port. All resolved addresses are
checked, not just the first: a name that also resolves inward is refused.

Redirects are followed only hop by hop through ``guarded_httpx_client_factory``,
whose request hook re-checks every target before it is sent. Its clients also connect
only to the addresses they checked: their transport resolves the host itself, checks
every answer and opens the socket to a checked address (TLS still verifies the name), so
a name that answers a public address at check time and an inward one at connect time
(DNS rebinding) never gets a connection.
"""

from __future__ import annotations

import asyncio
import importlib
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from platform_core.settings import Settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Ranges Python's flags miss or that deserve a name in the refusal.
_NAMED_RANGES: tuple[tuple[IPNetwork, str], ...] = (
    (ipaddress.ip_network("169.254.169.254/32"), "the cloud metadata address"),
    (ipaddress.ip_network("fd00:ec2::254/128"), "the cloud metadata address"),
    (ipaddress.ip_network("100.64.0.0/10"), "a carrier-grade NAT (shared) address"),
    (ipaddress.ip_network("0.0.0.0/8"), "an unspecified address"),
)
ALLOWED_SCHEMES = ("http", "https")
# Client options that configure the client's default transport.
_TRANSPORT_OPTIONS = ("verify", "cert", "http1", "http2", "limits")


class UnsafeOutboundUrl(ValueError):  # noqa: N818 - the name is the public API
    """The URL may not be connected to; the message says why (never with credentials)."""


class UnresolvableHost(UnsafeOutboundUrl):
    """The host does not resolve (now): not a policy refusal, and it may pass later."""


@dataclass(frozen=True)
class OutboundPolicy:
    """What the operator allows beyond the public internet.

    ``allow`` entries are networks in CIDR form (``10.0.0.0/8``), single addresses,
    host names, or ``host:port`` (that port only).
    """

    allow: tuple[str, ...] = ()

    @classmethod
    def from_settings(cls, settings: Settings) -> OutboundPolicy:
        """The policy configured by ``AGENTPAAS_OUTBOUND_ALLOW_LIST``."""
        return cls(allow=tuple(settings.outbound_allow_list))

    def allows_host(self, host: str, port: int) -> bool:
        """True when the host name (or host:port) is allow-listed as such."""
        host = host.lower().strip("[]")
        for entry in self.allow:
            name, _, entry_port = _split_entry(entry)
            if name == host and (not entry_port or entry_port == str(port)):
                return True
        return False

    def allows_address(self, address: IPAddress, port: int) -> bool:
        """True when an allow-list network (or address[:port]) contains ``address``."""
        for entry in self.allow:
            name, _, entry_port = _split_entry(entry)
            if entry_port and entry_port != str(port):
                continue
            try:
                network = ipaddress.ip_network(name, strict=False)
            except ValueError:
                continue
            if address.version == network.version and address in network:
                return True
        return False


def _split_entry(entry: str) -> tuple[str, str, str]:
    entry = entry.strip().lower()
    if entry.startswith("["):  # [v6]:port
        host, _, rest = entry[1:].partition("]")
        return host, ":", rest.lstrip(":")
    if entry.count(":") == 1:  # host:port or v4:port (bare IPv6 has several colons)
        host, _, port = entry.partition(":")
        if port.isdigit():
            return host, ":", port
    return entry, "", ""


def unsafe_reason(address: IPAddress) -> str | None:
    """Why connecting to ``address`` is refused, or None for a public unicast address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return unsafe_reason(address.ipv4_mapped)
    for network, label in _NAMED_RANGES:
        if address.version == network.version and address in network:
            return label
    checks = (
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (address.is_unspecified, "an unspecified address"),
        (address.is_reserved, "a reserved address"),
        (address.is_private, "a private address"),
        (not address.is_global, "a non-public address"),
    )
    return next((label for refused, label in checks if refused), None)


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (a literal address resolves to itself)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnresolvableHost(f"the host {host!r} does not resolve") from exc
    addresses: list[IPAddress] = []
    for info in infos:
        literal = str(info[4][0]).split("%", 1)[0]  # drop an IPv6 zone id
        address = ipaddress.ip_address(literal)
        if address not in addresses:
            addresses.append(address)
    return addresses


def _parts(url: str) -> tuple[str, str, int]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeOutboundUrl("the URL is malformed") from exc
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise UnsafeOutboundUrl(f"only http and https URLs are allowed, not {scheme or 'none'!r}")
    host = (parts.hostname or "").lower()
    if not host:
        raise UnsafeOutboundUrl("the URL has no host")
    return scheme, host, port or (443 if scheme == "https" else 80)


async def check_outbound_url(url: str, policy: OutboundPolicy) -> None:
    """Raise ``UnsafeOutboundUrl`` unless connecting to ``url`` is allowed.

    The message names the host and the kind of address, never the URL's user info,
    path or query (where credentials tend to hide).
    """
    _, host, port = _parts(url)
    if not policy.allows_host(host, port):  # an allow-listed name need not resolve yet
        await checked_addresses(host, port, policy)


async def checked_addresses(host: str, port: int, policy: OutboundPolicy) -> list[IPAddress]:
    """The addresses ``host`` resolves to now, once every one of them passed the rules."""
    host = host.lower().strip("[]")
    addresses = await resolve(host, port)
    if policy.allows_host(host, port):
        return addresses
    for address in addresses:
        reason = unsafe_reason(address)
        if reason is not None and not policy.allows_address(address, port):
            shown = host if host == str(address) else f"{host} ({address})"
            raise UnsafeOutboundUrl(
                f"{shown} is {reason}; outbound connections there are not allowed "
                "unless the operator allow-lists it"
            )
    return addresses


class PinnedNetworkBackend:
    """An httpcore (or httpcore2) network backend that connects to checked addresses only.

    Wraps the pool's own backend: ``connect_tcp`` resolves the host once, checks every
    answer, then connects the socket to those literal addresses in turn, so nothing
    resolves the name again between the check and the connection. TLS is unaffected:
    httpcore takes the server name for SNI and certificate checks from the request's
    origin, not from the socket.
    """

    def __init__(self, inner: Any, policy: OutboundPolicy) -> None:
        self._inner = inner
        self._policy = policy

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> Any:
        """A stream to the first checked address of ``host`` that accepts the connection."""
        addresses = await checked_addresses(host, port, self._policy)
        failure: BaseException | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(address),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except Exception as exc:  # the next address may answer (as getaddrinfo users do)
                failure = exc
        assert failure is not None  # resolve() never returns an empty list
        raise failure

    async def connect_unix_socket(self, path: str, *args: Any, **kwargs: Any) -> Any:
        """Never: outbound connections are TCP to checked addresses."""
        raise UnsafeOutboundUrl("unix sockets are not outbound destinations")

    async def sleep(self, seconds: float) -> None:
        """The wrapped backend's sleep (used by connection retries)."""
        await self._inner.sleep(seconds)


def pinned_transport(library: Any, policy: OutboundPolicy, **options: Any) -> Any:
    """``library.AsyncHTTPTransport(**options)`` (httpx or httpx2) that connects only to
    addresses it checked against ``policy`` (see ``PinnedNetworkBackend``).

    The transport's public constructor takes no network backend, so the pool's is wrapped
    in place; a library whose pool keeps it elsewhere fails here, loudly, not open.
    """
    transport = library.AsyncHTTPTransport(**options)
    pool = getattr(transport, "_pool", None)
    if pool is None or not hasattr(pool, "_network_backend"):
        raise RuntimeError(f"{library.__name__}'s transport cannot be pinned to checked addresses")
    pool._network_backend = PinnedNetworkBackend(pool._network_backend, policy)
    return transport


def outbound_request_hook(policy: OutboundPolicy) -> Callable[[Any], Awaitable[None]]:
    """An httpx (or httpx2) request event hook that checks each request, redirects included."""

    async def check(request: Any) -> None:
        await check_outbound_url(str(request.url), policy)

    return check


def guarded_httpx_client_factory(
    policy: OutboundPolicy, *, client_class: Any = None
) -> Callable[..., Any]:
    """A client factory whose clients check every request (so every redirect hop) first.

    Usable as fastmcp's ``httpx_client_factory`` (the default ``client_class`` is
    ``httpx2.AsyncClient``, which fastmcp uses) and by plain httpx users with
    ``client_class=httpx.AsyncClient``. Takes the keyword arguments fastmcp passes
    (``headers``, ``auth``, ``follow_redirects``, ``timeout``) and any other client options.
    Its clients connect only to addresses they checked (``pinned_transport``); with a
    transport of one's own, that pinning is the caller's business.
    """
    if client_class is None:
        import httpx2

        client_class = httpx2.AsyncClient
    hook = outbound_request_hook(policy)

    def factory(**kwargs: Any) -> Any:
        hooks = dict(kwargs.pop("event_hooks", None) or {})
        hooks["request"] = [hook, *hooks.get("request", [])]
        kwargs.setdefault("follow_redirects", True)
        library = importlib.import_module(client_class.__module__.split(".")[0])
        if kwargs.get("timeout") is None:
            # MCP's own defaults: a stream may stay quiet while a tool works.
            kwargs["timeout"] = library.Timeout(30.0, read=300.0)
        if kwargs.get("transport") is None:
            # Options a client gives its default transport go to the pinned one instead.
            options = {k: kwargs.pop(k) for k in _TRANSPORT_OPTIONS if k in kwargs}
            if "trust_env" in kwargs:  # the client reads it too (netrc)
                options["trust_env"] = kwargs["trust_env"]
            kwargs["transport"] = pinned_transport(library, policy, **options)
        return client_class(event_hooks=hooks, **kwargs)

    return factory
