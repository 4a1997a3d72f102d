"""Records of who may get in (re-exported by ``models``): sign-in sessions, sign-in
attempts for throttling, one-time download grants and single-use password links. Each
keeps only a hash of the secret the browser or the email holds."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from healthcareplus.core.dbtypes import instant_column as _instant
from healthcareplus.core.dbtypes import utcnow


class UserSession(SQLModel, table=True):
    """A login session; the browser keeps the raw token, the table only its keyed hash.

    ``expires_at`` slides forward while the session is used (idle expiry) but never past
    ``absolute_expires_at``. ``role`` is the user's role when the session began: a session
    is valid only while the user still has it, so a role change ends every session."""

    __tablename__ = "sessions"
    __table_args__ = (Index("ix_sessions_user_revoked", "user_id", "revoked_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    role: str = Field(default="", max_length=16)
    device: str = Field(default="", max_length=120)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))
    last_seen_at: datetime | None = Field(default=None, sa_column=_instant())
    expires_at: datetime = Field(sa_column=_instant(nullable=False))
    absolute_expires_at: datetime | None = Field(default=None, sa_column=_instant())
    revoked_at: datetime | None = Field(default=None, sa_column=_instant())
    revoked_reason: str | None = Field(default=None, max_length=40)


class LoginAttempt(SQLModel, table=True):
    """One sign-in attempt, for throttling; pruned once older than any throttling window."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_at", "email", "attempted_at"),
        Index("ix_login_attempts_client_at", "client_key", "attempted_at"),
        Index("ix_login_attempts_email_client_at", "email", "client_key", "attempted_at"),
        Index("ix_login_attempts_at", "attempted_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254)
    client_key: str = Field(max_length=64)
    succeeded: bool = Field(default=False)
    attempted_at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))


class DownloadGrant(SQLModel, table=True):
    """A one-time download (an admin export, a doctor's own report, a patient's copy of
    their data): the link carries only a random id whose
    SHA-256 is stored here (256 random bits need no key); the first request uses it up
    (``used_at``)."""

    __tablename__ = "download_grants"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    purpose: str = Field(max_length=40)
    params: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))
    expires_at: datetime = Field(sa_column=_instant(nullable=False, index=True))
    used_at: datetime | None = Field(default=None, sa_column=_instant())


class PasswordLink(SQLModel, table=True):
    """A single-use, short-lived link to set a password (a new account's invitation, a
    forgotten password): the email carries a random token, the table only its SHA-256;
    using the link sets ``used_at``."""

    __tablename__ = "password_links"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    purpose: str = Field(max_length=16)  # "invite" or "reset"
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))
    expires_at: datetime = Field(sa_column=_instant(nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=_instant())


__all__ = ["DownloadGrant", "LoginAttempt", "PasswordLink", "UserSession"]
