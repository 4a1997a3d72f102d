"""Single-use links to set a password: only a hash stored, one use, a lifetime, a newer
link ending the older ones, the password rules, closed accounts refused, any token shape
safe, and two uses at once giving one password; on SQLite and on PostgreSQL."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlmodel import Session, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.db import get_engine, session_scope
from healthcareplus.core.errors import AuthenticationFailed, Forbidden, NotFound, ValidationFailed
from healthcareplus.core.models import AuditEvent, PasswordLink, Role, User
from healthcareplus.domain.accounts import password_links as links
from healthcareplus.domain.accounts import passwords
from healthcareplus.domain.accounts.auth import BLOCKED, DEACTIVATED, INVALID_CREDENTIALS
from healthcareplus.domain.accounts.passwords import NO_PASSWORD, verify_password
from healthcareplus.domain.accounts.sessions import create_session, resolve_session
from tests.domain.accounts.sign_in import CHEAP_DUMMY, T0, login, make_user

NEW = "Fresh#Start42"
URLSAFE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


@pytest.fixture(autouse=True)
def cheap_bcrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "BCRYPT_ROUNDS", 4)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", CHEAP_DUMMY)


@pytest.fixture
def url(either_db_url: str) -> str:
    return either_db_url


@pytest.fixture
def session(either_db: Session) -> Session:
    return either_db


@pytest.fixture
def invited(session: Session) -> User:
    """A doctor's login made by the clinic: no password yet."""
    return make_user(
        session,
        email="priya.nair@example.in",
        role=Role.DOCTOR,
        name="Dr. Priya Nair",
        password_hash=NO_PASSWORD,
    )


def issue(session: Session, user: User, purpose: str = "invite", now: Any = T0) -> str:
    made = links.issue_password_link(session, user_id=user.id, purpose=purpose, now=now)  # type: ignore[arg-type]
    session.commit()
    return made.token


def use(session: Session, token: object, *, now: Any = T0, password: object = NEW, **kw: Any):
    """Set the password in the caller's unit of work: committed, or rolled back if refused."""
    try:
        holder = links.set_password_with_link(
            session,
            token=token,
            password=password,
            confirm=kw.get("confirm", password),
            now=now,
            client_key="client-a",
        )
    except BaseException:
        session.rollback()
        raise
    session.commit()
    return holder


def refusal(session: Session, token: object, **kw: Any) -> str:
    with pytest.raises(Forbidden) as refused:
        use(session, token, **kw)
    return str(refused.value)


def rows(session: Session) -> list[PasswordLink]:
    session.expire_all()
    return list(session.exec(select(PasswordLink).order_by(PasswordLink.id)).all())


def hash_of(session: Session, user: User) -> str:
    session.expire_all()
    return session.get(User, user.id).password_hash


# --- issuing -----------------------------------------------------------------------------------


def test_the_table_holds_only_a_hash_of_the_token(session: Session, invited: User) -> None:
    made = links.issue_password_link(session, user_id=invited.id, purpose="invite", now=T0)
    session.commit()

    assert set(made.token) <= URLSAFE and len(made.token) == 43  # token_urlsafe(32)
    assert urlsplit(made.path).path == "/set-password"
    assert parse_qs(urlsplit(made.path).query) == {"token": [made.token]}
    assert (made.hours, made.expires_at) == (72, T0 + timedelta(hours=72))
    [row] = rows(session)
    assert row.token_hash == hashlib.sha256(made.token.encode()).hexdigest()
    assert (row.user_id, row.purpose, row.created_at, row.used_at) == (
        invited.id,
        "invite",
        T0,
        None,
    )
    stored = session.connection().execute(sa.text("SELECT * FROM password_links")).all()
    assert all(made.token not in str(value) for value in stored[0])


