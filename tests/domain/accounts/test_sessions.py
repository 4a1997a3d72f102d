from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.models import Role, UserSession
from healthcareplus.domain.accounts.sessions import (
    SessionUser,
    create_session,
    resolve_session,
    revoke_session,
)
from tests.domain.accounts.sign_in import (
    T0,
    make_user,
)


def test_create_session_returns_a_fresh_random_token(session: Session) -> None:
    user = make_user(session)
    first = create_session(session, user_id=user.id, now=T0)
    second = create_session(session, user_id=user.id, now=T0)
    assert first != second
    assert len(first) >= 40 and len(second) >= 40


def test_only_a_hash_of_the_token_is_stored(session: Session) -> None:
    user = make_user(session)
    token = create_session(session, user_id=user.id, now=T0)
    rows = session.connection().execute(text("SELECT * FROM sessions")).all()
    assert len(rows) == 1
    assert all(token not in str(value) for value in rows[0])
    stored = session.exec(select(UserSession)).one()
    assert len(stored.token_hash) == 64 and stored.token_hash != token
    assert stored.expires_at == T0 + timedelta(hours=get_settings().session_idle_hours)


def test_resolve_session_returns_the_user_without_secrets(session: Session) -> None:
    user = make_user(session, role=Role.ADMIN, email="admin@example.com", name="Ravi Kumar")
    token = create_session(session, user_id=user.id, now=T0)
    resolved = resolve_session(session, token=token, now=T0 + timedelta(hours=1))
    assert resolved == SessionUser(
        id=user.id, role="admin", name="Ravi Kumar", email="admin@example.com"
    )
    assert {f.name for f in dataclasses.fields(SessionUser)} == {"id", "role", "name", "email"}


def test_expired_session_resolves_to_none(session: Session) -> None:
    user = make_user(session)
    token = create_session(session, user_id=user.id, now=T0)
    expires = session.exec(select(UserSession.expires_at)).one()
    assert resolve_session(session, token=token, now=expires - timedelta(seconds=1))
    assert resolve_session(session, token=token, now=expires) is None
    assert resolve_session(session, token=token, now=expires + timedelta(days=1)) is None


def test_revoked_session_resolves_to_none(session: Session) -> None:
    user = make_user(session)
    token = create_session(session, user_id=user.id, now=T0)
    other = create_session(session, user_id=user.id, now=T0)
    revoke_session(session, token=token, now=T0)
    assert resolve_session(session, token=token, now=T0) is None
    assert resolve_session(session, token=other, now=T0) is not None
    revoke_session(session, token="never-issued")  # unknown tokens are ignored


def test_deactivated_user_session_resolves_to_none(session: Session) -> None:
    user = make_user(session)
    token = create_session(session, user_id=user.id, now=T0)
    user.is_active = False
    session.add(user)
    session.commit()
    assert resolve_session(session, token=token, now=T0) is None


@pytest.mark.parametrize(
    "token",
    ["", "garbage", "x" * 43, "x" * 10_000, "' OR 1=1 --", "\x00"],
    ids=["empty", "garbage", "token-shaped", "huge", "sql", "nul"],
)
def test_unknown_tokens_resolve_to_none(session: Session, token: str) -> None:
    user = make_user(session)
    create_session(session, user_id=user.id, now=T0)
    assert resolve_session(session, token=token, now=T0) is None


def test_tokens_are_keyed_by_the_secret(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    user = make_user(session)
    token = create_session(session, user_id=user.id, now=T0)
    with monkeypatch.context() as env:
        env.setenv("HCP_SECRET_KEY", "another-secret-key-of-enough-length")
        get_settings.cache_clear()
        assert resolve_session(session, token=token, now=T0) is None
    get_settings.cache_clear()
    assert resolve_session(session, token=token, now=T0) is not None
