"""API logins: short-lived bearer access tokens and rotating refresh tokens for people.

Signing in through the API (``auth.authenticate``, throttled like any sign-in) opens a
login that is a ``sessions`` row like a browser's (named "API client" on the account's
security page), and issues an access token (``api_access_token_minutes``) and a refresh
token that lives as long as the login may (``session_idle_hours`` unused, never past
``session_max_days``). Whatever ends the session ends every token of the login:
signing out, signing out one device or everywhere, a password change, the account
blocked or deactivated (``sessions.revoke_all_sessions``), a role change.

Using a refresh token retires it and its access token and issues a new pair (rotation);
presenting a retired refresh token again means a copy is in someone else's hands, so the
whole login is revoked at once (reuse detection). Tokens are random (256 bits); the table
keeps only their SHA-256.

These functions flush; the caller's unit of work (``session_scope``) commits, except
where a refusal must stand (see ``refresh_api_login``).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.errors import AuthenticationFailed, Forbidden
from healthcareplus.core.formatting import utc
from healthcareplus.core.models import ApiToken, ApiTokenKind, Role, User, UserSession
from healthcareplus.domain.accounts.actors import acting_user
from healthcareplus.domain.accounts.sessions import active_sessions, create_session, device_label

ACCESS_PREFIX = "hcp_at_"
REFRESH_PREFIX = "hcp_rt_"
_TOKEN = re.compile(r"hcp_(?:at|rt)_[A-Za-z0-9_-]{43}")
API_DEVICE = "API client"
CHANGE_PASSWORD_FIRST = (
    "Your password was chosen for you and works only once: sign in on the website and "
    "choose your own first."
)
INVALID_REFRESH = "The refresh token is invalid or has expired. Sign in again."
REUSED_REFRESH = (
    "This refresh token was already used: the sign-in it belonged to has been ended. Sign in again."
)
ALL_ROLES = (Role.PATIENT, Role.DOCTOR, Role.ADMIN)


@dataclass(frozen=True)
class TokenPair:
    """What a client gets when it signs in or refreshes (the values are never stored)."""

    access_token: str
    refresh_token: str
    access_expires_at: datetime
    refresh_expires_at: datetime
    login_id: int


@dataclass(frozen=True)
class TokenHolder:
    """Who holds a valid token: the user and the login (session) it belongs to."""

    user_id: int
    role: str
    name: str
    email: str
    login_id: int


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _hash_of(token: object, prefix: str) -> str | None:
    """The stored hash of a well-formed token of this kind; None for anything else."""
    if not isinstance(token, str) or not token.startswith(prefix) or not _TOKEN.fullmatch(token):
        return None
    return token_hash(token)


def _api_device(user_agent: object) -> str:
    label = device_label(user_agent)
    return API_DEVICE if label == "Unknown browser" else f"{API_DEVICE} ({label})"


def _login_open(now: datetime) -> list[Any]:
    """The conditions of a login (its session) and user that still let tokens work."""
    return [
        col(UserSession.revoked_at).is_(None),
        col(UserSession.expires_at) > now,
        col(UserSession.absolute_expires_at) > now,
        col(User.is_active).is_(True),
        col(User.is_blocked).is_(False),
        col(User.role) == col(UserSession.role),
    ]


def _issue_pair(session: Session, *, login: UserSession, now: datetime) -> TokenPair:
    assert login.id is not None  # a flushed row
    access, refresh = ACCESS_PREFIX + secrets.token_urlsafe(32), REFRESH_PREFIX
    refresh += secrets.token_urlsafe(32)
    access_end = now + timedelta(minutes=get_settings().api_access_token_minutes)
    refresh_end = min(login.expires_at, login.absolute_expires_at or login.expires_at)
    for kind, value, end in (
        (ApiTokenKind.ACCESS, access, min(access_end, refresh_end)),
        (ApiTokenKind.REFRESH, refresh, refresh_end),
    ):
        session.add(
            ApiToken(
                session_id=login.id,
                user_id=login.user_id,
                kind=kind,
                token_hash=token_hash(value),
                created_at=now,
                expires_at=end,
            )
        )
    session.flush()
    return TokenPair(access, refresh, min(access_end, refresh_end), refresh_end, login.id)


def open_api_login(
    session: Session, *, user_id: int, user_agent: object = "", now: datetime
) -> TokenPair:
    """A new API login for a user who has just proved who they are (``authenticate``);
    not while the password is one someone else chose (it is changed on the website)."""
    user = acting_user(session, user_id, *ALL_ROLES)
    assert user.id is not None
    if user.must_change_password:
        raise AuthenticationFailed(CHANGE_PASSWORD_FIRST)
    raw = create_session(
        session, user_id=user.id, role=user.role, device=_api_device(user_agent), now=now
    )
    # The session's own token is never handed out: the login is reached through its
    # API tokens only. Its id, found through the token it was made with:
    login_id = next(
        row.id
        for row in active_sessions(session, user_id=user.id, current_token=raw, now=now)
        if row.is_current
    )
    login = session.get(UserSession, login_id)
    assert login is not None
    return _issue_pair(session, login=login, now=now)


def _live_holder(
    session: Session, token: object, prefix: str, kind: str, now: datetime
) -> TokenHolder | None:
    """The holder of a usable token of ``kind``, or None (malformed, unknown, expired,
    retired, its login ended, its user no longer active with that role)."""
    hashed = _hash_of(token, prefix)
    if hashed is None:
        return None
    found = session.exec(
        select(ApiToken.session_id, User)
        .join(UserSession, col(UserSession.id) == ApiToken.session_id)
        .join(User, col(User.id) == ApiToken.user_id)
        .where(
            col(ApiToken.token_hash) == hashed,
            col(ApiToken.kind) == kind,
            col(ApiToken.retired_at).is_(None),
            col(ApiToken.expires_at) > now,
            *_login_open(now),
        )
    ).first()
    if found is None:
        return None
    login_id, user = found
    return TokenHolder(user.id or 0, user.role, user.name, user.email, login_id)


def resolve_access_token(session: Session, *, token: object, now: datetime) -> TokenHolder | None:
    """The holder of a valid access token, or None: malformed (of any type), unknown,
    expired, retired, its login ended, or its user deactivated, blocked or given another
    role. Checked on every request, so a change to the account applies at once."""
    return _live_holder(session, token, ACCESS_PREFIX, ApiTokenKind.ACCESS, now)


def refresh_token_holder(session: Session, *, token: object, now: datetime) -> TokenHolder | None:
    """The holder of a refresh token that could still be used (for signing out with it)."""
    return _live_holder(session, token, REFRESH_PREFIX, ApiTokenKind.REFRESH, now)


def _end_login(session: Session, *, login_id: int, now: datetime, reason: str) -> None:
    """Revoke the login's session and retire its open tokens."""
    session.exec(
        update(UserSession)
        .where(col(UserSession.id) == login_id, col(UserSession.revoked_at).is_(None))
        .values(revoked_at=now, revoked_reason=reason)
    )
    session.exec(
        update(ApiToken)
        .where(col(ApiToken.session_id) == login_id, col(ApiToken.retired_at).is_(None))
        .values(retired_at=now)
    )


