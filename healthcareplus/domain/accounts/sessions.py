"""Login sessions: opening, resolving, listing and revoking them.

The browser keeps a random session token; the table keeps only its keyed hash, so a
leaked database cannot be replayed as logins. A session ends when it is revoked (sign-out,
a password change, the account blocked or deactivated), when it has not been used for
``session_idle_hours`` (sliding: each use moves ``expires_at`` on, at most once a minute),
``session_max_days`` after sign-in whatever the use, or when the user's role is no longer
the one the session began with.

These functions flush; the caller's unit of work (``session_scope``) commits.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.errors import NotFound
from healthcareplus.core.models import Role, User, UserSession
from healthcareplus.domain.accounts.actors import acting_user

# What ``secrets.token_urlsafe`` produces; anything else is never looked up.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,128}")
# A session in use is written back at most this often (not on every event).
SLIDE_EVERY = timedelta(seconds=60)
DEVICE_MAX = 120
REASON_MAX = 40
SESSION_GONE = "That session was not found or has already ended."

_BROWSERS = (  # (marker in the user agent, name); the first match wins
    ("Edg", "Edge"),
    ("OPR/", "Opera"),
    ("Opera", "Opera"),
    ("SamsungBrowser", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS", "Firefox"),
    ("CriOS", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("CrOS", "ChromeOS"),
    ("Macintosh", "macOS"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)


@dataclass(frozen=True)
class SessionUser:
    """Who is signed in, as the UI layer may know it (no hash, no token)."""

    id: int
    role: str
    name: str
    email: str
    must_change_password: bool = False  # a password someone else chose: change it first


@dataclass(frozen=True)
class ActiveSession:
    """One signed-in device of a user, as their security page lists it."""

    id: int
    device: str
    created_at: datetime
    last_seen_at: datetime
    is_current: bool


def _token_hash(token: str) -> str:
    key = get_settings().secret_key.encode()
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()


def _hash_of(token: object) -> str | None:
    """The stored hash of a well-formed token; None for anything else (any type)."""
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    return _token_hash(token)


def device_label(user_agent: object) -> str:
    """A short name for the browser behind a User-Agent header, e.g. "Chrome on Windows"."""
    text = user_agent[:512] if isinstance(user_agent, str) else ""
    browser = next((name for mark, name in _BROWSERS if mark in text), "")
    system = next((name for mark, name in _SYSTEMS if mark in text), "")
    if not browser:
        return f"Unknown browser on {system}" if system else "Unknown browser"
    return f"{browser} on {system}" if system else browser


def create_session(
    session: Session, *, user_id: int, role: str, device: str = "", now: datetime | None = None
) -> str:
    """Open a session for a user who has just proved who they are; returns its token."""
    now = now or utcnow()
    settings = get_settings()
    token = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            user_id=user_id,
            token_hash=_token_hash(token),
            role=role,
            device=" ".join(device.split())[:DEVICE_MAX] if isinstance(device, str) else "",
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=settings.session_idle_hours),
            absolute_expires_at=now + timedelta(days=settings.session_max_days),
        )
    )
    session.flush()
    return token


def resolve_session(
    session: Session, *, token: object, now: datetime | None = None
) -> SessionUser | None:
    """The signed-in user for a token, or None: unknown or malformed (of any type),
    revoked, idle too long, past its absolute end, a deactivated or blocked user, or a
    user whose role changed. A session in use slides its idle expiry forward."""
    token_hash = _hash_of(token)
    if token_hash is None:
        return None
    now = now or utcnow()
    found = session.exec(
        select(UserSession, User)
        .join(User, col(UserSession.user_id) == User.id)
        .where(
            col(UserSession.token_hash) == token_hash,
            col(UserSession.revoked_at).is_(None),
            col(UserSession.expires_at) > now,
            col(UserSession.absolute_expires_at) > now,
            col(User.is_active).is_(True),
            col(User.is_blocked).is_(False),
            col(User.role) == col(UserSession.role),
        )
    ).first()
    if found is None:
        return None
    row, user = found
    if row.last_seen_at is None or now - row.last_seen_at >= SLIDE_EVERY:
        idle_end = now + timedelta(hours=get_settings().session_idle_hours)
        session.exec(
            update(UserSession)
            .where(col(UserSession.id) == row.id, col(UserSession.revoked_at).is_(None))
            .values(last_seen_at=now, expires_at=min(idle_end, row.absolute_expires_at or now))
        )
    return SessionUser(
        id=user.id or 0,
        role=user.role,
        name=user.name,
        email=user.email,
        must_change_password=user.must_change_password,
    )


def revoke_session(
    session: Session, *, token: object, now: datetime | None = None, reason: str = "signed_out"
) -> None:
    """End the session of ``token`` (signing out: the token is the credential). Unknown,
    malformed or already ended tokens are ignored."""
    token_hash = _hash_of(token)
    if token_hash is None:
        return
    session.exec(
        update(UserSession)
        .where(col(UserSession.token_hash) == token_hash, col(UserSession.revoked_at).is_(None))
        .values(revoked_at=now or utcnow(), revoked_reason=reason[:REASON_MAX])
    )


def revoke_all_sessions(
    session: Session,
    *,
    user_id: int,
    now: datetime,
    reason: str,
    except_token: object = None,
) -> int:
    """End every open session of the user (but the one of ``except_token``, when given)
    with one UPDATE; returns how many ended. Its callers check who may do this."""
    where = [col(UserSession.user_id) == user_id, col(UserSession.revoked_at).is_(None)]
    kept = _hash_of(except_token)
    if kept is not None:
        where.append(col(UserSession.token_hash) != kept)
    result = session.exec(
        update(UserSession).where(*where).values(revoked_at=now, revoked_reason=reason[:REASON_MAX])
    )
    return int(result.rowcount or 0)


def _open(user_id: int, now: datetime) -> list[Any]:
    """The conditions of the user's sessions that still let someone in."""
    return [
        col(UserSession.user_id) == user_id,
        col(UserSession.revoked_at).is_(None),
        col(UserSession.expires_at) > now,
        col(UserSession.absolute_expires_at) > now,
        col(UserSession.role) == select(User.role).where(User.id == user_id).scalar_subquery(),
    ]


