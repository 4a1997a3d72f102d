"""One-time download links for the admin exports.

The browser keeps its session token in local storage, so a plain link (an ``<a href>`` or
a file download the browser starts) cannot carry it. Instead the Reflex state, which knows
the caller, stores a grant in ``download_grants`` (this admin may download this file with
these parameters until a moment a few minutes away) and puts a random opaque id in the
link. The table keeps only the id's SHA-256 hash (the id is 256 random bits, so no key is
needed to make the hash useless to whoever reads the table), and the first request uses
the grant up: a URL copied from a log, a history or a proxy cannot be replayed. The API
serves the file only from what the grant says, never from the query string, and
re-checks in the database that the user is still an active admin.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal, get_args
from urllib.parse import urlencode

from sqlalchemy import delete, or_, update
from sqlmodel import Session, col, select

from healthcareplus.core.audit import Actor, audit
from healthcareplus.core.config import get_settings
from healthcareplus.core.errors import Forbidden
from healthcareplus.core.models import DownloadGrant, Role
from healthcareplus.domain.accounts.actors import acting_user
from healthcareplus.domain.admin.filters import AdminFilters

Purpose = Literal[
    "appointments_csv",
    "monthly_csv",
    "monthly_pdf",
    "monthly_xlsx",
    "doctor_monthly_csv",
    "doctor_monthly_pdf",
    "doctor_monthly_xlsx",
    "personal_data",
]
PURPOSES: tuple[str, ...] = get_args(Purpose)
# A patient's copy of their own data (``domain.privacy``): only that patient may have it.
PATIENT_PURPOSES: tuple[str, ...] = ("personal_data",)
PERSONAL_DATA_PATH = "/api/account/personal-data.json"
# A doctor's own monthly report: only that doctor may download it (their rows only).
DOCTOR_PURPOSES: tuple[str, ...] = (
    "doctor_monthly_csv",
    "doctor_monthly_pdf",
    "doctor_monthly_xlsx",
)
MAX_TTL_SECONDS = 3600
MAX_TOKEN_LENGTH = 200  # token_urlsafe(32) is 43 characters
MAX_PARAMS = 20
QUERY_KEY = "grant"
# Used or expired grants are kept this long (to tell "used or expired" from "not valid"),
# then ``prune_download_grants`` deletes them.
KEEP_AFTER_USE = timedelta(days=1)

APPOINTMENTS_CSV_PATH = "/api/admin/exports/appointments.csv"
MONTHLY_CSV_PATH = "/api/admin/reports/monthly.csv"
MONTHLY_PDF_PATH = "/api/admin/reports/monthly.pdf"
MONTHLY_XLSX_PATH = "/api/admin/reports/monthly.xlsx"
MONTHLY_PATHS: dict[str, str] = {
    "csv": MONTHLY_CSV_PATH,
    "pdf": MONTHLY_PDF_PATH,
    "xlsx": MONTHLY_XLSX_PATH,
}
MONTHLY_PURPOSES: dict[str, Purpose] = {
    "csv": "monthly_csv",
    "pdf": "monthly_pdf",
    "xlsx": "monthly_xlsx",
}
DOCTOR_MONTHLY_PATHS: dict[str, str] = {
    fmt: f"/api/doctor/reports/monthly.{fmt}" for fmt in ("csv", "pdf", "xlsx")
}
DOCTOR_MONTHLY_PURPOSES: dict[str, Purpose] = {
    "csv": "doctor_monthly_csv",
    "pdf": "doctor_monthly_pdf",
    "xlsx": "doctor_monthly_xlsx",
}

INVALID = "This download link is not valid. Please start the download again."
NOT_ADMIN = "Only administrators can download reports."
NOT_DOCTOR = "Only the doctor can download their own report."
NOT_PATIENT = "Only the patient can download their own data."
USED_OR_EXPIRED = (
    "This download link has already been used or has expired. Please start the download again."
)


@dataclass(frozen=True)
class GrantedDownload:
    """What a redeemed grant allows: this user may download with exactly these params."""

    user_id: int
    params: dict[str, str] = field(default_factory=dict)


def _ttl() -> int:
    return get_settings().download_link_seconds


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _checked_hash(token: object) -> str:
    """The hash to look ``token`` up by; ``Forbidden`` for anything no link can hold (not a
    string, empty, too long, not ASCII: a lone surrogate could not even be encoded)."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise Forbidden(INVALID)
    if not token.isascii():
        raise Forbidden(INVALID)
    return _token_hash(token)