def _refused_for_reuse(session: Session, login_id: int, now: datetime) -> AuthenticationFailed:
    """End the login whose retired refresh token came back, committed at once (the unit
    of work rolls back on the refusal that follows, and this must stand)."""
    _end_login(session, login_id=login_id, now=now, reason="refresh_token_reused")
    session.commit()
    return AuthenticationFailed(REUSED_REFRESH)


def refresh_api_login(session: Session, *, refresh_token: object, now: datetime) -> TokenPair:
    """Rotate: the refresh token and its pair are retired and a new pair issued; the
    login's idle expiry moves on. ``AuthenticationFailed`` for a token that is malformed,
    unknown, expired, of an ended login or of an account that may no longer sign in; for a
    token already used, the whole login is ended first (committed here, like a failed
    sign-in in ``auth.password_holder``: the revocation stands although the caller then
    refuses)."""
    hashed = _hash_of(refresh_token, REFRESH_PREFIX)
    if hashed is None:
        raise AuthenticationFailed(INVALID_REFRESH)
    found = session.exec(
        select(ApiToken, UserSession)
        .join(UserSession, col(UserSession.id) == ApiToken.session_id)
        .where(col(ApiToken.token_hash) == hashed, col(ApiToken.kind) == ApiTokenKind.REFRESH)
    ).first()
    if found is None:
        raise AuthenticationFailed(INVALID_REFRESH)
    token, login = found
    assert login.id is not None
    if (
        login.revoked_at is not None
        or login.expires_at <= now
        or (login.absolute_expires_at is not None and login.absolute_expires_at <= now)
    ):
        raise AuthenticationFailed(INVALID_REFRESH)
    if token.retired_at is not None:
        raise _refused_for_reuse(session, login.id, now)
    if token.expires_at <= now:
        raise AuthenticationFailed(INVALID_REFRESH)
    try:  # the account must still be allowed to sign in, in the login's role
        acting_user(session, token.user_id, login.role)
    except Forbidden:
        raise AuthenticationFailed(INVALID_REFRESH) from None
    claimed = session.exec(  # only one use wins, even when two race
        update(ApiToken)
        .where(col(ApiToken.id) == token.id, col(ApiToken.retired_at).is_(None))
        .values(retired_at=now)
    )
    if not claimed.rowcount:
        raise _refused_for_reuse(session, login.id, now)
    session.exec(
        update(ApiToken)
        .where(col(ApiToken.session_id) == login.id, col(ApiToken.retired_at).is_(None))
        .values(retired_at=now)
    )
    idle_end = now + timedelta(hours=get_settings().session_idle_hours)
    login.last_seen_at = now
    login.expires_at = min(idle_end, login.absolute_expires_at or idle_end)
    session.add(login)
    return _issue_pair(session, login=login, now=now)


def close_api_login(session: Session, *, user_id: int, login_id: int, now: datetime) -> None:
    """Sign the user's API login out: its session ends and every token of it stops."""
    acting_user(session, user_id, *ALL_ROLES)
    owned = session.exec(
        select(UserSession.id).where(
            col(UserSession.id) == login_id, col(UserSession.user_id) == user_id
        )
    ).first()
    if owned is not None:
        _end_login(session, login_id=login_id, now=now, reason="signed_out")
        session.flush()


# An expired token is refused whatever its state; it is kept a day for investigations.
KEEP_EXPIRED = timedelta(days=1)


def prune_api_tokens(session: Session, *, now: datetime) -> int:
    """Delete tokens expired more than ``KEEP_EXPIRED`` ago, for the background sweep;
    returns how many. The caller commits."""
    result = session.exec(
        delete(ApiToken)
        .where(col(ApiToken.expires_at) < utc(now) - KEEP_EXPIRED)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)


__all__ = [
    "ACCESS_PREFIX",
    "ALL_ROLES",
    "INVALID_REFRESH",
    "REFRESH_PREFIX",
    "REUSED_REFRESH",
    "TokenHolder",
    "TokenPair",
    "close_api_login",
    "open_api_login",
    "prune_api_tokens",
    "refresh_api_login",
    "refresh_token_holder",
    "resolve_access_token",
    "token_hash",
]
