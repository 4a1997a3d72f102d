"""The REST API's tables (re-exported by ``models``): bearer tokens, API keys and the rate
limiter's counters.

A person's API login is a row of ``sessions`` (``UserSession``), like a browser's: its
access and refresh tokens hang off it, so whatever ends a session (signing out, signing
out everywhere, a password change, the account blocked or deactivated) ends them too.
Tokens and keys are stored as the SHA-256 of the random value (256 random bits need no
key); the value itself is shown once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Column, Index, String
from sqlmodel import Field, SQLModel

from healthcareplus.core.dbtypes import instant_column as _instant
from healthcareplus.core.dbtypes import utcnow


class ApiTokenKind:
    ACCESS = "access"
    REFRESH = "refresh"


class ApiToken(SQLModel, table=True):
    """One access or refresh token of an API login (``session_id``). Using a refresh
    token retires it and the pair it came with (``retired_at``) and issues a new pair;
    presenting a retired refresh token again revokes the whole login."""

    __tablename__ = "api_tokens"
    __table_args__ = (Index("ix_api_tokens_session_retired", "session_id", "retired_at"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="sessions.id")
    user_id: int = Field(foreign_key="users.id", index=True)
    kind: str = Field(max_length=8)  # "access" or "refresh"
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))
    expires_at: datetime = Field(sa_column=_instant(nullable=False, index=True))
    retired_at: datetime | None = Field(default=None, sa_column=_instant())


class ApiKey(SQLModel, table=True):
    """An integration's key, made by an admin: it acts for that admin within its
    ``scopes``, until revoked or expired, and only while the admin stays an active admin.
    ``prefix`` (the key's first characters) names it in lists and logs."""

    __tablename__ = "api_keys"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80)
    prefix: str = Field(max_length=16)
    token_hash: str = Field(max_length=64, unique=True)
    scopes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_by_user_id: int = Field(foreign_key="users.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))
    expires_at: datetime | None = Field(default=None, sa_column=_instant())
    last_used_at: datetime | None = Field(default=None, sa_column=_instant())
    revoked_at: datetime | None = Field(default=None, sa_column=_instant())
    revoked_by_user_id: int | None = Field(default=None, foreign_key="users.id")


class ApiRateWindow(SQLModel, table=True):
    """Requests counted for one key (a client address, a login, an API key) in one fixed
    window (``window_start``: seconds since the epoch). Rows past ``expires_at`` are
    deleted as the limiter goes."""

    __tablename__ = "api_rate_windows"

    key: str = Field(sa_column=Column(String(80), primary_key=True))
    window_start: int = Field(sa_column=Column(BigInteger, primary_key=True))
    hits: int = Field(default=0)
    expires_at: datetime = Field(sa_column=_instant(nullable=False, index=True))


__all__ = ["ApiKey", "ApiRateWindow", "ApiToken", "ApiTokenKind"]
