"""A local OpenID Connect provider for tests and browser journeys (a real HTTP server).

Serves discovery, a JWK set (one RSA key, RS256), an authorization endpoint (a small
form asking who you are; the form's POST issues a one-use code bound to the client,
redirect URI, nonce and PKCE challenge) and a token endpoint (client authentication
by ``client_secret_basic``, PKCE S256 checked, a used or unknown code refused with
``invalid_grant``). Every code issued and every token request is recorded.

``tamper(**claims)`` changes the claims of the next ID token (a wrong ``aud``, a wrong
``nonce``, an ``exp`` in the past); ``people`` maps e-mail → extra claims (groups), and
``default_claims`` are everyone else's.

Run alone for the browser journeys: ``python -m tests.oidc_provider --port 9000
--client-id ui --client-secret s3cret`` (prints its issuer URL once it listens).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import html
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_plus, urlencode

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

KEY_ID = "local-test-key"


@dataclass
class IssuedCode:
    """A code the provider handed out, and what it is bound to."""

    client_id: str
    redirect_uri: str
    nonce: str | None
    challenge: str
    email: str
    used: bool = False


@dataclass
class LocalOidcProvider:
    """The provider's state; ``app`` serves it. Set ``issuer`` once the port is known."""

    client_id: str
    client_secret: str
    issuer: str = ""
    people: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Extra claims of anyone not in ``people``.
    default_claims: dict[str, Any] = field(default_factory=dict)
    codes: dict[str, IssuedCode] = field(default_factory=dict)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    next_claims: dict[str, Any] = field(default_factory=dict)
    # (key, algorithm) that signs the next ID token instead of the published key.
    next_signer: tuple[Any, str] | None = None
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )

    def tamper(self, **claims: Any) -> None:
        """Override claims of the next ID token only (``None`` removes a claim)."""
        self.next_claims = claims

    def forge(self, key: Any, algorithm: str) -> None:
        """Sign the next ID token with ``key`` (not the published one) under the same kid."""
        self.next_signer = (key, algorithm)

    @property
    def app(self) -> Starlette:
        """The provider as an ASGI app."""
        return Starlette(
            routes=[
                Route("/.well-known/openid-configuration", self._discovery),
                Route("/jwks", self._jwks),
                Route("/authorize", self._authorize, methods=["GET", "POST"]),
                Route("/token", self._token, methods=["POST"]),
            ]
        )

    async def _discovery(self, request: Request) -> Response:
        return JSONResponse(
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            }
        )

    async def _jwks(self, request: Request) -> Response:
        public = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return JSONResponse({"keys": [{**public, "kid": KEY_ID, "use": "sig", "alg": "RS256"}]})

    async def _authorize(self, request: Request) -> Response:
        query = request.query_params
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            return JSONResponse({"error": "unauthorized_client"}, status_code=400)
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return JSONResponse({"error": "invalid_request"}, status_code=400)
        if request.method == "GET":
            return HTMLResponse(_SIGN_IN_FORM.format(action=html.escape(str(request.url))))
        email = str((await request.form()).get("email", "")).strip()
        code = secrets.token_urlsafe(24)
        self.codes[code] = IssuedCode(
            client_id=self.client_id,
            redirect_uri=str(query["redirect_uri"]),
            nonce=query.get("nonce"),
            challenge=str(query["code_challenge"]),
            email=email,
        )
        back = urlencode({"code": code, "state": query.get("state", "")})
        return RedirectResponse(f"{query['redirect_uri']}?{back}", status_code=302)

    def _client_ok(self, request: Request) -> bool:
        scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return False
        user, _, password = base64.b64decode(encoded).decode().partition(":")
        return (unquote_plus(user), unquote_plus(password)) == (self.client_id, self.client_secret)

    async def _token(self, request: Request) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        self.token_requests.append(form)
        if not self._client_ok(request):
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        issued = self.codes.get(form.get("code", ""))
        if issued is None or issued.used or form.get("grant_type") != "authorization_code":
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        issued.used = True  # a code works once, even when the rest of the request is wrong
        verifier = form.get("code_verifier", "").encode()
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=")
        if (
            challenge.decode() != issued.challenge
            or form.get("redirect_uri") != issued.redirect_uri
        ):
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        return JSONResponse(
            {
                "access_token": secrets.token_urlsafe(16),
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": self.id_token(issued),
            }
        )

    def id_token(self, issued: IssuedCode) -> str:
        """A signed ID token for the person behind a code (with any tampering applied)."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "sub": hashlib.sha256(issued.email.encode()).hexdigest()[:24],
            "aud": issued.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": issued.nonce,
            "email": issued.email,
            "email_verified": True,
            "name": issued.email.split("@")[0].title(),
            **self.people.get(issued.email, self.default_claims),
        }
        claims.update(self.next_claims)
        self.next_claims = {}
        claims = {k: v for k, v in claims.items() if v is not None}
        key, algorithm = self.next_signer or (self.key, "RS256")
        self.next_signer = None
        return jwt.encode(claims, key, algorithm=algorithm, headers={"kid": KEY_ID})


_SIGN_IN_FORM = """<!doctype html>
<html><head><title>Local identity provider</title></head>
<body><h1>Local identity provider</h1>
<form method="post" action="{action}">
<label>E-mail <input name="email" type="email" required autocomplete="off"></label>
<button type="submit">Continue</button>
</form></body></html>"""


def main() -> None:
    """Serve the provider on 127.0.0.1 (for the browser journeys)."""
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument(
        "--person", action="append", default=[], help="email=group1,group2 (the groups claim)"
    )
    parser.add_argument("--default-groups", default="", help="groups of anyone else (a,b)")
    args = parser.parse_args()
    provider = LocalOidcProvider(args.client_id, args.client_secret)
    provider.issuer = f"http://127.0.0.1:{args.port}"
    provider.default_claims = {"groups": [g for g in args.default_groups.split(",") if g]}
    for person in args.person:
        email, _, groups = person.partition("=")
        provider.people[email] = {"groups": [g for g in groups.split(",") if g]}
    uvicorn.run(provider.app, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
