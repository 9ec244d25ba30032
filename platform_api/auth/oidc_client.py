"""The relying-party side of OpenID Connect: discovery, the authorization request with
PKCE (S256), the code exchange and ID-token validation.

Every call to the issuer goes through the platform's outbound policy (SSRF rules, the
operator's allow-list, connections pinned to checked addresses, no redirects). Refusals
raise :class:`OidcRefused` with a message fit to show: never a secret, a token or the
provider's own answer body (which may echo what it was sent).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus, urlencode, urlsplit

import httpx
import jwt

from platform_core.outbound import OutboundPolicy, UnsafeOutboundUrl, guarded_httpx_client_factory

# Asymmetric algorithms only: an HMAC-signed ID token would be keyed with the client
# secret, and "none" is no signature at all.
ID_TOKEN_ALGORITHMS = (
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "ES256",
    "ES384",
    "ES512",
)
CLOCK_LEEWAY_SECONDS = 30
TIMEOUT = httpx.Timeout(10.0)
MAX_DOCUMENT_BYTES = 256 * 1024


class OidcRefused(Exception):  # noqa: N818 - a refusal, not a crash
    """The sign-in cannot go on; the message says why without revealing secrets."""


@dataclass(frozen=True)
class ProviderMetadata:
    """What discovery told us about the issuer."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    token_auth_methods: tuple[str, ...]


def outbound_client(policy: OutboundPolicy) -> httpx.AsyncClient:
    """An HTTP client whose every request passes the outbound policy (redirects refused)."""
    factory = guarded_httpx_client_factory(policy, client_class=httpx.AsyncClient)
    client: httpx.AsyncClient = factory(timeout=TIMEOUT, follow_redirects=False)
    return client


def pkce_challenge(verifier: str) -> str:
    """The S256 code challenge of a PKCE verifier (RFC 7636 §4.2)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _http_url(value: Any, name: str) -> str:
    parts = urlsplit(value) if isinstance(value, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise OidcRefused(f"the provider's discovery document has no usable {name}")
    return str(value)


async def _get_json(client: httpx.AsyncClient, url: str, what: str) -> dict[str, Any]:
    try:
        response = await client.get(url, headers={"Accept": "application/json"})
    except UnsafeOutboundUrl as exc:
        raise OidcRefused(f"the identity provider's {what} is not reachable: {exc}") from None
    except httpx.HTTPError:
        raise OidcRefused(f"the identity provider's {what} did not answer") from None
    if response.status_code != 200 or len(response.content) > MAX_DOCUMENT_BYTES:
        raise OidcRefused(f"the identity provider's {what} answered {response.status_code}")
    try:
        body = response.json()
    except ValueError:
        raise OidcRefused(f"the identity provider's {what} is not JSON") from None
    if not isinstance(body, dict):
        raise OidcRefused(f"the identity provider's {what} is not a JSON object")
    return body


async def discover(client: httpx.AsyncClient, issuer: str) -> ProviderMetadata:
    """Read ``{issuer}/.well-known/openid-configuration``; its ``issuer`` must be ours exactly."""
    document = await _get_json(
        client, issuer.rstrip("/") + "/.well-known/openid-configuration", "discovery document"
    )
    if document.get("issuer") != issuer:
        # OpenID Connect Discovery §4.3: a document naming another issuer is not to be used.
        raise OidcRefused("the discovery document names a different issuer")
    methods = document.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    return ProviderMetadata(
        issuer=issuer,
        authorization_endpoint=_http_url(
            document.get("authorization_endpoint"), "authorization_endpoint"
        ),
        token_endpoint=_http_url(document.get("token_endpoint"), "token_endpoint"),
        jwks_uri=_http_url(document.get("jwks_uri"), "jwks_uri"),
        token_auth_methods=tuple(str(m) for m in methods),
    )


def authorization_url(
    metadata: ProviderMetadata,
    *,
    client_id: str,
    redirect_uri: str,
    scopes: str,
    state: str,
    nonce: str,
    code_verifier: str,
) -> str:
    """Where to send the browser: the authorization request with state, nonce and PKCE."""
    query = urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": scopes,
            "state": state,
            "nonce": nonce,
            "code_challenge": pkce_challenge(code_verifier),
            "code_challenge_method": "S256",
        }
    )
    separator = "&" if urlsplit(metadata.authorization_endpoint).query else "?"
    return f"{metadata.authorization_endpoint}{separator}{query}"


async def exchange_code(
    client: httpx.AsyncClient,
    metadata: ProviderMetadata,
    *,
    code: str,
    redirect_uri: str,
    code_verifier: str,
    client_id: str,
    client_secret: str,
) -> str:
    """Trade the authorization code for tokens; returns the ID token."""
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": code_verifier,
    }
    headers = {"Accept": "application/json"}
    if "client_secret_basic" in metadata.token_auth_methods:
        # RFC 6749 §2.3.1: both parts form-encoded before they are joined.
        pair = f"{quote_plus(client_id)}:{quote_plus(client_secret)}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
    else:
        form |= {"client_id": client_id, "client_secret": client_secret}
    try:
        response = await client.post(metadata.token_endpoint, data=form, headers=headers)
    except UnsafeOutboundUrl as exc:
        raise OidcRefused(f"the identity provider's token endpoint is refused: {exc}") from None
    except httpx.HTTPError:
        raise OidcRefused("the identity provider's token endpoint did not answer") from None
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code != 200 or not isinstance(body, dict):
        # Only the registered error code, never the body (it may repeat what it got).
        error = body.get("error") if isinstance(body, dict) else None
        named = f" ({error})" if isinstance(error, str) and error.isidentifier() else ""
        raise OidcRefused(f"the identity provider refused the authorization code{named}")
    id_token = body.get("id_token")
    if not isinstance(id_token, str) or not id_token:
        raise OidcRefused("the identity provider returned no ID token")
    return id_token


async def fetch_jwks(client: httpx.AsyncClient, metadata: ProviderMetadata) -> dict[str, Any]:
    """The issuer's signing keys (JWK set)."""
    return await _get_json(client, metadata.jwks_uri, "key set")