def issue_grant(
    session: Session,
    *,
    user_id: int,
    purpose: Purpose,
    params: dict[str, str],
    now: datetime,
    ttl_seconds: int | None = None,
) -> str:
    """Store a one-time grant letting admin ``user_id`` download ``purpose`` with
    ``params`` until ``now + ttl_seconds`` (default ``HCP_DOWNLOAD_LINK_SECONDS``) and
    return its id. Flushes; the caller's unit of work commits."""
    ttl = _ttl() if ttl_seconds is None else ttl_seconds
    return _issue(session, user_id, purpose, params, now, ttl)


def _issue(
    session: Session,
    user_id: int,
    purpose: Purpose,
    params: dict[str, str],
    now: datetime,
    ttl_seconds: int,
) -> str:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown download purpose {purpose!r}")
    if not 1 <= ttl_seconds <= MAX_TTL_SECONDS:
        raise ValueError(f"ttl_seconds must be between 1 and {MAX_TTL_SECONDS}")
    if len(params) > MAX_PARAMS or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in params.items()
    ):
        raise ValueError("params must be a small dict of strings")
    _check_downloader(session, user_id, purpose)
    token = secrets.token_urlsafe(32)
    session.add(
        DownloadGrant(
            token_hash=_token_hash(token),
            user_id=user_id,
            purpose=purpose,
            params=dict(sorted(params.items())),
            created_at=now,
            expires_at=now + timedelta(seconds=ttl_seconds),
        )
    )
    session.flush()
    return token


def _refusal(session: Session, token_hash: str, purpose: Purpose) -> Forbidden:
    """Why a grant could not be used: known but used up or expired, or not valid at all."""
    known = session.exec(
        select(DownloadGrant.id).where(
            col(DownloadGrant.token_hash) == token_hash, col(DownloadGrant.purpose) == purpose
        )
    ).first()
    return Forbidden(USED_OR_EXPIRED if known is not None else INVALID)


def redeem(session: Session, *, token: object, purpose: Purpose, now: datetime) -> GrantedDownload:
    """Use up the grant behind ``token`` for ``purpose``, check that its user is still an
    active, unblocked admin and record the download (exports carry patients' personal
    data) in the audit trail. ``Forbidden`` for anything else.

    One compare-and-set UPDATE claims the grant, so of two requests racing with the same
    id exactly one gets the file (PostgreSQL re-checks the WHERE after the row lock,
    SQLite serialises writers). The caller commits; a refusal raised here rolls back."""
    token_hash = _checked_hash(token)
    claimed = session.execute(
        update(DownloadGrant)
        .where(
            col(DownloadGrant.token_hash) == token_hash,
            col(DownloadGrant.purpose) == purpose,
            col(DownloadGrant.used_at).is_(None),
            col(DownloadGrant.expires_at) > now,
        )
        .values(used_at=now)
        .returning(col(DownloadGrant.user_id), col(DownloadGrant.params))
        .execution_options(synchronize_session=False)
    ).first()
    if claimed is None:
        raise _refusal(session, token_hash, purpose)
    user_id, stored = claimed
    _check_downloader(session, user_id, purpose)
    if not isinstance(stored, dict) or not all(isinstance(v, str) for v in stored.values()):
        raise Forbidden(INVALID)
    params = {str(k): v for k, v in stored.items()}
    return record_download(session, user_id=user_id, purpose=purpose, params=params, now=now)


def record_download(
    session: Session,
    *,
    user_id: int,
    purpose: Purpose,
    params: dict[str, str],
    now: datetime,
) -> GrantedDownload:
    """Check that ``user_id`` is an active, unblocked admin (a doctor for their own report)
    and audit the download of ``purpose`` with ``params`` (``report_downloaded``): every
    export is on the record, whether it goes through a one-time link (``redeem``) or the
    REST API (an admin's token or API key). ``Forbidden`` for anyone else."""
    role = _check_downloader(session, user_id, purpose)
    by = Actor(user_id, role.value, now)
    audit(session, by, "report_downloaded", entity="report", entity_id=purpose, detail=params)
    return GrantedDownload(user_id=user_id, params=dict(params))


