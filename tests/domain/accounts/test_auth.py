from __future__ import annotations

import time
from datetime import timedelta

import bcrypt
import pytest
from sqlmodel import Session, select

from healthcareplus.core.errors import AuthenticationFailed
from healthcareplus.core.models import LoginAttempt, Role
from healthcareplus.domain.accounts import passwords
from healthcareplus.domain.accounts.auth import BLOCKED, INVALID_CREDENTIALS
from tests.domain.accounts.sign_in import (
    ADMIN_PORTAL,
    PASSWORD,
    PATIENT_PORTAL,
    REAL_HASH,
    T0,
    login,
    make_user,
)

# --- credentials ---------------------------------------------------------------------------


def test_right_credentials_return_the_user_and_record_a_success(session: Session) -> None:
    user = make_user(session)
    signed_in = login(session)
    assert signed_in.id == user.id
    attempts = session.exec(select(LoginAttempt)).all()
    assert [(a.email, a.client_key, a.succeeded) for a in attempts] == [
        ("asha@example.com", "client-a", True)
    ]
    assert attempts[0].attempted_at == T0


def test_wrong_password_and_unknown_email_give_the_same_message(
    session: Session, cheap_dummy: None
) -> None:
    make_user(session)
    with pytest.raises(AuthenticationFailed) as wrong_password:
        login(session, "asha@example.com", "Wrong#Pass1")
    with pytest.raises(AuthenticationFailed) as unknown_email:
        login(session, "nobody@example.com", PASSWORD)
    assert str(wrong_password.value) == str(unknown_email.value) == INVALID_CREDENTIALS
    attempts = session.exec(select(LoginAttempt).order_by(LoginAttempt.id)).all()
    assert [(a.email, a.succeeded) for a in attempts] == [
        ("asha@example.com", False),
        ("nobody@example.com", False),
    ]


def test_empty_password_is_refused(session: Session) -> None:
    make_user(session)
    with pytest.raises(AuthenticationFailed, match=INVALID_CREDENTIALS):
        login(session, "asha@example.com", "")


def _count_checkpw(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    calls: list[bytes] = []
    real = bcrypt.checkpw

    def counting(password: bytes, hashed: bytes) -> bool:
        calls.append(hashed)
        return real(password, hashed)

    monkeypatch.setattr(passwords.bcrypt, "checkpw", counting)
    return calls


@pytest.mark.parametrize(
    ("email", "password", "succeeds"),
    [
        ("asha@example.com", "Wrong#Pass1", False),  # known email, wrong password
        ("nobody@example.com", PASSWORD, False),  # unknown email
        ("asha@example.com", PASSWORD, True),
    ],
    ids=["wrong-password", "unknown-email", "success"],
)
def test_every_sign_in_costs_exactly_one_bcrypt_check(
    session: Session, monkeypatch: pytest.MonkeyPatch, email: str, password: str, succeeds: bool
) -> None:
    make_user(session, password_hash=REAL_HASH)
    calls = _count_checkpw(monkeypatch)
    if succeeds:
        assert login(session, email, password).email == email
    else:
        with pytest.raises(AuthenticationFailed, match=INVALID_CREDENTIALS):
            login(session, email, password)
    assert len(calls) == 1
    # The unknown-email path checks against a hash of the same bcrypt cost as real accounts.
    assert calls[0][:7] == REAL_HASH.encode()[:7] == b"$2b$12$"


def test_unknown_email_and_wrong_password_take_comparable_time(session: Session) -> None:
    make_user(session, password_hash=REAL_HASH)

    def timed(email: str, round_: int) -> float:
        start = time.perf_counter()
        with pytest.raises(AuthenticationFailed):
            # A new client and an hour apart each round, so throttling never kicks in.
            login(
                session,
                email,
                "Wrong#Pass1",
                client_key=f"timing-{email}-{round_}",
                now=T0 + timedelta(hours=round_),
            )
        return time.perf_counter() - start

    wrong_password = min(timed("asha@example.com", r) for r in range(3))
    unknown_email = min(timed("nobody@example.com", r) for r in range(3))
    assert wrong_password < 3 * unknown_email
    assert unknown_email < 3 * wrong_password


def test_email_is_case_and_space_insensitive(session: Session) -> None:
    user = make_user(session)
    assert login(session, "  Asha@EXAMPLE.com \t").id == user.id
    attempt = session.exec(select(LoginAttempt)).one()
    assert attempt.email == "asha@example.com"


def test_inactive_account_is_refused(session: Session) -> None:
    make_user(session, is_active=False)
    with pytest.raises(AuthenticationFailed, match="deactivated"):
        login(session)
    # With a wrong password the generic message is kept: nothing is revealed.
    with pytest.raises(AuthenticationFailed) as wrong:
        login(session, password="Wrong#Pass1")
    assert str(wrong.value) == INVALID_CREDENTIALS


def test_blocked_account_is_refused_after_the_password_check(session: Session) -> None:
    user = make_user(session)
    user.is_blocked, user.blocked_reason = True, "Abusive messages"
    session.add(user)
    session.commit()
    with pytest.raises(AuthenticationFailed) as refused:
        login(session)
    assert str(refused.value) == BLOCKED == "This account has been blocked. Contact the clinic."
    # With a wrong password the generic message is kept: nothing is revealed.
    with pytest.raises(AuthenticationFailed) as wrong:
        login(session, password="Wrong#Pass1")
    assert str(wrong.value) == INVALID_CREDENTIALS
    user.is_blocked = False
    session.add(user)
    session.commit()
    assert login(session).id == user.id


def test_admin_on_patient_portal_is_sent_to_the_admin_portal(session: Session) -> None:
    make_user(session, email="admin@example.com", role=Role.ADMIN)
    with pytest.raises(AuthenticationFailed, match="admin portal"):
        login(session, "admin@example.com", roles=PATIENT_PORTAL)
    assert login(session, "admin@example.com", roles=ADMIN_PORTAL).role == Role.ADMIN


def test_patient_on_admin_portal_is_refused(session: Session) -> None:
    make_user(session)
    with pytest.raises(AuthenticationFailed) as refused:
        login(session, roles=ADMIN_PORTAL)
    assert "administrators only" in str(refused.value)


def test_doctor_may_use_the_patient_portal(session: Session) -> None:
    make_user(session, email="doc@example.com", role=Role.DOCTOR)
    assert login(session, "doc@example.com", roles=PATIENT_PORTAL).role == Role.DOCTOR


# --- throttling ----------------------------------------------------------------------------
