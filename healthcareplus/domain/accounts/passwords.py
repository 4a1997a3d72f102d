"""Password hashing with bcrypt (cost 12), and the marker of a login without a password.

An account made for someone else (a doctor the clinic invites by email) has no password
until its owner sets one through the emailed link: its ``password_hash`` is
``NO_PASSWORD``, which no bcrypt hash can equal (they start with ``$2``), so nothing ever
verifies against it and a sign-in gets the usual wrong-password answer.
"""

from __future__ import annotations

import bcrypt

from healthcareplus.core.validation import MAX_PASSWORD_BYTES

BCRYPT_ROUNDS = 12
NO_PASSWORD = "!no-password-set"

# Checked against when the email is unknown, so both paths cost one bcrypt verification.
_DUMMY_HASH = bcrypt.hashpw(b"not-a-real-password", bcrypt.gensalt(BCRYPT_ROUNDS))


def hash_password(password: str) -> str:
    raw = password.encode()
    if len(raw) > MAX_PASSWORD_BYTES:
        raise ValueError("Password is longer than 72 bytes")
    return bcrypt.hashpw(raw, bcrypt.gensalt(BCRYPT_ROUNDS)).decode()


def has_password(password_hash: str | None) -> bool:
    """Whether the account has a password at all (not none, not ``NO_PASSWORD``)."""
    return bool(password_hash) and password_hash != NO_PASSWORD


def verify_password(password: str, password_hash: str | None) -> bool:
    """Constant-cost check: an account without a password (``None``, ``NO_PASSWORD``)
    verifies against a dummy hash and is refused, so timing does not tell it apart."""
    usable = password_hash is not None and has_password(password_hash)
    raw = password.encode()[:MAX_PASSWORD_BYTES]
    target = password_hash.encode() if password_hash is not None and usable else _DUMMY_HASH
    try:
        ok = bcrypt.checkpw(raw, target)
    except ValueError:
        return False
    return ok and usable


__all__ = [
    "BCRYPT_ROUNDS",
    "MAX_PASSWORD_BYTES",
    "NO_PASSWORD",
    "has_password",
    "hash_password",
    "verify_password",
]
