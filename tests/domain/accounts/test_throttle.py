from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from healthcareplus.core.errors import TooManyAttempts
from healthcareplus.core.models import LoginAttempt
from healthcareplus.domain.accounts.throttle import client_key_for
from tests.domain.accounts.sign_in import (
    T0,
    fail,
    login,
    make_user,
)


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
