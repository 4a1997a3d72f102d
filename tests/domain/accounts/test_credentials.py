"""Changing one's own password: the current one checked, the new one by the registration
rules, every session of the account ended, audited without the secret."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.errors import Forbidden, TooManyAttempts, ValidationFailed
from healthcareplus.core.models import AuditEvent, LoginAttempt, Role, User, UserSession
from healthcareplus.domain.accounts import passwords
from healthcareplus.domain.accounts.credentials import (
    SAME_AS_CURRENT,
    WRONG_CURRENT,
    change_password,
)
from healthcareplus.domain.accounts.passwords import verify_password
from healthcareplus.domain.accounts.sessions import create_session, resolve_session
from tests.domain.accounts.sign_in import PASSWORD, T0, login, make_user

NEW = "Fresh#Start42"


@pytest.fixture(autouse=True)
def cheap_bcrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "BCRYPT_ROUNDS", 4)


def change(session: Session, user: User, **overrides: Any) -> int:
    form: dict[str, Any] = {
        "current_password": PASSWORD,
        "new_password": NEW,
        "confirm_password": NEW,
    }
    form.update(overrides)
    form.setdefault("client_key", "client-a")
    return change_password(session, user_id=user.id, **form, now=T0)


def refused(session: Session, user: User, **overrides: Any) -> dict[str, str]:
    before = user.password_hash
    with pytest.raises(ValidationFailed) as caught:
        change(session, user, **overrides)
    session.rollback()
    session.refresh(user)
    assert user.password_hash == before
    return caught.value.fields


@pytest.mark.parametrize("role", [Role.PATIENT, Role.DOCTOR, Role.ADMIN])
def test_changing_the_password_signs_out_every_session(session: Session, role: str) -> None:
    user = make_user(session, role=role)
    other = make_user(session, email="bina@example.com")
    mine = [create_session(session, user_id=user.id, role=role, now=T0) for _ in range(3)]
    theirs = create_session(session, user_id=other.id, role=other.role, now=T0)
    session.commit()

    assert change(session, user) == 3
    session.commit()

    assert [resolve_session(session, token=t, now=T0) for t in mine] == [None] * 3
    assert resolve_session(session, token=theirs, now=T0) is not None
    session.refresh(user)
    assert verify_password(NEW, user.password_hash)
    assert not verify_password(PASSWORD, user.password_hash)
    assert user.updated_at == T0
    reasons = session.exec(
        select(UserSession.revoked_reason).where(UserSession.user_id == user.id)
    ).all()
    assert reasons == ["password_changed"] * 3
    [event] = session.exec(select(AuditEvent).where(AuditEvent.action == "password_changed")).all()
    assert (event.actor_user_id, event.actor_role, event.entity, event.entity_id) == (
        user.id,
        role,
        "user",
        str(user.id),
    )
    assert event.detail == {"sessions_ended": 3}
    assert NEW not in str(event.model_dump()) and PASSWORD not in str(event.model_dump())


def test_the_new_password_signs_in_and_the_old_one_no_longer_does(session: Session) -> None:
    user = make_user(session)
    change(session, user)
    session.commit()
    assert login(session, password=NEW).id == user.id
    with pytest.raises(Exception, match="Invalid email or password"):
        login(session, password=PASSWORD)


def test_a_wrong_current_password_is_refused_and_nothing_ends(session: Session) -> None:
    user = make_user(session)
    token = create_session(session, user_id=user.id, role=user.role, now=T0)
    session.commit()
    assert refused(session, user, current_password="Wrong#Pass1") == {
        "current_password": WRONG_CURRENT
    }
    assert resolve_session(session, token=token, now=T0) is not None
    assert session.exec(select(AuditEvent)).all() == []


def test_wrong_current_passwords_are_throttled_like_sign_ins(session: Session) -> None:
    """Someone holding a stolen session cannot guess the password at bcrypt speed."""
    user = make_user(session)
    for _ in range(get_settings().login_max_failures):
        refused(session, user, current_password="Wrong#Pass1")
    with pytest.raises(TooManyAttempts):
        change(session, user)  # even the right password waits now, from this client
    session.rollback()
    attempts = session.exec(select(LoginAttempt).where(LoginAttempt.email == user.email)).all()
    assert [a.succeeded for a in attempts] == [False] * get_settings().login_max_failures
    assert change(session, user, client_key="client-b") >= 0  # the owner's other device


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"new_password": "weak", "confirm_password": "weak"}, {"new_password"}),
        (
            {"new_password": "alllowercase1!", "confirm_password": "alllowercase1!"},
            {"new_password"},
        ),
        ({"confirm_password": NEW + "x"}, {"confirm_password"}),
        ({"new_password": PASSWORD, "confirm_password": PASSWORD}, {"new_password"}),
        (
            {"new_password": "Ab1!" + "x" * 80, "confirm_password": "Ab1!" + "x" * 80},
            {"new_password"},
        ),
        ({"current_password": ""}, {"current_password"}),
        (
            {"current_password": "nope", "new_password": "weak", "confirm_password": "other"},
            {"current_password", "new_password", "confirm_password"},
        ),
    ],
)
def test_the_new_password_follows_the_registration_rules(
    session: Session, overrides: dict[str, str], fields: set[str]
) -> None:
    user = make_user(session)
    assert set(refused(session, user, **overrides)) == fields


def test_reusing_the_current_password_says_so(session: Session) -> None:
    user = make_user(session)
    errors = refused(session, user, new_password=PASSWORD, confirm_password=PASSWORD)
    assert errors == {"new_password": SAME_AS_CURRENT}


CRAFTED: list[Any] = [None, 5, {"a": 1}, ["x"], b"bytes", "\x00"]


@pytest.mark.parametrize("value", CRAFTED, ids=[repr(v)[:12] for v in CRAFTED])
@pytest.mark.parametrize("name", ["current_password", "new_password", "confirm_password"])
def test_crafted_values_are_refused_as_field_errors(
    session: Session, name: str, value: Any
) -> None:
    user = make_user(session)
    assert name in refused(session, user, **{name: value})


@pytest.mark.parametrize("state", ["inactive", "blocked", "missing"])
def test_only_an_active_unblocked_account_changes_its_password(
    session: Session, state: str
) -> None:
    user = make_user(session)
    if state == "inactive":
        user.is_active = False
    elif state == "blocked":
        user.is_blocked = True
    session.add(user)
    session.commit()
    target = User(id=10**6) if state == "missing" else user
    with pytest.raises(Forbidden):
        change(session, target)
    session.rollback()
    session.refresh(user)
    assert verify_password(PASSWORD, user.password_hash)