def _signing_key(id_token: str, jwks: dict[str, Any]) -> tuple[jwt.PyJWK, str]:
    try:
        header = jwt.get_unverified_header(id_token)
    except jwt.InvalidTokenError:
        raise OidcRefused("the ID token is malformed") from None
    algorithm = header.get("alg")
    if algorithm not in ID_TOKEN_ALGORITHMS:
        raise OidcRefused("the ID token is not signed with an accepted algorithm")
    try:
        keys = jwt.PyJWKSet.from_dict(jwks).keys
    except jwt.PyJWTError:
        raise OidcRefused("the identity provider's key set has no usable key") from None
    kid = header.get("kid")
    matching = [k for k in keys if kid is None or k.key_id == kid]
    if len(matching) != 1:
        raise OidcRefused("the ID token is signed with a key the provider does not publish")
    return matching[0], str(algorithm)


def validate_id_token(
    id_token: str, *, jwks: dict[str, Any], issuer: str, client_id: str, nonce: str
) -> dict[str, Any]:
    """The ID token's claims once its signature, ``iss``, ``aud``, ``azp``, ``exp``,
    ``iat`` and ``nonce`` all check out (OpenID Connect Core §3.1.3.7)."""
    key, algorithm = _signing_key(id_token, jwks)
    try:
        claims: dict[str, Any] = jwt.decode(
            id_token,
            key=key,
            algorithms=[algorithm],
            audience=client_id,
            issuer=issuer,
            leeway=CLOCK_LEEWAY_SECONDS,
            options={"require": ["iss", "sub", "aud", "exp", "iat"]},
        )
    except jwt.ExpiredSignatureError:
        raise OidcRefused("the ID token has expired") from None
    except jwt.InvalidAudienceError:
        raise OidcRefused("the ID token was issued for another client") from None
    except jwt.InvalidIssuerError:
        raise OidcRefused("the ID token was issued by another issuer") from None
    except jwt.InvalidSignatureError:
        raise OidcRefused("the ID token's signature does not verify") from None
    except jwt.InvalidTokenError:
        raise OidcRefused("the ID token is not valid") from None
    audience = claims["aud"]
    several = isinstance(audience, list) and len(audience) > 1
    if (several or "azp" in claims) and claims.get("azp") != client_id:
        raise OidcRefused("the ID token was authorized for another client (azp)")
    received = claims.get("nonce")
    if not isinstance(received, str) or not hmac.compare_digest(received.encode(), nonce.encode()):
        raise OidcRefused("the ID token does not answer this sign-in (nonce)")
    return claims
