"""Single-use, short-lived links to set a password: a new account's invitation today, a
forgotten password later (the purpose ``reset``: same table, same rules).

The email carries a random token (``secrets.token_urlsafe(32)``, 256 bits); the table
keeps only its SHA-256 (like the download grants: no key is needed to make the hash
useless to whoever reads the table). A link works once, until ``expires_at``; issuing a
new one for the same user and purpose ends the older unused ones, so only the latest
email works. Setting the password claims the link with one compare-and-set UPDATE (two
tabs, or two people, racing with the same link: exactly one wins), signs the account out
everywhere and ends its other open links.

Nobody is signed in when a link is used: the token is the credential (as the session
token is for signing out). Whoever issues a link checks its caller (an admin inviting a
doctor is gated in ``domain.admin``). These functions flush; the caller's unit of work
commits, and a refusal raised here rolls the claim back with everything else.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from urllib.parse import urlencode

from sqlalchemy import delete, or_, update
from sqlmodel import Session, col, select

from healthcareplus.core import routes
from healthcareplus.core import validation as v
from healthcareplus.core.audit import Actor, audit
from healthcareplus.core.config import get_settings
from healthcareplus.core.db import row_by_id
from healthcareplus.core.errors import Forbidden, NotFound
from healthcareplus.core.formatting import utc
from healthcareplus.core.models import PasswordLink, User
from healthcareplus.domain.accounts.auth import BLOCKED, DEACTIVATED
from healthcareplus.domain.accounts.passwords import hash_password
from healthcareplus.domain.accounts.sessions import revoke_all_sessions

Purpose = Literal["invite", "reset"]
PURPOSES: tuple[str, ...] = ("invite", "reset")
QUERY_KEY = "token"
# A forgotten-password link should not live for days; its issue may make this a setting.
RESET_LINK_HOURS = 1
# Used or expired links are kept this long (for the audit trail's sake), then pruned.
KEEP_AFTER_END = timedelta(days=30)
# What ``secrets.token_urlsafe`` produces; anything else is refused before any query.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,128}")

LINK_UNUSABLE = (
    "This link cannot be used: it has expired, has already been used or was replaced by a "
    "newer one."
)
NO_SUCH_USER = "That account was not found."


@dataclass(frozen=True)
class IssuedLink:
    """A link just made: the secret ``token`` (only ever in the email) and its ``path``
    in the app (``/set-password?token=…``), valid for ``hours`` until ``expires_at``."""

    token: str
    path: str
    hours: int
    expires_at: datetime


@dataclass(frozen=True)
class LinkHolder:
    """Whose account a usable link sets the password of, as the page may show it."""

    user_id: int
    name: str
    masked_email: str  # "pr•••r@example.in"
    role: str
    purpose: str
    expires_at: datetime


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _hash_of(token: object) -> str | None:
    """The stored hash of a well-formed token; None for anything else (any type)."""
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    return _token_hash(token)


def _text(value: object) -> str:
    """Typed text as given; "" for anything that is not text a browser could send."""
    if not isinstance(value, str):
        return ""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates
        return ""
    return value


def link_hours(purpose: str) -> int:
    """How long a new link of ``purpose`` works."""
    return get_settings().invite_link_hours if purpose == "invite" else RESET_LINK_HOURS


def mask_email(email: str) -> str:
    """Enough of an address to recognise it, not enough to learn it: "pr•••r@example.in"."""
    local, _, domain = email.partition("@")
    shown = local[:2] if len(local) > 4 else local[:1]
    tail = local[-1] if len(local) > 2 else ""
    return f"{shown}•••{tail}@{domain}"


def _end_open_links(session: Session, user_id: int, now: datetime, *purposes: str) -> None:
    """Make the user's unused links of ``purposes`` (every purpose when none given) unusable."""
    where = [
        col(PasswordLink.user_id) == user_id,
        col(PasswordLink.used_at).is_(None),
        col(PasswordLink.expires_at) > now,
    ]
    if purposes:
        where.append(col(PasswordLink.purpose).in_(purposes))
    session.exec(
        update(PasswordLink)
        .where(*where)
        .values(expires_at=now)
        .execution_options(synchronize_session=False)
    )


