from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.errors import Forbidden, NotFound
from healthcareplus.core.models import Role, User, UserSession
from healthcareplus.domain.accounts.sessions import (
    SLIDE_EVERY,
    SessionUser,
    active_sessions,
    create_session,
    device_label,
    resolve_session,
    revoke_all_sessions,
    revoke_own_session,
    revoke_session,
    sign_out_everywhere,
)
from tests.domain.accounts.sign_in import (
    T0,
    make_user,
)

IDLE = timedelta(hours=24 * 7)
MAX = timedelta(days=30)


def open_session(session: Session, user: User, **kwargs: Any) -> str:
    kwargs.setdefault("now", T0)
    return create_session(session, user_id=user.id, role=user.role, **kwargs)


def stored(session: Session, device: str | None = None) -> UserSession:
    """The only session row (or the one of ``device``) as the database has it now, not as
    this ORM session cached it."""
    session.expire_all()
    rows = session.exec(select(UserSession).order_by(UserSession.id)).all()
    [row] = [r for r in rows if device is None or r.device == device]
    return row


@pytest.fixture(autouse=True)
def session_lengths(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fixed lengths (the defaults, stated here): 7 days idle, 30 days at most."""
    monkeypatch.setenv("HCP_SESSION_IDLE_HOURS", str(24 * 7))
    monkeypatch.setenv("HCP_SESSION_MAX_DAYS", "30")
    get_settings.cache_clear()


# --- opening ---------------------------------------------------------------------------------


def test_create_session_returns_a_fresh_random_token(session: Session) -> None:
    user = make_user(session)
    first = open_session(session, user)
    second = open_session(session, user)
    assert first != second
    assert len(first) >= 40 and len(second) >= 40


def test_only_a_hash_of_the_token_is_stored(session: Session) -> None:
    user = make_user(session)
    token = open_session(session, user)
    rows = session.connection().execute(text("SELECT * FROM sessions")).all()
    assert len(rows) == 1
    assert all(token not in str(value) for value in rows[0])
    row = stored(session)
    assert len(row.token_hash) == 64 and row.token_hash != token


def test_a_session_records_role_device_and_its_ends(session: Session) -> None:
    user = make_user(session, role=Role.DOCTOR)
    open_session(session, user, device="  Chrome on   Windows ")
    row = stored(session)
    assert (row.user_id, row.role, row.device) == (user.id, "doctor", "Chrome on Windows")
    assert (row.created_at, row.last_seen_at) == (T0, T0)
    assert row.expires_at == T0 + IDLE
    assert row.absolute_expires_at == T0 + MAX
    assert (row.revoked_at, row.revoked_reason) == (None, None)


def test_the_device_label_is_bounded(session: Session) -> None:
    user = make_user(session)
    open_session(session, user, device="x" * 500)
    assert stored(session).device == "x" * 120


# --- resolving ---------------------------------------------------------------------------------


def test_resolve_session_returns_the_user_without_secrets(session: Session) -> None:
    user = make_user(session, role=Role.ADMIN, email="admin@example.com", name="Ravi Kumar")
    token = open_session(session, user)
    resolved = resolve_session(session, token=token, now=T0 + timedelta(hours=1))
    assert resolved == SessionUser(
        id=user.id, role="admin", name="Ravi Kumar", email="admin@example.com"
    )
    fields = {f.name for f in dataclasses.fields(SessionUser)}
    assert fields == {"id", "role", "name", "email", "must_change_password"}


def test_an_unused_session_ends_after_the_idle_time(session: Session) -> None:
    user = make_user(session)
    used, unused = open_session(session, user), open_session(session, user)
    assert resolve_session(session, token=used, now=T0 + IDLE - timedelta(seconds=1))
    assert resolve_session(session, token=unused, now=T0 + IDLE) is None
    assert resolve_session(session, token=unused, now=T0 + IDLE + timedelta(days=1)) is None


def test_use_slides_the_idle_expiry_at_most_once_a_minute(session: Session) -> None:
    user = make_user(session)
    token = open_session(session, user)

    soon = T0 + SLIDE_EVERY - timedelta(seconds=1)
    assert resolve_session(session, token=token, now=soon)
    row = stored(session)
    assert (row.last_seen_at, row.expires_at) == (T0, T0 + IDLE)  # no write within a minute

    later = T0 + timedelta(days=6)
    assert resolve_session(session, token=token, now=later)
    row = stored(session)
    assert (row.last_seen_at, row.expires_at) == (later, later + IDLE)
    # Past the first idle end, still signed in because it was used.
    assert resolve_session(session, token=token, now=T0 + IDLE + timedelta(days=1))


def test_sliding_never_passes_the_absolute_end(session: Session) -> None:
    user = make_user(session)
    token = open_session(session, user)
    now = T0
    while now + timedelta(days=5) < T0 + MAX:  # used every 5 days: never idle
        now += timedelta(days=5)
        assert resolve_session(session, token=token, now=now) is not None
    row = stored(session)
    assert row.expires_at == T0 + MAX  # min(now + idle, absolute end)
    assert resolve_session(session, token=token, now=T0 + MAX - timedelta(seconds=1))
    assert resolve_session(session, token=token, now=T0 + MAX) is None


def test_revoked_session_resolves_to_none(session: Session) -> None:
    user = make_user(session)
    token = open_session(session, user, device="laptop")
    other = open_session(session, user, device="phone")
    revoke_session(session, token=token, now=T0)
    assert resolve_session(session, token=token, now=T0) is None
    assert resolve_session(session, token=other, now=T0) is not None
    revoke_session(session, token="never-issued")  # unknown tokens are ignored
    for odd in (None, 5, {"a": 1}, ["x"], "\ud800", ""):
        revoke_session(session, token=odd)  # and so is anything else
    ended = stored(session, "laptop")
    assert (ended.revoked_at, ended.revoked_reason) == (T0, "signed_out")
    assert stored(session, "phone").revoked_at is None


def test_deactivated_user_session_resolves_to_none(session: Session) -> None:
    user = make_user(session)
    token = open_session(session, user)
    user.is_active = False
    session.add(user)
    session.commit()
    assert resolve_session(session, token=token, now=T0) is None


def test_blocked_user_session_resolves_to_none(session: Session) -> None:
    user = make_user(session)
    token = open_session(session, user)
    user.is_blocked = True
    session.add(user)
    session.commit()
    assert resolve_session(session, token=token, now=T0) is None
    user.is_blocked = False
    session.add(user)
    session.commit()
    assert resolve_session(session, token=token, now=T0) is not None


def test_a_role_change_ends_every_session_of_the_user(session: Session) -> None:
    user = make_user(session)
    tokens = [open_session(session, user) for _ in range(2)]
    user.role = Role.ADMIN
    session.add(user)
    session.commit()
    assert [resolve_session(session, token=t, now=T0) for t in tokens] == [None, None]
    assert active_sessions(session, user_id=user.id, current_token=tokens[0], now=T0) == []
    # Changing it back does not bring a session opened in another role back to life
    # for the new role: each session names the role it began with.
    admin_token = open_session(session, user)
    user.role = Role.PATIENT
    session.add(user)
    session.commit()
    assert resolve_session(session, token=admin_token, now=T0) is None


BAD_TOKENS: list[Any] = [
    "",
    "garbage",
    "x" * 43,
    "x" * 129,
    "x" * 10_000,
    "' OR 1=1 --",
    "\x00",
    "\ud800",
    "tökén",
    "a b",
    None,
    5,
    0,
    True,
    5.5,
    {"a": 1},
    ["x"],
    [],
    b"bytes",
]


@pytest.mark.parametrize("token", BAD_TOKENS, ids=[repr(t)[:20] for t in BAD_TOKENS])
def test_unknown_or_malformed_tokens_resolve_to_none(session: Session, token: Any) -> None:
    user = make_user(session)
    open_session(session, user)
    assert resolve_session(session, token=token, now=T0) is None


def test_a_real_token_with_a_character_changed_or_appended_is_refused(session: Session) -> None:
    user = make_user(session)
    token = open_session(session, user)
    flipped = ("A" if token[0] != "A" else "B") + token[1:]
    for forged in (flipped, token + "x", token[:-1], token.upper()):
        assert resolve_session(session, token=forged, now=T0) is None
    assert resolve_session(session, token=token, now=T0) is not None


def test_tokens_are_keyed_by_the_secret(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    user = make_user(session)
    token = open_session(session, user)
    with monkeypatch.context() as env:
        env.setenv("HCP_SECRET_KEY", "another-secret-key-of-enough-length")
        get_settings.cache_clear()
        assert resolve_session(session, token=token, now=T0) is None
    get_settings.cache_clear()
    assert resolve_session(session, token=token, now=T0) is not None


# --- listing and revoking ------------------------------------------------------------------


def test_revoke_all_ends_every_session_but_the_one_kept(session: Session) -> None:
    user = make_user(session)
    other_user = make_user(session, email="bina@example.com")
    kept, *others = [open_session(session, user) for _ in range(3)]
    theirs = open_session(session, other_user)
    revoke_session(session, token=others[0], now=T0)  # already ended: not counted again

    ended = revoke_all_sessions(
        session,
        user_id=user.id,
        now=T0 + timedelta(minutes=5),
        reason="password_changed",
        except_token=kept,
    )

    assert ended == 1
    assert resolve_session(session, token=kept, now=T0) is not None
    assert [resolve_session(session, token=t, now=T0) for t in others] == [None, None]
    assert resolve_session(session, token=theirs, now=T0) is not None
    session.expire_all()
    reasons = sorted(
        (r.revoked_reason or "")
        for r in session.exec(select(UserSession).where(UserSession.user_id == user.id)).all()
    )
    assert reasons == ["", "password_changed", "signed_out"]
    assert revoke_all_sessions(session, user_id=user.id, now=T0, reason="blocked") == 1
    assert resolve_session(session, token=kept, now=T0) is None


@pytest.mark.parametrize("kept", [None, "", "not-a-token", 5, {"a": 1}, "\ud800"])
def test_revoke_all_without_a_real_token_to_keep_ends_them_all(session: Session, kept: Any) -> None:
    user = make_user(session)
    tokens = [open_session(session, user) for _ in range(2)]
    assert revoke_all_sessions(session, user_id=user.id, now=T0, reason="x", except_token=kept) == 2
    assert [resolve_session(session, token=t, now=T0) for t in tokens] == [None, None]


def test_active_sessions_lists_the_users_open_sessions_newest_first(session: Session) -> None:
    user = make_user(session)
    other_user = make_user(session, email="bina@example.com")
    old = open_session(session, user, device="Firefox on Linux", now=T0 - timedelta(days=2))
    current = open_session(session, user, device="Safari on iPhone", now=T0 - timedelta(days=1))
    ended = open_session(session, user, device="Edge on Windows", now=T0 - timedelta(hours=1))
    idle = open_session(session, user, device="Old laptop", now=T0 - IDLE - timedelta(hours=1))
    open_session(session, other_user, device="Not mine")
    revoke_session(session, token=ended, now=T0)
    assert resolve_session(session, token=old, now=T0 - timedelta(hours=3))  # seen then

    listed = active_sessions(session, user_id=user.id, current_token=current, now=T0)

    assert [(s.device, s.is_current) for s in listed] == [
        ("Safari on iPhone", True),
        ("Firefox on Linux", False),
    ]
    assert listed[1].created_at == T0 - timedelta(days=2)
    assert listed[1].last_seen_at == T0 - timedelta(hours=3)
    assert all(isinstance(s.id, int) and s.id > 0 for s in listed)
    assert resolve_session(session, token=idle, now=T0) is None  # idle too long: not listed
    # A token that is not one of theirs marks nothing as this device.
    strangers = active_sessions(session, user_id=user.id, current_token={"x": 1}, now=T0)
    assert [s.is_current for s in strangers] == [False, False]


def test_a_user_revokes_only_their_own_open_sessions(session: Session) -> None:
    user = make_user(session)
    other_user = make_user(session, email="bina@example.com")
    mine, phone = open_session(session, user), open_session(session, user)
    theirs = open_session(session, other_user)
    ids = {
        s.is_current: s.id
        for s in active_sessions(session, user_id=user.id, current_token=mine, now=T0)
    }
    [their_id] = [
        s.id for s in active_sessions(session, user_id=other_user.id, current_token=theirs, now=T0)
    ]

    with pytest.raises(NotFound):
        revoke_own_session(session, user_id=user.id, session_id=their_id, now=T0)
    for bad in ("1", str(ids[False]), None, {"id": ids[False]}, [ids[False]], 10**9, -1, True):
        with pytest.raises(NotFound):
            revoke_own_session(session, user_id=user.id, session_id=bad, now=T0)  # type: ignore[arg-type]
    assert resolve_session(session, token=theirs, now=T0) is not None
    assert resolve_session(session, token=phone, now=T0) is not None

    revoke_own_session(session, user_id=user.id, session_id=ids[False], now=T0)

    assert resolve_session(session, token=phone, now=T0) is None
    assert resolve_session(session, token=mine, now=T0) is not None
    with pytest.raises(NotFound):  # already ended
        revoke_own_session(session, user_id=user.id, session_id=ids[False], now=T0)


def test_a_blocked_or_deactivated_user_cannot_revoke_sessions(session: Session) -> None:
    user = make_user(session)
    mine = open_session(session, user)
    open_session(session, user)
    [phone_id] = [
        s.id
        for s in active_sessions(session, user_id=user.id, current_token=mine, now=T0)
        if not s.is_current
    ]
    user.is_blocked = True
    session.add(user)
    session.commit()
    with pytest.raises(Forbidden):
        revoke_own_session(session, user_id=user.id, session_id=phone_id, now=T0)
    with pytest.raises(Forbidden):
        sign_out_everywhere(session, user_id=user.id, now=T0)


def test_sign_out_everywhere_ends_this_session_too(session: Session) -> None:
    user = make_user(session)
    other_user = make_user(session, email="bina@example.com")
    tokens = [open_session(session, user) for _ in range(3)]
    theirs = open_session(session, other_user)

    assert sign_out_everywhere(session, user_id=user.id, now=T0) == 3

    assert [resolve_session(session, token=t, now=T0) for t in tokens] == [None] * 3
    assert resolve_session(session, token=theirs, now=T0) is not None


# --- device labels ---------------------------------------------------------------------------

CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)


@pytest.mark.parametrize(
    ("user_agent", "label"),
    [
        (CHROME_WINDOWS, "Chrome on Windows"),
        (SAFARI_IPHONE, "Safari on iPhone"),
        (
            "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
            "Firefox on Linux",
        ),
        (CHROME_WINDOWS + " Edg/124.0.2478.51", "Edge on Windows"),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like "
            "Gecko) Version/17.4 Safari/605.1.15",
            "Safari on macOS",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/124.0.0.0 Mobile Safari/537.36",
            "Chrome on Android",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "HeadlessChrome/124.0.0.0 Safari/537.36",
            "Chrome on Linux",
        ),
        ("curl/8.5.0", "Unknown browser"),
        ("", "Unknown browser"),
        ("\ud800" * 10, "Unknown browser"),
        (None, "Unknown browser"),
        (5, "Unknown browser"),
        ({"a": 1}, "Unknown browser"),
    ],
)
def test_device_label(user_agent: Any, label: str) -> None:
    assert device_label(user_agent) == label


def test_device_label_is_short_whatever_the_header() -> None:
    labels = {device_label(x * 100_000) for x in ("Chrome/ Windows ", "A", "\x00", "Linux ")}
    assert all(0 < len(label) <= 40 for label in labels)