def active_sessions(
    session: Session, *, user_id: int, current_token: object, now: datetime
) -> list[ActiveSession]:
    """The user's signed-in devices, newest sign-in first; ``is_current`` marks the one
    of ``current_token``."""
    current = _hash_of(current_token)
    rows = session.exec(
        select(UserSession)
        .where(*_open(user_id, now))
        .order_by(col(UserSession.created_at).desc(), col(UserSession.id).desc())
    ).all()
    return [
        ActiveSession(
            id=row.id or 0,
            device=row.device or "Unknown browser",
            created_at=row.created_at,
            last_seen_at=row.last_seen_at or row.created_at,
            is_current=current is not None and hmac.compare_digest(row.token_hash, current),
        )
        for row in rows
    ]


def revoke_own_session(session: Session, *, user_id: int, session_id: int, now: datetime) -> None:
    """Sign one of the user's own devices out; ``NotFound`` for any other session (another
    user's, an ended one, a malformed id)."""
    acting_user(session, user_id, *Role)
    if type(session_id) is not int:
        raise NotFound(SESSION_GONE)
    row = session.exec(
        select(UserSession).where(col(UserSession.id) == session_id, *_open(user_id, now))
    ).first()
    if row is None:
        raise NotFound(SESSION_GONE)
    row.revoked_at, row.revoked_reason = now, "signed_out_by_user"
    session.add(row)
    session.flush()


def sign_out_everywhere(session: Session, *, user_id: int, now: datetime) -> int:
    """End every session of the signed-in user, this browser's included."""
    acting_user(session, user_id, *Role)
    return revoke_all_sessions(session, user_id=user_id, now=now, reason="signed_out_everywhere")


__all__ = [
    "ActiveSession",
    "SessionUser",
    "active_sessions",
    "create_session",
    "device_label",
    "resolve_session",
    "revoke_all_sessions",
    "revoke_own_session",
    "revoke_session",
    "sign_out_everywhere",
]
