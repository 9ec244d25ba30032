"""The password policy applied wherever a password is chosen (user, tenant, change).

Length over cleverness (NIST SP 800-63B): at least 10 characters, within bcrypt's
72 bytes, not a single character class, not the account's email, not one of the
passwords every guessing list starts with.
"""

from __future__ import annotations

import string

from platform_api.errors import ValidationFailed

BCRYPT_MAX_BYTES = 72
MIN_PASSWORD_LENGTH = 10

# The head of every public breach list, plus this product's own obvious choices.
COMMON_PASSWORDS = frozenset(
    {
        "1234567890",
        "12345678910",
        "123456789a",
        "1q2w3e4r5t",
        "1qaz2wsx3edc",
        "abc1234567",
        "abcd123456",
        "admin12345",
        "administrator",
        "agentpaas123",
        "changeme123",
        "iloveyou123",
        "letmein123",
        "password1",
        "password12",
        "password123",
        "password1234",
        "password!",
        "passw0rd123",
        "p@ssw0rd123",
        "p@ssword123",
        "q1w2e3r4t5",
        "qwerty1234",
        "qwerty12345",
        "qwerty123456",
        "qwertyuiop",
        "qwertyuiop1",
        "welcome123",
        "welcome1234",
        "zaq12wsxcde",
    }
)


def _character_classes(password: str) -> int:
    classes = (
        any(c in string.ascii_lowercase for c in password),
        any(c in string.ascii_uppercase for c in password),
        any(c in string.digits for c in password),
        # Punctuation, spaces and every non-ASCII letter count as "other".
        any(not (c.isascii() and c.isalnum()) for c in password),
    )
    return sum(classes)


def password_policy_problems(password: str, *, email: str | None = None) -> list[str]:
    """Every rule ``password`` breaks, in words a person can act on (empty: acceptable)."""
    problems = []
    if len(password.encode("utf-8")) > BCRYPT_MAX_BYTES:
        problems.append(f"password must be at most {BCRYPT_MAX_BYTES} bytes in UTF-8")
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"password must be at least {MIN_PASSWORD_LENGTH} characters")
    if password and _character_classes(password) < 2:
        problems.append(
            "password must mix at least two kinds of characters "
            "(lower case, upper case, digits, others)"
        )
    if email and password.strip().lower() == email.strip().lower():
        problems.append("password must not be the email address")
    if password.lower() in COMMON_PASSWORDS:
        problems.append("password is too common")
    return problems


def check_password_policy(
    password: str, *, email: str | None = None, field: str = "password"
) -> None:
    """Raise a 422 problem naming every rule the password breaks."""
    problems = password_policy_problems(password, email=email)
    if problems:
        raise ValidationFailed(
            "; ".join(problems),
            errors=[{"path": f"/body/{field}", "message": m} for m in problems],
        )
