"""Masking credentials in text that is about to be written where people read it (logs).

Credentials can reach a message through an exception's text (a driver echoing a URL, a
provider echoing a header); these patterns mask them before the line is kept.
"""

from __future__ import annotations

import re

_SECRETS = (
    (re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]+"), r"\1 [redacted]"),
    (re.compile(r"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+"), "[redacted-jwt]"),
    (re.compile(r"\bsk-[A-Za-z0-9_-]{12,}"), "[redacted-key]"),
    (re.compile(r"(://[^/\s:@]+):[^/\s@]+@"), r"\1:[redacted]@"),
    (
        re.compile(
            r"(?i)\b(password|passwd|secret|api[_-]?key|access_token|refresh_token)"
            r"(\"?\s*[=:]\s*\"?)[^\s\"&,;]+"
        ),
        r"\1\2[redacted]",
    ),
)


def redact(text: str) -> str:
    """``text`` with bearer tokens, JWTs, API keys and URL passwords masked."""
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text