def issue_password_link(
    session: Session, *, user_id: int, purpose: Purpose, now: datetime
) -> IssuedLink:
    """A new link for ``user_id`` (older unused ones of the purpose stop working). The
    caller has checked who asks, and sends the link (it is never shown in the app)."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown password link purpose {purpose!r}")
    user = row_by_id(session, User, user_id)
    if user is None or user.id is None:
        raise NotFound(NO_SUCH_USER)
    now = utc(now)
    hours = link_hours(purpose)
    _end_open_links(session, user.id, now, purpose)
    token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(hours=hours)
    session.add(
        PasswordLink(
            token_hash=_token_hash(token),
            user_id=user.id,
            purpose=purpose,
            created_at=now,
            expires_at=expires_at,
        )
    )
    session.flush()
    path = f"{routes.SET_PASSWORD}?{urlencode({QUERY_KEY: token})}"
    return IssuedLink(token=token, path=path, hours=hours, expires_at=expires_at)


def _open_link(session: Session, token: object, now: datetime) -> tuple[PasswordLink, User]:
    """The usable link behind ``token`` and its account; ``Forbidden`` otherwise (one
    neutral message for unknown, used, expired and replaced links)."""
    token_hash = _hash_of(token)
    if token_hash is None:
        raise Forbidden(LINK_UNUSABLE)
    found = session.exec(
        select(PasswordLink, User)
        .join(User, col(User.id) == col(PasswordLink.user_id))
        .where(
            col(PasswordLink.token_hash) == token_hash,
            col(PasswordLink.used_at).is_(None),
            col(PasswordLink.expires_at) > now,
        )
    ).first()
    if found is None:
        raise Forbidden(LINK_UNUSABLE)
    link, user = found
    _check_account(user)
    return link, user


def _check_account(user: User) -> None:
    """A deactivated or blocked account gets no password (nor a sign-in) by link."""
    if not user.is_active:
        raise Forbidden(DEACTIVATED)
    if user.is_blocked:
        raise Forbidden(BLOCKED)


def _holder(link: PasswordLink, user: User) -> LinkHolder:
    return LinkHolder(
        user_id=user.id or 0,
        name=user.name,
        masked_email=mask_email(user.email),
        role=user.role,
        purpose=link.purpose,
        expires_at=link.expires_at,
    )


def link_holder(session: Session, token: object, *, now: datetime) -> LinkHolder:
    """Whose password the link behind ``token`` sets (any value is safe to pass);
    ``Forbidden`` with the reason when it cannot be used."""
    return _holder(*_open_link(session, token, utc(now)))


def _checked_password(password: object, confirm: object) -> str:
    """The new password by the registration rules; ``ValidationFailed`` names the fields."""
    new, again = _text(password), _text(confirm)

    def check_confirm() -> str:
        if new != again:
            raise v.FieldError("Passwords do not match")
        return again

    fields = v.collect(
        {
            "password": lambda: v.check_password_strength(new),
            "confirm_password": check_confirm,
        }
    )
    return str(fields["password"])


def set_password_with_link(
    session: Session,
    *,
    token: object,
    password: object,
    confirm: object,
    now: datetime,
    client_key: str = "",
) -> LinkHolder:
    """Set the account's password through the link behind ``token`` and use the link up.
    Every session of the account ends, and so do its other open links. ``Forbidden``
    for a link that cannot be used (or a deactivated or blocked account),
    ``ValidationFailed`` for a password the rules refuse (the link stays usable)."""
    now = utc(now)
    link, user = _open_link(session, token, now)
    new_hash = hash_password(_checked_password(password, confirm))  # slow: before the claim
    claimed = session.exec(
        update(PasswordLink)
        .where(
            col(PasswordLink.id) == link.id,
            col(PasswordLink.used_at).is_(None),
            col(PasswordLink.expires_at) > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # another request used it first (or it was replaced)
        raise Forbidden(LINK_UNUSABLE)
    session.refresh(user)  # as it is now that the link is ours
    _check_account(user)
    user_id = user.id or 0
    user.password_hash, user.updated_at = new_hash, now
    user.must_change_password = False  # chosen by its owner
    session.add(user)
    ended = revoke_all_sessions(session, user_id=user_id, now=now, reason="password_set_by_link")
    _end_open_links(session, user_id, now)
    detail = {"purpose": link.purpose, "sessions_ended": ended, "client": client_key[:64]}
    by = Actor(user_id, user.role, now)
    audit(session, by, "password_set_by_link", entity="user", entity_id=user_id, detail=detail)
    session.flush()
    return _holder(link, user)


def prune_password_links(session: Session, *, now: datetime) -> int:
    """Delete links that ended (used or expired) more than ``KEEP_AFTER_END`` ago, for a
    background sweep; returns how many. The caller commits."""
    cutoff = utc(now) - KEEP_AFTER_END
    result = session.exec(
        delete(PasswordLink)
        .where(or_(col(PasswordLink.expires_at) < cutoff, col(PasswordLink.used_at) < cutoff))
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)


__all__ = [
    "LINK_UNUSABLE",
    "PURPOSES",
    "QUERY_KEY",
    "IssuedLink",
    "LinkHolder",
    "Purpose",
    "issue_password_link",
    "link_holder",
    "link_hours",
    "mask_email",
    "prune_password_links",
    "set_password_with_link",
]
