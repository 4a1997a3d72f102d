"""Sign-in, throttling and login sessions.

The browser keeps a random session token; the table keeps only its keyed hash, so a
leaked database cannot be replayed as logins. Every sign-in costs one bcrypt check,
whether or not the email exists, so response time does not reveal accounts.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.errors import AuthenticationFailed, TooManyAttempts
from healthcareplus.core.models import LoginAttempt, Role, User, UserSession
from healthcareplus.domain.accounts.passwords import verify_password

INVALID_CREDENTIALS = "Invalid email or password"


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


def client_key_for(address: str) -> str:
    """A stable, non-reversible key for a client address (kept for throttling only)."""
    return hashlib.sha256(f"client:{address or 'unknown'}".encode()).hexdigest()[:32]


def _check_throttle(session: Session, *, email: str, client_key: str, now: datetime) -> None:
    settings = get_settings()
    window_start = now - timedelta(minutes=settings.login_window_minutes)
    failures = (
        col(LoginAttempt.succeeded).is_(False),
        col(LoginAttempt.attempted_at) > window_start,
    )
    for condition in (LoginAttempt.email == email, LoginAttempt.client_key == client_key):
        count, oldest = session.exec(
            select(func.count(), func.min(LoginAttempt.attempted_at)).where(condition, *failures)
        ).one()
        if count >= settings.login_max_failures:
            wait = oldest + timedelta(minutes=settings.login_window_minutes) - now
            minutes = max(1, math.ceil(wait.total_seconds() / 60))
            raise TooManyAttempts(
                f"Too many failed sign-in attempts. Try again in {minutes} minute"
                f"{'s' if minutes != 1 else ''}."
            )


def authenticate(
    session: Session,
    *,
    email: str,
    password: str,
    client_key: str,
    roles: tuple[str, ...],
    now: datetime | None = None,
) -> User:
    """Check credentials for a portal that admits ``roles``; record the attempt."""
    now = now or utcnow()
    email = (email or "").strip().lower()[:254]
    _check_throttle(session, email=email, client_key=client_key, now=now)
    user = session.exec(select(User).where(User.email == email)).first()
    ok = verify_password(password or "", user.password_hash if user else None)
    session.add(LoginAttempt(email=email, client_key=client_key, succeeded=ok, attempted_at=now))
    # Committed here, the second documented exception to "the unit of work commits": a
    # failed attempt must count towards throttling although the sign-in then fails.
    session.commit()
    if not ok or user is None:
        raise AuthenticationFailed(INVALID_CREDENTIALS)
    if not user.is_active:
        raise AuthenticationFailed("This account is deactivated. Contact the clinic.")
    if user.role not in roles:
        if user.role == Role.ADMIN:
            raise AuthenticationFailed("Admins sign in through the admin portal.")
        raise AuthenticationFailed("This portal is for administrators only.")
    return user


def create_session(session: Session, *, user_id: int, now: datetime | None = None) -> str:
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            user_id=user_id,
            token_hash=_token_hash(token),
            created_at=now,
            expires_at=now + timedelta(days=get_settings().session_days),
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