def _check_downloader(session: Session, user_id: object, purpose: str) -> Role:
    """The role ``purpose`` is for, after checking that ``user_id`` is an active,
    unblocked user in it; ``Forbidden`` otherwise."""
    if purpose in DOCTOR_PURPOSES:
        acting_user(session, user_id, Role.DOCTOR, refusal=NOT_DOCTOR)
        return Role.DOCTOR
    if purpose in PATIENT_PURPOSES:
        acting_user(session, user_id, Role.PATIENT, refusal=NOT_PATIENT)
        return Role.PATIENT
    acting_user(session, user_id, Role.ADMIN, refusal=NOT_ADMIN)
    return Role.ADMIN


def prune_download_grants(session: Session, *, now: datetime) -> int:
    """Delete the grants that expired, or were used, more than a day ago (for the
    background sweep); returns how many. The caller commits."""
    cutoff = now - KEEP_AFTER_USE
    result = session.exec(
        delete(DownloadGrant)
        .where(or_(col(DownloadGrant.expires_at) < cutoff, col(DownloadGrant.used_at) < cutoff))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def _link(path: str, token: str) -> str:
    return f"{path}?{urlencode({QUERY_KEY: token})}"


def export_link(session: Session, viewer_id: int, filters: AdminFilters, now: datetime) -> str:
    """A same-site, one-time link (``/api/admin/exports/appointments.csv?grant=…``) that
    downloads every appointment matching ``filters`` (all pages, in the filters' sort
    order) as CSV.

    For the admin dashboard's "Export CSV": pass the signed-in admin's id and the filters
    on screen, when the admin asks for the file (the first request uses the link up)."""
    params = filters.without_page().to_query()
    token = _issue(session, viewer_id, "appointments_csv", params, now, _ttl())
    return _link(APPOINTMENTS_CSV_PATH, token)


def monthly_link(
    session: Session,
    viewer_id: int,
    *,
    year: int,
    month: int,
    fmt: Literal["csv", "pdf", "xlsx"],
    now: datetime,
) -> str:
    """A one-time link to the monthly summary of ``year``-``month`` as CSV, PDF or Excel."""
    if fmt not in MONTHLY_PATHS:
        raise ValueError(f"unknown monthly format {fmt!r}")
    purpose = MONTHLY_PURPOSES[fmt]
    params = {"month": f"{int(year):04d}-{int(month):02d}"}
    token = _issue(session, viewer_id, purpose, params, now, _ttl())
    return _link(MONTHLY_PATHS[fmt], token)


def personal_data_link(session: Session, viewer_id: int, *, now: datetime) -> str:
    """A one-time link for a patient to a copy of their own data (the patient is the
    link's user when it is used, never a parameter of it)."""
    return _link(PERSONAL_DATA_PATH, _issue(session, viewer_id, "personal_data", {}, now, _ttl()))


def doctor_monthly_link(
    session: Session,
    viewer_id: int,
    *,
    year: int,
    month: int,
    fmt: Literal["csv", "pdf", "xlsx"],
    now: datetime,
) -> str:
    """A one-time link for a doctor to their own monthly summary (their rows only: the
    doctor is found from the link's user when it is used, never from the link)."""
    if fmt not in DOCTOR_MONTHLY_PATHS:
        raise ValueError(f"unknown monthly format {fmt!r}")
    params = {"month": f"{int(year):04d}-{int(month):02d}"}
    token = _issue(session, viewer_id, DOCTOR_MONTHLY_PURPOSES[fmt], params, now, _ttl())
    return _link(DOCTOR_MONTHLY_PATHS[fmt], token)


__all__ = [
    "APPOINTMENTS_CSV_PATH",
    "DOCTOR_MONTHLY_PATHS",
    "GrantedDownload",
    "INVALID",
    "MONTHLY_CSV_PATH",
    "MONTHLY_PDF_PATH",
    "MONTHLY_XLSX_PATH",
    "NOT_ADMIN",
    "NOT_DOCTOR",
    "NOT_PATIENT",
    "PERSONAL_DATA_PATH",
    "PURPOSES",
    "Purpose",
    "QUERY_KEY",
    "USED_OR_EXPIRED",
    "doctor_monthly_link",
    "export_link",
    "issue_grant",
    "monthly_link",
    "personal_data_link",
    "prune_download_grants",
    "record_download",
    "redeem",
]
