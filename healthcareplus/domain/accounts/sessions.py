"""Login sessions: opening, resolving and revoking them.

The browser keeps a random session token; the table keeps only its keyed hash, so a
leaked database cannot be replayed as logins.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import User, UserSession


@dataclass(frozen=True)
class SessionUser:
    """Who is signed in, as the UI layer may know it (no hash, no token)."""

    id: int
    role: str
    name: str
    email: str


def _token_hash(token: str) -> str:
    key = get_settings().secret_key.encode()
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()


def create_session(session: Session, *, user_id: int, now: datetime | None = None) -> str:
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            user_id=user_id,
            token_hash=_token_hash(token),
            created_at=now,
            expires_at=now + timedelta(hours=get_settings().session_idle_hours),
        )
    )
    session.flush()
    return token


def resolve_session(
    session: Session, *, token: str, now: datetime | None = None
) -> SessionUser | None:
    """The signed-in user for a token, or None if unknown, expired, revoked or inactive."""
    if not token or len(token) > 128:
        return None
    now = now or utcnow()
    row = session.exec(
        select(User.id, User.role, User.name, User.email)
        .join(UserSession, col(UserSession.user_id) == User.id)
        .where(
            UserSession.token_hash == _token_hash(token),
            col(UserSession.revoked_at).is_(None),
            col(UserSession.expires_at) > now,
            col(User.is_active).is_(True),
        )
    ).first()
    return SessionUser(*row) if row else None


def revoke_session(session: Session, *, token: str, now: datetime | None = None) -> None:
    row = session.exec(
        select(UserSession).where(UserSession.token_hash == _token_hash(token))
    ).first()
    if row and row.revoked_at is None:
        row.revoked_at = now or utcnow()
        session.add(row)
        session.flush()
