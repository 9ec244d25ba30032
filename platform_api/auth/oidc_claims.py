"""From a validated ID token's claims to a tenant account: e-mail, domain, role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from platform_api.errors import Forbidden

# Highest first: with several matching claim values, the strongest role wins.
ROLE_ORDER = ("admin", "developer", "reviewer", "user", "viewer")


@dataclass(frozen=True)
class SignInIdentity:
    """Who the provider vouched for, as this tenant sees them."""

    email: str
    display_name: str | None
    mapped_role: str | None  # None: no claim value matched the mapping


def _claim_values(claims: dict[str, Any], name: str) -> list[str]:
    value = claims.get(name)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def mapped_role(
    claims: dict[str, Any], role_claim: str | None, mapping: dict[str, Any]
) -> str | None:
    """The highest tenant role any value of ``role_claim`` maps to (None: no match)."""
    if not role_claim:
        return None
    roles = {mapping[v] for v in _claim_values(claims, role_claim) if v in mapping}
    return next((r for r in ROLE_ORDER if r in roles), None)


def identity_from_claims(
    claims: dict[str, Any],
    *,
    allowed_domains: list[str],
    role_claim: str | None,
    role_mapping: dict[str, Any],
) -> SignInIdentity:
    """The person to sign in; 403 for a missing or unverified e-mail or a domain not allowed."""
    email = claims.get("email")
    if not isinstance(email, str) or email.count("@") != 1 or len(email) > 255:
        raise Forbidden("the identity provider did not share an e-mail address")
    # Providers that say nothing are trusted; one that says "not verified" is believed.
    if claims.get("email_verified", True) not in (True, "true"):
        raise Forbidden("the identity provider has not verified this e-mail address")
    domain = email.rsplit("@", 1)[1].lower()
    if allowed_domains and domain not in allowed_domains:
        raise Forbidden(f"e-mail addresses at {domain} may not sign in to this tenant")
    name = claims.get("name")
    return SignInIdentity(
        email=email.lower(),
        display_name=name[:200] if isinstance(name, str) and name else None,
        mapped_role=mapped_role(claims, role_claim, role_mapping),
    )
