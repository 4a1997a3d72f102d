from __future__ import annotations

import dataclasses
import time
from datetime import UTC, datetime, timedelta

import bcrypt
import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.errors import AuthenticationFailed, TooManyAttempts
from healthcareplus.core.models import LoginAttempt, Role, User, UserSession
from healthcareplus.domain.accounts import passwords
from healthcareplus.domain.accounts.auth import INVALID_CREDENTIALS, authenticate
from healthcareplus.domain.accounts.sessions import (
    SessionUser,
    create_session,
    resolve_session,
    revoke_session,
)
from healthcareplus.domain.accounts.throttle import client_key_for

PASSWORD = "Correct#Horse9"
T0 = datetime(2030, 3, 4, 10, 0, tzinfo=UTC)
PATIENT_PORTAL = (Role.PATIENT, Role.DOCTOR)
ADMIN_PORTAL = (Role.ADMIN,)

# A real cost-12 hash (made once) for the timing tests; a cheap cost-4 hash elsewhere, so the
# many sign-ins of the throttling tests don't cost a quarter second each.
REAL_HASH = passwords.hash_password(PASSWORD)
CHEAP_HASH = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode()
CHEAP_DUMMY = bcrypt.hashpw(b"not-a-real-password", bcrypt.gensalt(4))


@pytest.fixture
def cheap_dummy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unknown emails verify against a cost-4 dummy hash (fast throttling tests)."""
    monkeypatch.setattr(passwords, "_DUMMY_HASH", CHEAP_DUMMY)


def make_user(
    session: Session,
    *,
    email: str = "asha@example.com",
    role: str = Role.PATIENT,
    password_hash: str = CHEAP_HASH,
    is_active: bool = True,
    name: str = "Asha Rao",
) -> User:
    user = User(
        role=role,
        name=name,
        email=email,
        phone="+91 98450 12345",
        password_hash=password_hash,
        is_active=is_active,
    )
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def login(
    session: Session,
    email: str = "asha@example.com",
    password: str = PASSWORD,
    *,
    client_key: str = "client-a",
    roles: tuple[str, ...] = PATIENT_PORTAL,
    now: datetime = T0,
) -> User:
    return authenticate(
        session, email=email, password=password, client_key=client_key, roles=roles, now=now
    )


def fail(session: Session, email: str = "asha@example.com", **kwargs: object) -> None:
    with pytest.raises(AuthenticationFailed):
        login(session, email, "Wrong#Pass1", **kwargs)  # type: ignore[arg-type]


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


def test_five_failures_for_one_email_block_the_sixth_attempt(session: Session) -> None:
    make_user(session)
    for i in range(5):
        # Different clients: the per-email limit alone must trigger.
        fail(session, client_key=f"client-{i}", now=T0 + timedelta(seconds=i))
    with pytest.raises(TooManyAttempts) as blocked:
        login(session, client_key="client-new", now=T0 + timedelta(minutes=1))
    # The oldest failure (T0) leaves the 15-minute window at T0 + 15 min: 14 minutes away.
    assert str(blocked.value) == ("Too many failed sign-in attempts. Try again in 14 minutes.")
    # A refused attempt is not recorded (it would otherwise extend the lock forever).
    assert len(session.exec(select(LoginAttempt)).all()) == 5


def test_four_failures_do_not_block(session: Session) -> None:
    user = make_user(session)
    for i in range(4):
        fail(session, now=T0 + timedelta(seconds=i))
    assert login(session, now=T0 + timedelta(minutes=1)).id == user.id


def test_throttle_message_rounds_up_to_one_minute(session: Session) -> None:
    make_user(session)
    for _ in range(5):
        fail(session, now=T0)
    with pytest.raises(TooManyAttempts) as blocked:
        login(session, now=T0 + timedelta(minutes=14, seconds=59))
    assert str(blocked.value).endswith("Try again in 1 minute.")


def test_failures_across_emails_from_one_client_throttle_it(
    session: Session, cheap_dummy: None
) -> None:
    make_user(session)
    for i in range(5):
        fail(session, f"guess{i}@example.com", client_key="sprayer", now=T0)
    with pytest.raises(TooManyAttempts, match="15 minutes"):
        login(session, "asha@example.com", client_key="sprayer", now=T0)
    # The same account from another client is still fine (its email has no failures).
    assert login(session, "asha@example.com", client_key="client-b", now=T0).email == (
        "asha@example.com"
    )


def test_failures_older_than_the_window_no_longer_count(session: Session) -> None:
    user = make_user(session)
    for _ in range(5):
        fail(session, now=T0)
    with pytest.raises(TooManyAttempts):
        login(session, now=T0 + timedelta(minutes=14))
    assert login(session, now=T0 + timedelta(minutes=15)).id == user.id


def test_window_slides_with_the_oldest_failure(session: Session) -> None:
    make_user(session)
    fail(session, now=T0)
    for _ in range(4):
        fail(session, now=T0 + timedelta(minutes=10))
    # At T0+16 only the four failures at T0+10 are inside the window: allowed.
    fail(session, now=T0 + timedelta(minutes=16))
    # Now five failures in (T0+1, T0+16]; the oldest of them (T0+10) frees at T0+25.
    with pytest.raises(TooManyAttempts, match="Try again in 8 minutes"):
        login(session, now=T0 + timedelta(minutes=17))


def test_successes_do_not_count_and_do_not_reset_failures(session: Session) -> None:
    user = make_user(session)
    for i in range(6):  # successful sign-ins never throttle
        assert login(session, now=T0 + timedelta(seconds=i)).id == user.id
    for _ in range(4):
        fail(session, now=T0 + timedelta(minutes=1))
    assert login(session, now=T0 + timedelta(minutes=2)).id == user.id
    # The success did not wipe the four failures: one more failure reaches the limit.
    fail(session, now=T0 + timedelta(minutes=3))
    with pytest.raises(TooManyAttempts):
        login(session, now=T0 + timedelta(minutes=4))


def test_client_key_is_stable_and_hides_the_address() -> None:
    key = client_key_for("203.0.113.7")
    assert key == client_key_for("203.0.113.7")
    assert key != client_key_for("203.0.113.8")
    assert "203.0.113.7" not in key
    assert len(key) == 32
    assert client_key_for("") == client_key_for(None)  # type: ignore[arg-type]


# --- sessions ------------------------------------------------------------------------------


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
