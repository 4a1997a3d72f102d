"""Sign-in throttling: exponential back-off per account and client, per client across
accounts and per account for unknown clients; never a lock the owner cannot get past.

Default limits: 5 failures per account and client, 50 per client, 50 per account (for
clients never seen succeeding), a 15-minute window and a 15-minute cap on the back-off.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import Session, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.errors import Forbidden, TooManyAttempts, ValidationFailed
from healthcareplus.core.models import AuditEvent, LoginAttempt, Role
from healthcareplus.domain.accounts import throttle
from healthcareplus.domain.accounts.throttle import (
    SignInLock,
    backoff,
    clear_sign_in_lock,
    client_key_for,
    prune_login_attempts,
    sign_in_locks,
    wait_message,
)
from tests.domain.accounts.sign_in import T0, fail, login, make_user

SECOND = timedelta(seconds=1)
MINUTE = timedelta(minutes=1)


def refused(session: Session, **kwargs: object) -> str:
    """The message of a sign-in the throttle refuses (the password would be right)."""
    with pytest.raises(TooManyAttempts) as blocked:
        login(session, **kwargs)  # type: ignore[arg-type]
    return str(blocked.value)


def record(
    session: Session, email: str, client: str, at: datetime, *, ok: bool = False, times: int = 1
) -> None:
    """Attempts written straight to the table (for the admin list and pruning)."""
    session.add_all(
        LoginAttempt(email=email, client_key=client, succeeded=ok, attempted_at=at)
        for _ in range(times)
    )
    session.commit()


def stored(session: Session) -> list[tuple[str, str, bool, datetime]]:
    rows = session.exec(select(LoginAttempt).execution_options(populate_existing=True)).all()
    return sorted((a.email, a.client_key, a.succeeded, a.attempted_at) for a in rows)


@pytest.fixture
def limits(session: Session, monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """``limits(login_window_minutes=60, ...)``: other throttling settings for this test."""

    def set_limits(**values: int) -> None:
        for name, value in values.items():
            monkeypatch.setenv(f"HCP_{name.upper()}", str(value))
        get_settings.cache_clear()

    return set_limits


# --- account + client ----------------------------------------------------------------------


def test_five_failures_make_this_client_wait_30_seconds_from_the_last(session: Session) -> None:
    user = make_user(session)
    for i in range(4):
        fail(session, now=T0 + i * SECOND)
    assert login(session, now=T0 + 4 * SECOND).id == user.id  # four failures: no wait
    fail(session, now=T0 + 5 * SECOND)
    assert refused(session, now=T0 + 6 * SECOND) == (
        "Too many failed sign-in attempts. Try again in 29 seconds."
    )
    assert refused(session, now=T0 + 34 * SECOND).endswith("Try again in 1 second.")
    assert login(session, now=T0 + 35 * SECOND).id == user.id


def test_someone_elses_failures_do_not_stop_another_client(session: Session) -> None:
    user = make_user(session)
    for _ in range(5):
        fail(session, client_key="attacker", now=T0)
    assert refused(session, client_key="attacker", now=T0 + SECOND)
    # The same account from a client that never failed, known or not, is let in.
    assert login(session, client_key="new-phone", now=T0 + SECOND).id == user.id


def test_refused_attempts_are_not_recorded_and_do_not_extend_the_wait(session: Session) -> None:
    user = make_user(session)
    for _ in range(5):
        fail(session, now=T0)
    for seconds in (1, 10, 20, 29):
        refused(session, password="Wrong#Pass1", now=T0 + seconds * SECOND)
    assert len(stored(session)) == 5
    assert login(session, now=T0 + 30 * SECOND).id == user.id


def test_back_off_doubles_with_each_failure_and_stops_at_the_cap(
    session: Session, limits: Callable[..., None]
) -> None:
    limits(login_window_minutes=60, login_max_backoff_minutes=4)
    make_user(session)
    for _ in range(5):
        fail(session, now=T0)
    last = T0
    for wait, message in [
        (30, "29 seconds"),
        (60, "59 seconds"),
        (120, "2 minutes"),
        (240, "4 minutes"),
        (240, "4 minutes"),  # capped
        (240, "4 minutes"),
    ]:
        assert refused(session, now=last + SECOND).endswith(f"Try again in {message}.")
        assert refused(session, now=last + (wait - 1) * SECOND)
        last += wait * SECOND
        fail(session, now=last)  # allowed again exactly when the wait ends: fails again


def test_backoff_schedule() -> None:
    cap = timedelta(minutes=15)
    waits = [backoff(excess, cap).total_seconds() for excess in range(-1, 7)]
    assert waits == [0, 30, 60, 120, 240, 480, 900, 900]
    assert backoff(10**9, timedelta(hours=24)) == timedelta(hours=24)  # no overflow


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.2, "1 second"),
        (29, "29 seconds"),
        (59.5, "1 minute"),
        (60, "1 minute"),
        (61, "2 minutes"),
    ],
)
def test_wait_message_rounds_up(seconds: float, text: str) -> None:
    assert wait_message(timedelta(seconds=seconds)) == (
        f"Too many failed sign-in attempts. Try again in {text}."
    )


def test_failures_leave_the_window_and_stop_counting(session: Session) -> None:
    user = make_user(session)
    for minute in range(5):  # T0, T0+1 ... T0+4: waits 30 s from T0+4
        fail(session, now=T0 + minute * MINUTE)
    assert refused(session, now=T0 + 4 * MINUTE + SECOND)
    # At T0+15:01 the failure of T0 has left the window: four count, the fifth makes five
    # again, so the wait starts over at 30 s (six would make it 60 s).
    fail(session, now=T0 + 15 * MINUTE + SECOND)
    assert refused(session, now=T0 + 15 * MINUTE + 2 * SECOND).endswith("in 29 seconds.")
    # Once all of them are older than the window, nothing waits.
    assert login(session, now=T0 + 31 * MINUTE).id == user.id


def test_successes_neither_count_nor_reset_the_failures(session: Session) -> None:
    user = make_user(session)
    for i in range(6):
        assert login(session, now=T0 + i * SECOND).id == user.id
    for _ in range(4):
        fail(session, now=T0 + MINUTE)
    assert login(session, now=T0 + 2 * MINUTE).id == user.id
    fail(session, now=T0 + 3 * MINUTE)  # the fifth failure in the window
    assert refused(session, now=T0 + 3 * MINUTE + SECOND)


# --- client across accounts (password spraying) ---------------------------------------------


def test_spraying_from_one_client_backs_it_off_on_every_unknown_account(
    session: Session, cheap_dummy: None, limits: Callable[..., None]
) -> None:
    limits(login_client_max_failures=8)
    user = make_user(session)
    for i in range(8):
        fail(session, f"guess{i}@example.com", client_key="sprayer", now=T0)
    assert refused(session, client_key="sprayer", now=T0 + SECOND).endswith("29 seconds.")
    with pytest.raises(TooManyAttempts):
        login(session, "guess0@example.com", client_key="sprayer", now=T0 + SECOND)
    assert login(session, client_key="client-b", now=T0 + SECOND).id == user.id
    assert login(session, client_key="sprayer", now=T0 + 30 * SECOND).id == user.id


def test_a_known_client_is_not_held_back_by_spraying_from_its_shared_address(
    session: Session, cheap_dummy: None, limits: Callable[..., None]
) -> None:
    limits(login_client_max_failures=8)
    user = make_user(session)
    login(session, client_key="office-nat", now=T0 - timedelta(days=3))
    for i in range(8):  # someone else behind the same address sprays
        fail(session, f"guess{i}@example.com", client_key="office-nat", now=T0)
    assert login(session, client_key="office-nat", now=T0 + SECOND).id == user.id
    make_user(session, email="bina@example.com", name="Bina Das")
    assert refused(session, email="bina@example.com", client_key="office-nat", now=T0 + SECOND)


# --- account across clients: no hard lock ---------------------------------------------------


def test_the_owners_known_client_gets_in_during_a_distributed_attack(session: Session) -> None:
    user = make_user(session)
    login(session, client_key="home", now=T0 - timedelta(days=29))
    for i in range(50):  # a botnet: ten clients, five guesses each; the last waits until +79 s
        fail(session, client_key=f"bot-{i // 5}", now=T0 + i * SECOND)
    # Fifty failures on the account: clients it never saw succeed wait ...
    assert refused(session, client_key="new-laptop", now=T0 + MINUTE).endswith("19 seconds.")
    # ... the owner's usual device does not.
    assert login(session, client_key="home", now=T0 + MINUTE).id == user.id


def test_49_failures_across_clients_leave_a_new_client_alone(session: Session) -> None:
    user = make_user(session)
    for i in range(49):
        fail(session, client_key=f"bot-{i}", now=T0)
    assert login(session, client_key="new-laptop", now=T0 + SECOND).id == user.id


def test_a_client_seen_more_than_30_days_ago_is_no_longer_known(session: Session) -> None:
    make_user(session)
    login(session, client_key="home", now=T0 - timedelta(days=30, seconds=1))
    for i in range(50):
        fail(session, client_key=f"bot-{i}", now=T0)
    assert refused(session, client_key="home", now=T0 + SECOND)


def test_a_known_client_still_backs_off_on_its_own_failures(session: Session) -> None:
    make_user(session)
    login(session, client_key="home", now=T0 - timedelta(days=1))
    for _ in range(5):
        fail(session, client_key="home", now=T0)
    assert refused(session, client_key="home", now=T0 + SECOND).endswith("29 seconds.")


def test_client_key_is_stable_and_hides_the_address() -> None:
    key = client_key_for("203.0.113.7")
    assert key == client_key_for("203.0.113.7")
    assert key != client_key_for("203.0.113.8")
    assert "203.0.113.7" not in key
    assert len(key) == 32
    assert client_key_for("") == client_key_for(None)  # type: ignore[arg-type]


# --- the admin's list -----------------------------------------------------------------------


def test_locks_list_the_accounts_that_wait_now_newest_first(session: Session) -> None:
    now = T0 + 35 * SECOND
    record(session, "asha@example.com", "bot-1", T0, times=5)  # waits until T0+30s: over
    record(session, "asha@example.com", "bot-2", T0 + 20 * SECOND, times=6)  # until T0+80s
    record(session, "asha@example.com", "home", T0, ok=True)
    record(session, "bina@example.com", "bot-3", T0, times=4)  # below every limit
    record(session, "bina@example.com", "bot-4", T0, times=4)
    for i in range(50):  # account-wide: 50 clients, one failure each, the last at T0+10s
        record(session, "chen@example.com", f"bot-{i}", T0 + (10 if i == 49 else 0) * SECOND)
    record(session, "old@example.com", "bot-1", T0 - 20 * MINUTE, times=9)  # left the window

    assert sign_in_locks(session, now=now) == [
        SignInLock("asha@example.com", 11, 2, T0 + 20 * SECOND, T0 + 80 * SECOND),
        SignInLock("chen@example.com", 50, 50, T0 + 10 * SECOND, T0 + 40 * SECOND),
    ]
    assert [lock.email for lock in sign_in_locks(session, now=T0 + 40 * SECOND)] == [
        "asha@example.com"
    ]
    assert sign_in_locks(session, now=T0 + 80 * SECOND) == []


@pytest.mark.parametrize("cap_minutes", [1, 15, 24 * 60])
def test_the_list_and_the_sign_in_check_agree_on_every_step_of_the_back_off(
    session: Session, limits: Callable[..., None], cap_minutes: int
) -> None:
    """The list computes the schedule in SQL; the sign-in check in Python."""
    limits(login_window_minutes=24 * 60 + 1, login_max_backoff_minutes=cap_minutes)
    now = T0
    expected = []
    for excess in range(14):
        wait = backoff(excess, timedelta(minutes=cap_minutes))
        for still, last in (("waits", now - wait + SECOND), ("free", now - wait)):
            email, client = f"{still}-{excess}@example.com", f"bot-{still}-{excess}"
            record(session, email, client, last - SECOND, times=4 + excess)
            record(session, email, client, last)
            if still == "waits":
                expected.append(email)
                with pytest.raises(TooManyAttempts):
                    throttle.check_throttle(session, email=email, client_key=client, now=now)
            else:
                throttle.check_throttle(session, email=email, client_key=client, now=now)
    assert sorted(lock.email for lock in sign_in_locks(session, now=now)) == sorted(expected)


def test_the_list_is_bounded(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(throttle, "MAX_LOCKS", 3)
    for i in range(5):
        record(session, f"user{i}@example.com", "bot", T0 + i * SECOND, times=5)
    locks = sign_in_locks(session, now=T0 + 5 * SECOND)
    assert [lock.email for lock in locks] == [f"user{i}@example.com" for i in (4, 3, 2)]


# --- clearing a lock ------------------------------------------------------------------------


def test_an_admin_clears_a_lock_and_it_is_audited(session: Session) -> None:
    user = make_user(session)
    admin = make_user(session, email="admin@example.com", role=Role.ADMIN, name="Ana Admin")
    login(session, client_key="home", now=T0 - timedelta(days=1))
    for i in range(6):  # five from the bot (it waits now), one typo at home
        fail(session, client_key="bot" if i < 5 else "home", now=T0)
    assert refused(session, client_key="bot", now=T0 + SECOND)
    record(session, "bina@example.com", "bot", T0, times=5)

    cleared = clear_sign_in_lock(
        session, email=" ASHA@example.com ", actor_id=admin.id, actor_role="admin", now=T0
    )
    session.commit()

    assert cleared == 6
    assert login(session, client_key="bot", now=T0 + SECOND).id == user.id
    # Only that account's failures went: its success (the known client) and others stay.
    assert [(a[0], a[2]) for a in stored(session)] == [
        ("asha@example.com", True),
        ("asha@example.com", True),  # the bot's sign-in just now
        *[("bina@example.com", False)] * 5,
    ]
    event = session.exec(select(AuditEvent)).one()
    assert (event.action, event.entity, event.entity_id) == (
        "sign_in_lock_cleared",
        "account",
        str(user.id),
    )
    assert (event.actor_user_id, event.actor_role, event.detail) == (
        admin.id,
        "admin",
        {"email": "asha@example.com", "failures": 6},
    )


def test_clearing_an_email_without_an_account_names_the_email(session: Session) -> None:
    admin = make_user(session, email="admin@example.com", role=Role.ADMIN, name="Ana Admin")
    email = "x" * 60 + "@example.com"
    record(session, email, "bot", T0, times=5)
    assert clear_sign_in_lock(session, email=email, actor_id=admin.id, actor_role="admin", now=T0)
    assert session.exec(select(AuditEvent.entity_id)).one() == "x" * 40


def test_clearing_nothing_changes_nothing(session: Session) -> None:
    admin = make_user(session, email="admin@example.com", role=Role.ADMIN, name="Ana Admin")
    record(session, "asha@example.com", "home", T0, ok=True)
    cleared = clear_sign_in_lock(
        session, email="asha@example.com", actor_id=admin.id, actor_role="admin", now=T0
    )
    assert cleared == 0
    assert session.exec(select(AuditEvent)).all() == []
    assert len(stored(session)) == 1


@pytest.mark.parametrize("role", [Role.PATIENT, Role.DOCTOR])
def test_only_an_admin_may_clear_a_lock(session: Session, role: str) -> None:
    user = make_user(session, role=role)
    record(session, "bina@example.com", "bot", T0, times=5)
    with pytest.raises(Forbidden):
        clear_sign_in_lock(
            session, email="bina@example.com", actor_id=user.id, actor_role=role, now=T0
        )
    with pytest.raises(Forbidden):  # nobody at all
        clear_sign_in_lock(
            session, email="bina@example.com", actor_id=999, actor_role="admin", now=T0
        )
    assert len(stored(session)) == 5
    assert session.exec(select(AuditEvent)).all() == []


@pytest.mark.parametrize("email", ["", "   ", None, 42, ["a@b.in"], {"email": "a@b.in"}, "a" * 255])
def test_clearing_a_malformed_email_is_refused(session: Session, email: object) -> None:
    admin = make_user(session, email="admin@example.com", role=Role.ADMIN, name="Ana Admin")
    with pytest.raises(ValidationFailed) as refusal:
        clear_sign_in_lock(
            session,
            email=email,  # type: ignore[arg-type]
            actor_id=admin.id,
            actor_role="admin",
            now=T0,
        )
    assert refusal.value.fields == {"email": throttle.INVALID_EMAIL}


# --- pruning --------------------------------------------------------------------------------


def test_pruning_keeps_what_the_rules_read_and_deletes_the_rest(session: Session) -> None:
    now = T0
    make_user(session)
    record(session, "asha@example.com", "home", now - timedelta(days=29), ok=True)  # known
    record(session, "asha@example.com", "old-home", now - timedelta(days=31), ok=True)
    record(session, "asha@example.com", "bot", now - 14 * MINUTE, times=5)  # in the window
    record(session, "asha@example.com", "bot", now - 16 * MINUTE, times=3)
    record(session, "bina@example.com", "bot", now - timedelta(days=40))

    assert prune_login_attempts(session, now=now) == 5
    session.commit()

    assert stored(session) == sorted(
        [("asha@example.com", "home", True, now - timedelta(days=29))]
        + [("asha@example.com", "bot", False, now - 14 * MINUTE)] * 5
    )
    # What the rules need survived: the bot still waits, the known client is still known.
    assert refused(session, client_key="bot", now=now - 14 * MINUTE + SECOND)
    for i in range(50):
        record(session, "asha@example.com", f"bot-{i}", now)
    assert login(session, client_key="home", now=now + SECOND).email == "asha@example.com"
    assert refused(session, client_key="old-home", now=now + SECOND)


def test_pruning_keeps_failures_as_long_as_the_longer_of_window_and_cap(
    session: Session, limits: Callable[..., None]
) -> None:
    limits(login_window_minutes=15, login_max_backoff_minutes=60)
    record(session, "asha@example.com", "bot", T0 - 59 * MINUTE)
    record(session, "asha@example.com", "bot", T0 - 61 * MINUTE)
    assert prune_login_attempts(session, now=T0) == 1
    assert [a[3] for a in stored(session)] == [T0 - 59 * MINUTE]


# --- cost: a few indexed statements --------------------------------------------------------


def _statements(session: Session, run: Callable[[], object]) -> list[tuple[str, Any]]:
    """The statements on login_attempts that ``run`` sends to the database."""
    seen: list[tuple[str, Any]] = []

    def grab(conn: Any, cursor: Any, statement: str, params: Any, *rest: Any) -> None:
        if "login_attempts" in statement:
            seen.append((statement, params))

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", grab)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", grab)
    return seen


def test_every_statement_reads_the_table_through_an_index(session: Session) -> None:
    """SQLite's plan for each statement: a SEARCH with an index, never a whole-table or
    whole-index SCAN of login_attempts; and a sign-in costs at most three of them."""
    make_user(session)
    login(session, client_key="home", now=T0 - timedelta(days=1))
    check = throttle.check_throttle
    unknown = _statements(session, lambda: check(session, email="a@b.in", client_key="x", now=T0))
    known = _statements(
        session, lambda: check(session, email="asha@example.com", client_key="home", now=T0)
    )
    assert (len(unknown), len(known)) == (3, 1)
    admin = _statements(session, lambda: (sign_in_locks(session, now=T0), session.rollback()))
    sweep = _statements(
        session, lambda: (prune_login_attempts(session, now=T0), session.rollback())
    )
    for statement, params in unknown + known + admin + sweep:
        plan = [
            row[-1]
            for row in session.connection().exec_driver_sql(
                f"EXPLAIN QUERY PLAN {statement}", params
            )
        ]
        reads = [step for step in plan if "login_attempts" in step]
        assert reads and all(step.startswith("SEARCH login_attempts USING") for step in reads), (
            statement,
            plan,
        )


# --- the same SQL on PostgreSQL ------------------------------------------------------------


def test_the_rules_the_list_clearing_and_pruning_on_postgres(pg_url: str) -> None:
    from healthcareplus.core.db import get_engine

    with Session(get_engine(pg_url), expire_on_commit=False) as session:
        user = make_user(session)
        admin = make_user(session, email="admin@example.com", role=Role.ADMIN, name="Ana Admin")
        login(session, client_key="home", now=T0 - timedelta(days=2))
        for i in range(5):
            fail(session, client_key="bot", now=T0 + i * SECOND)
        assert refused(session, client_key="bot", now=T0 + 5 * SECOND).endswith("29 seconds.")
        for i in range(50):
            record(session, "asha@example.com", f"bot-{i}", T0 + 5 * SECOND)
        assert refused(session, client_key="new-laptop", now=T0 + 6 * SECOND)
        assert login(session, client_key="home", now=T0 + 6 * SECOND).id == user.id

        [listed] = sign_in_locks(session, now=T0 + 6 * SECOND)
        assert (listed.email, listed.failures, listed.clients) == ("asha@example.com", 55, 51)
        # 55 failures on the account: 5 past its threshold of 50, so the 15-minute cap.
        assert listed.locked_until == T0 + 5 * SECOND + 15 * MINUTE

        record(session, "asha@example.com", "home", T0 - timedelta(days=31), ok=True)
        assert prune_login_attempts(session, now=T0 + 16 * MINUTE) == 56
        session.commit()
        assert (
            clear_sign_in_lock(
                session, email="asha@example.com", actor_id=admin.id, actor_role="admin", now=T0
            )
            == 0
        )
        assert [(a[1], a[2]) for a in stored(session)] == [("home", True), ("home", True)]
