"""Signing webhook deliveries, and the one rule for checking a signature.

A delivery carries ``HCP-Signature: t=<unix seconds>,v1=<hex>`` where the hex is
HMAC-SHA256 of ``f"{t}.{body}"`` keyed by the endpoint's secret (like Stripe's). A
receiver recomputes it, compares in constant time, and refuses a timestamp more than
five minutes from its clock (a captured request cannot be replayed later); it drops a
delivery whose ``HCP-Delivery`` id it has already handled (retries reuse the id).

The endpoint's secret is never stored: the table keeps a random seed and the secret is
HMAC-SHA256(``HCP_SECRET_KEY``, seed), so a copy of the database cannot sign (changing
``HCP_SECRET_KEY`` changes every endpoint's secret: rotate them afterwards).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime

from healthcareplus.core.config import get_settings

SECRET_PREFIX = "whsec_"
SIGNATURE_HEADER = "HCP-Signature"
TOLERANCE_SECONDS = 300
_DERIVATION = b"healthcareplus-webhook-secret:v1:"


def new_seed() -> str:
    """A fresh random seed for an endpoint's secret (43 characters)."""
    return secrets.token_urlsafe(32)


def secret_for(seed: str, *, key: str | None = None) -> str:
    """The signing secret of the endpoint with ``seed`` (``whsec_`` + 43 characters),
    derived with ``key`` (``HCP_SECRET_KEY`` by default)."""
    master = (key if key is not None else get_settings().secret_key).encode()
    digest = hmac.new(master, _DERIVATION + seed.encode(), hashlib.sha256).digest()
    return SECRET_PREFIX + base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _mac(secret: str, timestamp: int, body: str | bytes) -> bytes:
    raw = body.encode() if isinstance(body, str) else body
    message = f"{timestamp}.".encode() + raw
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest().encode()


def signature_header(secret: str, body: str, *, timestamp: int) -> str:
    """The ``HCP-Signature`` value for ``body`` sent at ``timestamp`` (unix seconds)."""
    return f"t={timestamp},v1={_mac(secret, timestamp, body).decode()}"


def verify_signature(
    secret: str,
    header: str | None,
    body: str | bytes,
    *,
    now: datetime,
    tolerance: int = TOLERANCE_SECONDS,
) -> bool:
    """Whether ``header`` (an ``HCP-Signature`` value) signs ``body`` with ``secret``
    at a time within ``tolerance`` seconds of ``now``. Any ``v1`` entry may match (a
    header may carry several while a secret is rotated); compared in constant time."""
    if not header or len(header) > 1000:
        return False
    timestamp: int | None = None
    candidates: list[str] = []
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "t" and value.isdigit() and len(value) <= 12:
            timestamp = int(value)
        elif name == "v1":
            candidates.append(value)
    if timestamp is None or not candidates:
        return False
    if abs(now.timestamp() - timestamp) > tolerance:
        return False
    expected = _mac(secret, timestamp, body)
    return any(hmac.compare_digest(expected, c.encode()) for c in candidates)


__all__ = [
    "SECRET_PREFIX",
    "SIGNATURE_HEADER",
    "TOLERANCE_SECONDS",
    "new_seed",
    "secret_for",
    "signature_header",
    "verify_signature",
]