def test_the_lifetime_is_the_setting_for_invitations(
    session: Session, invited: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HCP_INVITE_LINK_HOURS", "5")
    get_settings.cache_clear()
    invite = links.issue_password_link(session, user_id=invited.id, purpose="invite", now=T0)
    reset = links.issue_password_link(session, user_id=invited.id, purpose="reset", now=T0)
    assert (invite.hours, invite.expires_at) == (5, T0 + timedelta(hours=5))
    assert (reset.hours, reset.expires_at) == (1, T0 + timedelta(hours=1))
    assert invite.token != reset.token


def test_issuing_refuses_an_unknown_purpose_or_user(session: Session, invited: User) -> None:
    with pytest.raises(ValueError):
        links.issue_password_link(session, user_id=invited.id, purpose="everything", now=T0)  # type: ignore[arg-type]
    for nobody in (987_654, "1", None):
        with pytest.raises(NotFound):
            links.issue_password_link(session, user_id=nobody, purpose="invite", now=T0)  # type: ignore[arg-type]
    assert rows(session) == []


@pytest.mark.parametrize(
    ("email", "masked"),
    [
        ("priya.nair@example.in", "pr•••r@example.in"),
        ("ravi@example.in", "r•••i@example.in"),
        ("ab@x.in", "a•••@x.in"),  # the whole of a short name is never shown
        ("a@x.in", "a•••@x.in"),
    ],
)
def test_the_page_sees_a_masked_email(email: str, masked: str) -> None:
    assert links.mask_email(email) == masked


def test_the_link_names_its_account(session: Session, invited: User) -> None:
    token = issue(session, invited)
    assert links.link_holder(session, token, now=T0 + timedelta(hours=1)) == links.LinkHolder(
        user_id=invited.id,
        name="Dr. Priya Nair",
        masked_email="pr•••r@example.in",
        role="doctor",
        purpose="invite",
        expires_at=T0 + timedelta(hours=72),
    )


# --- using -------------------------------------------------------------------------------------


def test_a_link_sets_the_password_once_and_is_audited(session: Session, invited: User) -> None:
    token = issue(session, invited)
    with pytest.raises(AuthenticationFailed, match=INVALID_CREDENTIALS):
        login(session, invited.email, NEW)  # no password before the link is used

    holder = use(session, token, now=T0 + timedelta(minutes=5))

    assert (holder.user_id, holder.role) == (invited.id, "doctor")
    assert verify_password(NEW, hash_of(session, invited))
    assert rows(session)[0].used_at == T0 + timedelta(minutes=5)
    assert login(session, invited.email, NEW, now=T0 + timedelta(minutes=6)).id == invited.id
    for later in (timedelta(minutes=6), timedelta(hours=1)):
        assert refusal(session, token, now=T0 + later, password="Other#Pass77") == (
            links.LINK_UNUSABLE
        )
        with pytest.raises(Forbidden, match="cannot be used"):
            links.link_holder(session, token, now=T0 + later)
    assert verify_password(NEW, hash_of(session, invited))
    [entry] = session.exec(
        select(AuditEvent).where(AuditEvent.action == "password_set_by_link")
    ).all()
    assert (entry.actor_user_id, entry.entity, entry.entity_id) == (
        invited.id,
        "user",
        str(invited.id),
    )
    assert entry.detail == {"purpose": "invite", "sessions_ended": 0, "client": "client-a"}
    assert NEW not in str(entry.detail) and token not in str(entry.detail)


def test_a_link_expires(session: Session, invited: User) -> None:
    first, second = issue(session, invited, "invite"), issue(session, invited, "reset")
    assert refusal(session, first, now=T0 + timedelta(hours=72)) == links.LINK_UNUSABLE
    assert refusal(session, second, now=T0 + timedelta(days=30)) == links.LINK_UNUSABLE
    assert hash_of(session, invited) == NO_PASSWORD
    assert [r.used_at for r in rows(session)] == [None, None]


def test_just_before_expiry_it_still_works(session: Session, invited: User) -> None:
    token = issue(session, invited)
    assert use(session, token, now=T0 + timedelta(hours=72) - timedelta(seconds=1))


def test_a_new_link_ends_the_older_unused_ones_of_its_purpose(
    session: Session, invited: User
) -> None:
    older = issue(session, invited)
    reset = issue(session, invited, "reset")
    newer = issue(session, invited, now=T0 + timedelta(minutes=1))

    later = T0 + timedelta(minutes=2)
    assert refusal(session, older, now=later) == links.LINK_UNUSABLE
    assert links.link_holder(session, reset, now=later).purpose == "reset"  # another purpose
    assert use(session, newer, now=later).user_id == invited.id
    # Setting the password ended every other open link of the account.
    assert refusal(session, reset, now=later, password="Other#Pass77") == links.LINK_UNUSABLE
    assert verify_password(NEW, hash_of(session, invited))


def test_setting_the_password_signs_the_account_out_everywhere(
    session: Session, invited: User
) -> None:
    user = make_user(session, email="asha@example.com")
    mine = [create_session(session, user_id=user.id, role=user.role, now=T0) for _ in range(2)]
    other = create_session(session, user_id=invited.id, role="doctor", now=T0)  # stays
    session.commit()
    token = issue(session, user, "reset")

    use(session, token, now=T0 + timedelta(minutes=1))

    later = T0 + timedelta(minutes=2)
    assert [resolve_session(session, token=t, now=later) for t in mine] == [None, None]
    assert resolve_session(session, token=other, now=later) is not None
    entry = session.exec(
        select(AuditEvent).where(AuditEvent.action == "password_set_by_link")
    ).one()
    assert entry.detail["sessions_ended"] == 2


@pytest.mark.parametrize(
    ("password", "confirm", "fields"),
    [
        ("short", "short", {"password"}),
        ("alllowercase1!", "alllowercase1!", {"password"}),
        (NEW, "Fresh#Start43", {"confirm_password"}),
        ("", "", {"password"}),
        ("Aa1!" + "x" * 80, "Aa1!" + "x" * 80, {"password"}),
        (None, None, {"password"}),
        (12345678, 12345678, {"password"}),
        (["Fresh#Start42"], ["Fresh#Start42"], {"password"}),
        ("Fresh#Start42\ud800", "Fresh#Start42\ud800", {"password"}),
    ],
)
def test_the_password_rules_apply_and_a_refused_password_keeps_the_link(
    session: Session, invited: User, password: object, confirm: object, fields: set[str]
) -> None:
    token = issue(session, invited)
    with pytest.raises(ValidationFailed) as refused:
        use(session, token, password=password, confirm=confirm)
    assert set(refused.value.fields) == fields
    assert hash_of(session, invited) == NO_PASSWORD and rows(session)[0].used_at is None
    assert use(session, token).user_id == invited.id


@pytest.mark.parametrize("change", ["deactivated", "blocked"])
def test_a_closed_account_gets_no_password(session: Session, invited: User, change: str) -> None:
    token = issue(session, invited)
    invited.is_active = change != "deactivated"
    invited.is_blocked = change == "blocked"
    session.add(invited)
    session.commit()

    message = DEACTIVATED if change == "deactivated" else BLOCKED
    with pytest.raises(Forbidden, match=message):
        links.link_holder(session, token, now=T0)
    assert refusal(session, token) == message
    assert hash_of(session, invited) == NO_PASSWORD and rows(session)[0].used_at is None


# Shapes no link holds: refused before any query.
MALFORMED: list[object] = [
    None,
    123,
    1.5,
    b"bytes",
    ["list"],
    {"token": "x"},
    "",
    "short",
    "x" * 129,
    "x" * 100_000,
    "ü" * 43,
    "\ud800" * 43,
    "a" * 42 + "\x00",
    "' OR 1=1 --",
    "%" * 43,
]


@pytest.mark.parametrize("bad", MALFORMED, ids=lambda v: repr(v)[:24])
def test_bad_token_shapes_are_refused_without_a_query(
    session: Session, invited: User, bad: object
) -> None:
    issue(session, invited)
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(session.get_bind(), "before_cursor_execute", record)
    try:
        with pytest.raises(Forbidden, match="cannot be used"):
            links.link_holder(session, bad, now=T0)
        with pytest.raises(Forbidden, match="cannot be used"):
            links.set_password_with_link(
                session, token=bad, password=NEW, confirm=NEW, now=T0, client_key=""
            )
    finally:
        event.remove(session.get_bind(), "before_cursor_execute", record)
    assert statements == []


def test_forged_tokens_are_unknown(session: Session, invited: User) -> None:
    token = issue(session, invited)
    stored = rows(session)[0].token_hash
    forged = [token[:-1] + ("A" if token[-1] != "A" else "B"), token + "A", token[:-1], stored]
    for bad in forged:
        assert refusal(session, bad) == links.LINK_UNUSABLE
    assert use(session, token).user_id == invited.id


# --- two uses at once --------------------------------------------------------------------------


def _attempt(url: str, token: str, password: str) -> Callable[[], object]:
    def run() -> object:
        try:
            with session_scope(url) as own:
                return links.set_password_with_link(
                    own, token=token, password=password, confirm=password, now=T0, client_key=""
                )
        except Forbidden as exc:
            return exc

    return run


def test_racing_uses_of_one_link_set_one_password(
    session: Session, invited: User, url: str
) -> None:
    requests = 6
    token = issue(session, invited)
    start = threading.Barrier(requests)
    results: dict[str, object] = {}

    def run(password: str) -> None:
        start.wait()
        results[password] = _attempt(url, token, password)()

    chosen = [f"Racer#{n}Pass" for n in range(requests)]
    threads = [threading.Thread(target=run, args=(p,)) for p in chosen]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    winners = [p for p, r in results.items() if isinstance(r, links.LinkHolder)]
    assert len(results) == requests and len(winners) == 1, results
    losers = [str(r) for r in results.values() if isinstance(r, Forbidden)]
    assert losers == [links.LINK_UNUSABLE] * (requests - 1)
    assert verify_password(winners[0], hash_of(session, invited))
    audited = session.exec(select(AuditEvent).where(AuditEvent.action == "password_set_by_link"))
    assert len(audited.all()) == 1


def _waits_on_a_lock(url: str) -> bool:
    with get_engine(url).connect() as probe:
        return bool(
            probe.execute(
                sa.text(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE wait_event_type = 'Lock' AND datname = current_database()"
                )
            ).scalar_one()
        )


def test_a_use_arriving_while_the_first_is_uncommitted_is_refused(
    session: Session, invited: User, url: str
) -> None:
    """The first use has claimed the link but not committed when the second runs: a
    read-then-write would let the second see the link unused and set its password too."""
    token = issue(session, invited)
    engine = get_engine(url)
    second_started = threading.Event()

    def note_start(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if threading.current_thread().name == "second" and "UPDATE password_links" in statement:
            second_started.set()

    event.listen(engine, "before_cursor_execute", note_start)
    result: list[object] = []
    try:
        with Session(engine) as first:
            links.set_password_with_link(
                first, token=token, password=NEW, confirm=NEW, now=T0, client_key=""
            )
            second = threading.Thread(
                target=lambda: result.append(_attempt(url, token, "Second#Pass77")()),
                name="second",
            )
            second.start()
            assert second_started.wait(timeout=10)
            deadline = time.monotonic() + 10
            if engine.dialect.name == "postgresql":  # it blocks on our row lock
                while not _waits_on_a_lock(url) and time.monotonic() < deadline:
                    time.sleep(0.02)
                assert _waits_on_a_lock(url)
            else:  # SQLite: it waits for the write lock as long as we hold it
                time.sleep(0.3)
            assert second.is_alive()
            first.commit()
        second.join(timeout=30)
    finally:
        event.remove(engine, "before_cursor_execute", note_start)

    [refused] = result
    assert isinstance(refused, Forbidden) and str(refused) == links.LINK_UNUSABLE
    assert verify_password(NEW, hash_of(session, invited))


# --- housekeeping ------------------------------------------------------------------------------


def test_pruning_deletes_only_links_that_ended_long_ago(session: Session, invited: User) -> None:
    used = issue(session, invited, "reset")
    use(session, used, now=T0 + timedelta(minutes=1))
    issue(session, invited, now=T0)  # expires T0 + 72 h
    fresh = issue(session, invited, "reset", now=T0 + timedelta(days=40))

    assert links.prune_password_links(session, now=T0 + timedelta(days=31)) == 1
    session.commit()
    assert [r.purpose for r in rows(session)] == ["invite", "reset"]
    assert links.prune_password_links(session, now=T0 + timedelta(days=34)) == 1
    session.commit()
    assert links.link_holder(session, fresh, now=T0 + timedelta(days=40)).purpose == "reset"


def test_a_login_without_a_password_costs_one_bcrypt_check_and_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    checked: list[bytes] = []
    real = passwords.bcrypt.checkpw

    def spy(raw: bytes, target: bytes) -> bool:
        checked.append(target)
        return real(raw, target)

    monkeypatch.setattr(passwords.bcrypt, "checkpw", spy)
    for attempt in ("", NO_PASSWORD, "!", "anything"):
        assert verify_password(attempt, NO_PASSWORD) is False
    assert checked == [CHEAP_DUMMY] * 4
    assert passwords.has_password(NO_PASSWORD) is False
    assert passwords.has_password(None) is False and passwords.has_password("") is False
