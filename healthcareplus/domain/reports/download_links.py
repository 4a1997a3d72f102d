"""Signed, short-lived download links for the admin exports.

The browser keeps its session token in local storage, so a plain link (an ``<a href>`` or
a file download the browser starts) cannot carry it. Instead the Reflex state, which knows
the caller, issues a token that names the admin, what may be downloaded and with which
parameters, signed with the app's secret key (HMAC-SHA256) and valid for a few minutes.
The API serves the file only from what the token says, never from the query string, and
re-checks in the database that the user is still an active admin.

Token format: ``<base64url(JSON payload)>.<base64url(HMAC-SHA256(payload))>``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from urllib.parse import urlencode

from sqlmodel import Session, col, select

from healthcareplus.core.audit import Actor, audit
from healthcareplus.core.config import get_settings
from healthcareplus.core.errors import Forbidden
from healthcareplus.core.models import Role, User
from healthcareplus.domain.admin.filters import AdminFilters

Purpose = Literal["appointments_csv", "monthly_csv", "monthly_pdf"]
PURPOSES: tuple[str, ...] = ("appointments_csv", "monthly_csv", "monthly_pdf")
DEFAULT_TTL_SECONDS = 300
MAX_TTL_SECONDS = 3600
MAX_TOKEN_LENGTH = 4096
MAX_PARAMS = 20

APPOINTMENTS_CSV_PATH = "/api/admin/exports/appointments.csv"
MONTHLY_CSV_PATH = "/api/admin/reports/monthly.csv"
MONTHLY_PDF_PATH = "/api/admin/reports/monthly.pdf"
MONTHLY_PATHS: dict[str, str] = {"csv": MONTHLY_CSV_PATH, "pdf": MONTHLY_PDF_PATH}

INVALID = "This download link is not valid. Please start the download again."
NOT_ADMIN = "Only administrators can download reports."
EXPIRED = "This download link has expired. Please start the download again."
# Keys the signature with a purpose-specific derivation of the app secret, so a download
# token can never be confused with any other HMAC the app may compute from the same key.
_KEY_LABEL = b"healthcareplus/download-token/v1:"


@dataclass(frozen=True)
class DownloadGrant:
    """What a valid token allows: this user may download with exactly these params."""

    user_id: int
    params: dict[str, str] = field(default_factory=dict)


def _key() -> bytes:
    return hashlib.sha256(_KEY_LABEL + get_settings().secret_key.encode()).digest()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(payload: str) -> str:
    return _b64(hmac.new(_key(), payload.encode("ascii"), hashlib.sha256).digest())


def issue(
    *,
    user_id: int,
    purpose: Purpose,
    params: dict[str, str],
    now: datetime,
    ttl_seconds: int = DEFAULT_TTL_SECONDS,
) -> str:
    """A token letting ``user_id`` download ``purpose`` with ``params`` until now + ttl."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown download purpose {purpose!r}")
    if not 1 <= ttl_seconds <= MAX_TTL_SECONDS:
        raise ValueError("ttl_seconds must be between 1 and 3600")
    if len(params) > MAX_PARAMS or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in params.items()
    ):
        raise ValueError("params must be a small dict of strings")
    body = {
        "u": int(user_id),
        "p": purpose,
        "q": dict(sorted(params.items())),
        "exp": int(now.timestamp()) + ttl_seconds,
    }
    payload = _b64(json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode())
    return f"{payload}.{_sign(payload)}"


def _decode(token: str) -> dict[str, object]:
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise Forbidden(INVALID)
    payload, dot, signature = token.partition(".")
    if not dot or not payload.isascii() or not signature.isascii():
        raise Forbidden(INVALID)
    if not hmac.compare_digest(_sign(payload), signature):
        raise Forbidden(INVALID)
    try:
        body = json.loads(_unb64(payload))
    except (binascii.Error, ValueError):  # signed by us, so only if the format changed
        raise Forbidden(INVALID) from None
    if not isinstance(body, dict):
        raise Forbidden(INVALID)
    return body


def verify(token: str, *, purpose: Purpose, now: datetime) -> DownloadGrant:
    """The grant in ``token``; ``Forbidden`` if tampered with, expired or for another file."""
    body = _decode(token)
    user_id, params, expires = body.get("u"), body.get("q"), body.get("exp")
    if (
        body.get("p") != purpose
        or not isinstance(user_id, int)
        or not isinstance(expires, int)
        or not isinstance(params, dict)
        or not all(isinstance(v, str) for v in params.values())
    ):
        raise Forbidden(INVALID)
    if now.timestamp() >= expires:
        raise Forbidden(EXPIRED)
    return DownloadGrant(user_id=user_id, params=dict(params))


def redeem(session: Session, *, token: str, purpose: Purpose, now: datetime) -> DownloadGrant:
    """Check the token and that its user is still an active, unblocked admin, and record
    the download (exports carry patients' personal data) in the audit trail.

    Adds the audit entry to the caller's transaction; the caller commits."""
    grant = verify(token, purpose=purpose, now=now)
    admin = session.exec(
        select(User.id).where(
            col(User.id) == grant.user_id,
            col(User.role) == Role.ADMIN.value,
            col(User.is_active).is_(True),
            col(User.is_blocked).is_(False),
        )
    ).first()
    if admin is None:
        raise Forbidden(NOT_ADMIN)
    by = Actor(grant.user_id, Role.ADMIN.value, now)
    audit(
        session,
        by,
        "report_downloaded",
        entity="report",
        entity_id=purpose,
        detail=dict(grant.params),
    )
    return grant


def _link(path: str, token: str) -> str:
    return f"{path}?{urlencode({'token': token})}"


def export_link(viewer_id: int, filters: AdminFilters, now: datetime) -> str:
    """A same-site link (``/api/admin/exports/appointments.csv?token=…``) that downloads
    every appointment matching ``filters`` (all pages, in the filters' sort order) as CSV.

    For the admin dashboard's "Export CSV": pass the signed-in admin's id and the filters
    on screen; the link is valid for five minutes."""
    params = filters.without_page().to_query()
    token = issue(user_id=viewer_id, purpose="appointments_csv", params=params, now=now)
    return _link(APPOINTMENTS_CSV_PATH, token)


def monthly_link(
    viewer_id: int, *, year: int, month: int, fmt: Literal["csv", "pdf"], now: datetime
) -> str:
    """A link to the monthly summary of ``year``-``month`` as CSV or PDF."""
    if fmt not in MONTHLY_PATHS:
        raise ValueError(f"unknown monthly format {fmt!r}")
    purpose: Purpose = "monthly_csv" if fmt == "csv" else "monthly_pdf"
    params = {"month": f"{int(year):04d}-{int(month):02d}"}
    token = issue(user_id=viewer_id, purpose=purpose, params=params, now=now)
    return _link(MONTHLY_PATHS[fmt], token)


__all__ = [
    "APPOINTMENTS_CSV_PATH",
    "DownloadGrant",
    "MONTHLY_CSV_PATH",
    "MONTHLY_PDF_PATH",
    "PURPOSES",
    "Purpose",
    "export_link",
    "issue",
    "monthly_link",
    "redeem",
    "verify",
]
