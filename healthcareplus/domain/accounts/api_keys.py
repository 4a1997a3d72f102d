"""API keys for integrations: made, listed and revoked by admins, with scopes.

A key acts for the admin who made it, within its scopes: it works until revoked or past
its expiry, and only while that admin is still an active, unblocked admin (checked on
every request, through ``acting_user``). The key is shown once, when made; the table keeps
its SHA-256 (256 random bits need no key) and its first characters (``prefix``), which
name it in lists. Making and revoking a key are audited.

People signed in with a bearer token have the scopes of their role (``scopes_for_role``);
what they may do is still decided by the domain functions behind each endpoint.

These functions flush; the caller's unit of work (``session_scope``) commits.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from healthcareplus.core import validation as v
from healthcareplus.core.audit import audit
from healthcareplus.core.db import row_by_id
from healthcareplus.core.errors import Forbidden, NotFound
from healthcareplus.core.models import ApiKey, Role, User
from healthcareplus.domain.accounts.actors import acting_admin, acting_user

KEY_PREFIX = "hcp_key_"
_KEY = re.compile(r"hcp_key_[A-Za-z0-9_-]{43}")
PREFIX_CHARS = 16  # "hcp_key_" and 8 of the random characters
NAME_MAX = 80
MAX_LIFETIME = timedelta(days=3650)
# A key in use is written back at most this often (not on every request).
TOUCH_EVERY = timedelta(seconds=60)
KEY_GONE = "That API key was not found."

SCOPES: dict[str, str] = {
    "catalog:read": "Read the catalogue: cities, hospitals, doctors, availability.",
    "appointments:read": "Read appointments.",
    "appointments:write": "Book, move and cancel appointments.",
    "admin:read": "Read the clinic's administration data.",
    "admin:write": "Make administrative changes, audited as the key's admin.",
}
_PEOPLE_SCOPES = frozenset({"catalog:read", "appointments:read", "appointments:write"})
ROLE_SCOPES: dict[str, frozenset[str]] = {
    Role.PATIENT: _PEOPLE_SCOPES,
    Role.DOCTOR: _PEOPLE_SCOPES,
    Role.ADMIN: frozenset(SCOPES),
}


@dataclass(frozen=True)
class ApiKeyView:
    """A key as the admin list shows it (never the key itself)."""

    id: int
    name: str
    prefix: str
    scopes: tuple[str, ...]
    created_at: datetime
    created_by_user_id: int
    created_by_name: str
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None
    status: str  # "active", "expired" or "revoked"


@dataclass(frozen=True)
class IssuedApiKey:
    """A new key: ``key`` is shown to the admin this once."""

    key: str
    view: ApiKeyView


@dataclass(frozen=True)
class KeyHolder:
    """Who a valid key acts for, and what it may do."""

    key_id: int
    key_name: str
    scopes: frozenset[str]
    user_id: int
    role: str
    name: str
    email: str


def scopes_for_role(role: str) -> frozenset[str]:
    return ROLE_SCOPES.get(role, frozenset())


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _status(row: ApiKey, now: datetime) -> str:
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at is not None and row.expires_at <= now:
        return "expired"
    return "active"


def _view(row: ApiKey, creator: str, now: datetime) -> ApiKeyView:
    return ApiKeyView(
        id=row.id or 0,
        name=row.name,
        prefix=row.prefix,
        scopes=tuple(row.scopes or ()),
        created_at=row.created_at,
        created_by_user_id=row.created_by_user_id,
        created_by_name=creator,
        expires_at=row.expires_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
        status=_status(row, now),
    )


def _clean_name(value: object) -> str:
    name = " ".join(value.split()) if isinstance(value, str) else ""
    if len(name) < 2:
        raise v.FieldError("Name the key (who or what uses it), in at least 2 characters")
    if len(name) > NAME_MAX:
        raise v.FieldError(f"Keep the name under {NAME_MAX} characters")
    if not name.isprintable():
        raise v.FieldError("Use printable characters only")
    return name


def _clean_scopes(value: object) -> list[str]:
    if not isinstance(value, list | tuple) or not value:
        raise v.FieldError("Choose at least one scope")
    unknown = [s for s in value if not isinstance(s, str) or s not in SCOPES]
    if unknown:
        raise v.FieldError("Unknown scope; choose from: " + ", ".join(SCOPES))
    return sorted(set(value))


def _clean_expiry(value: object, now: datetime) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise v.FieldError("Give the expiry as an instant with its time zone")
    if value <= now:
        raise v.FieldError("The expiry must lie in the future")
    if value > now + MAX_LIFETIME:
        raise v.FieldError("A key may live at most ten years")
    return value


def create_api_key(
    session: Session,
    *,
    actor_id: int,
    actor_role: str,
    name: str,
    scopes: list[str],
    expires_at: datetime | None = None,
    now: datetime,
) -> IssuedApiKey:
    """A new key for an integration; ``ValidationFailed`` names every refused field."""
    by = acting_admin(session, actor_id, actor_role, now)
    cleaned = v.collect(
        {
            "name": lambda: _clean_name(name),
            "scopes": lambda: _clean_scopes(scopes),
            "expires_at": lambda: _clean_expiry(expires_at, now),
        }
    )
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(
        name=cleaned["name"],
        prefix=key[:PREFIX_CHARS],
        token_hash=key_hash(key),
        scopes=cleaned["scopes"],
        created_by_user_id=actor_id,
        created_at=by.now,
        expires_at=cleaned["expires_at"],
    )
    session.add(row)
    session.flush()
    expiry = row.expires_at.isoformat() if row.expires_at else None
    audit(
        session,
        by,
        "api_key_created",
        entity="api_key",
        entity_id=row.id,
        detail={
            "name": row.name,
            "prefix": row.prefix,
            "scopes": ", ".join(row.scopes),
            "expires_at": expiry,
        },
    )
    session.flush()
    creator = session.get(User, actor_id)
    return IssuedApiKey(key=key, view=_view(row, creator.name if creator else "", by.now))


def list_api_keys(
    session: Session, *, now: datetime, include_revoked: bool = True
) -> list[ApiKeyView]:
    """Every key, newest first (the revoked ones too, unless ``include_revoked`` is off).
    Its callers check that an admin asks."""
    query = (
        select(ApiKey, User.name)
        .join(User, col(User.id) == ApiKey.created_by_user_id)
        .order_by(col(ApiKey.created_at).desc(), col(ApiKey.id).desc())
    )
    if not include_revoked:
        query = query.where(col(ApiKey.revoked_at).is_(None))
    return [_view(row, creator, now) for row, creator in session.exec(query)]


def revoke_api_key(
    session: Session, *, actor_id: int, actor_role: str, key_id: int, now: datetime
) -> ApiKeyView:
    """Revoke a key at once; revoking a revoked key changes nothing (and is not audited
    again). ``NotFound`` for an unknown key."""
    by = acting_admin(session, actor_id, actor_role, now)
    row = row_by_id(session, ApiKey, key_id)
    if row is None:
        raise NotFound(KEY_GONE)
    if row.revoked_at is None:
        row.revoked_at, row.revoked_by_user_id = by.now, actor_id
        session.add(row)
        audit(
            session,
            by,
            "api_key_revoked",
            entity="api_key",
            entity_id=row.id,
            detail={"name": row.name, "prefix": row.prefix},
        )
        session.flush()
    creator = session.get(User, row.created_by_user_id)
    return _view(row, creator.name if creator else "", by.now)


def resolve_api_key(session: Session, *, key: object, now: datetime) -> KeyHolder | None:
    """Who a key acts for, or None: malformed (of any type), unknown, revoked, expired, or
    its admin no longer an active, unblocked admin. A key in use records when (at most
    once a minute)."""
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        return None
    row = session.exec(select(ApiKey).where(col(ApiKey.token_hash) == key_hash(key))).first()
    if row is None or _status(row, now) != "active":
        return None
    try:
        admin = acting_user(session, row.created_by_user_id, Role.ADMIN)
    except Forbidden:
        return None
    if row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY:
        session.exec(update(ApiKey).where(col(ApiKey.id) == row.id).values(last_used_at=now))
    return KeyHolder(
        key_id=row.id or 0,
        key_name=row.name,
        scopes=frozenset(row.scopes or ()),
        user_id=admin.id or 0,
        role=admin.role,
        name=admin.name,
        email=admin.email,
    )


__all__ = [
    "KEY_PREFIX",
    "ROLE_SCOPES",
    "SCOPES",
    "ApiKeyView",
    "IssuedApiKey",
    "KeyHolder",
    "create_api_key",
    "key_hash",
    "list_api_keys",
    "resolve_api_key",
    "revoke_api_key",
    "scopes_for_role",
]
