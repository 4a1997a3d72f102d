"""Sign-in: credentials, throttling (``throttle``) and the session that follows
(``sessions``). Every sign-in costs one bcrypt check, whether or not the email exists, so
response time does not reveal accounts.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.errors import AuthenticationFailed
from healthcareplus.core.models import LoginAttempt, Role, User
from healthcareplus.domain.accounts.passwords import verify_password
from healthcareplus.domain.accounts.throttle import check_throttle

INVALID_CREDENTIALS = "Invalid email or password"
DEACTIVATED = "This account is deactivated. Contact the clinic."
BLOCKED = "This account has been blocked. Contact the clinic."


def password_holder(
    session: Session, *, email: str, password: str, client_key: str, now: datetime
) -> User | None:
    """The user with this email and password, or None: throttled (``TooManyAttempts``) and
    recorded, for signing in and for confirming a password change alike."""
    email = (email or "").strip().lower()[:254]
    check_throttle(session, email=email, client_key=client_key, now=now)
    user = session.exec(select(User).where(User.email == email)).first()
    ok = verify_password(password or "", user.password_hash if user else None)
    session.add(LoginAttempt(email=email, client_key=client_key, succeeded=ok, attempted_at=now))
    # Committed here, the second documented exception to "the unit of work commits": a
    # failed attempt must count towards throttling although the caller then refuses.
    session.commit()
    return user if ok else None


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
    user = password_holder(
        session, email=email, password=password, client_key=client_key, now=now or utcnow()
    )
    if user is None:
        raise AuthenticationFailed(INVALID_CREDENTIALS)
    # Told only after the password matched, so these do not reveal accounts either.
    if not user.is_active:
        raise AuthenticationFailed(DEACTIVATED)
    if user.is_blocked:
        raise AuthenticationFailed(BLOCKED)
    if user.role not in roles:
        if user.role == Role.ADMIN:
            raise AuthenticationFailed("Admins sign in through the admin portal.")
        raise AuthenticationFailed("This portal is for administrators only.")
    return user
