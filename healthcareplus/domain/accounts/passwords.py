"""Password hashing with bcrypt (cost 12)."""

from __future__ import annotations

import bcrypt

from healthcareplus.core.validation import MAX_PASSWORD_BYTES

BCRYPT_ROUNDS = 12

# Checked against when the email is unknown, so both paths cost one bcrypt verification.
_DUMMY_HASH = bcrypt.hashpw(b"not-a-real-password", bcrypt.gensalt(BCRYPT_ROUNDS))


def hash_password(password: str) -> str:
    raw = password.encode()
    if len(raw) > MAX_PASSWORD_BYTES:
        raise ValueError("Password is longer than 72 bytes")
    return bcrypt.hashpw(raw, bcrypt.gensalt(BCRYPT_ROUNDS)).decode()


def verify_password(password: str, password_hash: str | None) -> bool:
    """Constant-cost check; ``password_hash=None`` verifies against a dummy hash."""
    raw = password.encode()[:MAX_PASSWORD_BYTES]
    target = password_hash.encode() if password_hash else _DUMMY_HASH
    try:
        ok = bcrypt.checkpw(raw, target)
    except ValueError:
        return False
    return ok and password_hash is not None


__all__ = ["BCRYPT_ROUNDS", "MAX_PASSWORD_BYTES", "hash_password", "verify_password"]
