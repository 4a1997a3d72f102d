"""One-time download grants: an opaque id whose hash alone is stored, good for one request
for its own file, by a user who is still an active admin; on SQLite and on PostgreSQL."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlmodel import Session, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.db import get_engine, session_scope
from healthcareplus.core.errors import Forbidden
from healthcareplus.core.models import AuditEvent, DownloadGrant, Role, User
from healthcareplus.domain.admin.filters import AdminFilters
from healthcareplus.domain.reports import download_links as links
from tests.factories import create_user

NOW = datetime(2026, 3, 20, 6, 30, tzinfo=UTC)
PARAMS = {"status": "confirmed", "from": "2026-03-01", "to": "2026-03-31"}
URLSAFE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


@pytest.fixture
def url(either_db_url: str) -> str:
    """Every rule holds on SQLite and on a fresh PostgreSQL database."""
    return either_db_url


@pytest.fixture
def session(either_db: Session) -> Session:
    return either_db


@pytest.fixture
def admin(session: Session) -> User:
    return create_user(session, role=Role.ADMIN)


def _issue(session: Session, user_id: int, **kw: Any) -> str:
    kw = {"purpose": "appointments_csv", "params": PARAMS, "now": NOW, **kw}
    token = links.issue_grant(session, user_id=user_id, **kw)
    session.commit()
    return token


def _redeem(session: Session, token: object, purpose: str = "appointments_csv", **kw: Any):
    """Redeem in the caller's unit of work: committed if it worked, rolled back if not."""
    try:
        grant = links.redeem(session, token=token, purpose=purpose, now=kw.get("now", NOW))  # type: ignore[arg-type]
    except BaseException:
        session.rollback()
        raise
    session.commit()
    return grant


def _downloads(session: Session) -> list[tuple[int | None, str | None, dict]]:
    events = session.exec(
        select(AuditEvent).where(AuditEvent.action == "report_downloaded").order_by(AuditEvent.id)
    ).all()
    return [(e.actor_user_id, e.entity_id, e.detail) for e in events]


def _grants(session: Session) -> list[DownloadGrant]:
    session.expire_all()
    return list(session.exec(select(DownloadGrant).order_by(DownloadGrant.id)).all())


# --- issuing -----------------------------------------------------------------------------------


def test_the_table_holds_only_a_hash_of_the_id(session: Session, admin: User) -> None:
    token = _issue(session, admin.id)

    assert set(token) <= URLSAFE and len(token) == 43  # token_urlsafe(32): 256 random bits
    [grant] = _grants(session)
    assert grant.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert (grant.user_id, grant.purpose, grant.params) == (admin.id, "appointments_csv", PARAMS)
    assert (grant.created_at, grant.used_at) == (NOW, None)
    default_ttl = get_settings().download_link_seconds
    assert grant.expires_at == NOW + timedelta(seconds=default_ttl)
    # Whatever the column, the id itself is nowhere in the table.
    rows = session.connection().execute(sa.text("SELECT * FROM download_grants")).all()
    assert len(rows) == 1 and all(token not in str(value) for value in rows[0])


def test_each_grant_gets_its_own_id_and_the_ttl_setting(
    session: Session, admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HCP_DOWNLOAD_LINK_SECONDS", "30")
    get_settings.cache_clear()
    first, second = _issue(session, admin.id), _issue(session, admin.id)
    explicit = _issue(session, admin.id, ttl_seconds=600)

    assert len({first, second, explicit}) == 3
    assert [g.expires_at - NOW for g in _grants(session)] == [
        timedelta(seconds=30),
        timedelta(seconds=30),
        timedelta(seconds=600),
    ]


@pytest.mark.parametrize("who", ["patient", "doctor", "inactive admin", "blocked admin", "nobody"])
def test_only_an_active_admin_gets_a_grant(session: Session, who: str) -> None:
    if who == "nobody":
        user_id = 987_654
    else:
        role = {"patient": Role.PATIENT, "doctor": Role.DOCTOR}.get(who, Role.ADMIN)
        user = create_user(session, role=role, commit=False)
        user.is_active = who != "inactive admin"
        user.is_blocked = who == "blocked admin"
        session.add(user)
        session.commit()
        user_id = user.id

    with pytest.raises(Forbidden, match=links.NOT_ADMIN):
        links.issue_grant(session, user_id=user_id, purpose="monthly_csv", params={}, now=NOW)
    session.rollback()
    assert _grants(session) == []


def test_issue_grant_refuses_bad_arguments(session: Session, admin: User) -> None:
    bad: list[dict[str, Any]] = [
        {"purpose": "everything", "params": {}},
        {"purpose": "monthly_csv", "params": {}, "ttl_seconds": 0},
        {"purpose": "monthly_csv", "params": {}, "ttl_seconds": 3601},
        {"purpose": "monthly_csv", "params": {"a": 1}},
        {"purpose": "monthly_csv", "params": {str(i): "x" for i in range(21)}},
    ]
    for kwargs in bad:
        with pytest.raises(ValueError):
            links.issue_grant(session, user_id=admin.id, now=NOW, **kwargs)
    assert _grants(session) == []


# --- redeeming ---------------------------------------------------------------------------------


def test_a_grant_works_once_and_is_audited(session: Session, admin: User) -> None:
    token = _issue(session, admin.id)

    grant = _redeem(session, token, now=NOW + timedelta(seconds=5))

    assert grant == links.GrantedDownload(user_id=admin.id, params=PARAMS)
    assert _grants(session)[0].used_at == NOW + timedelta(seconds=5)
    for later in (NOW + timedelta(seconds=6), NOW + timedelta(seconds=7)):
        with pytest.raises(Forbidden, match="already been used or has expired"):
            _redeem(session, token, now=later)
    assert _downloads(session) == [(admin.id, "appointments_csv", PARAMS)]


def test_expired_grants_are_refused(session: Session, admin: User) -> None:
    tokens = [_issue(session, admin.id, purpose="monthly_pdf", ttl_seconds=60) for _ in range(3)]

    assert _redeem(session, tokens[0], "monthly_pdf", now=NOW + timedelta(seconds=59))
    for token, at in ((tokens[1], timedelta(seconds=60)), (tokens[2], timedelta(days=1))):
        with pytest.raises(Forbidden) as refused:
            _redeem(session, token, "monthly_pdf", now=NOW + at)
        assert str(refused.value) == links.USED_OR_EXPIRED
    assert [g.used_at for g in _grants(session)] == [NOW + timedelta(seconds=59), None, None]


@pytest.mark.parametrize("other", ["monthly_csv", "monthly_pdf", "nonsense"])
def test_a_grant_only_opens_its_own_file(session: Session, admin: User, other: str) -> None:
    token = _issue(session, admin.id)

    with pytest.raises(Forbidden) as refused:
        _redeem(session, token, other)
    assert str(refused.value) == links.INVALID
    assert _downloads(session) == []
    # The wrong door did not use it up.
    assert _redeem(session, token).user_id == admin.id


@pytest.mark.parametrize("change", ["deactivated", "blocked", "no longer an admin"])
def test_the_user_must_still_be_an_active_admin(session: Session, admin: User, change: str) -> None:
    token = _issue(session, admin.id)
    admin.is_active = change != "deactivated"
    admin.is_blocked = change == "blocked"
    admin.role = Role.PATIENT if change == "no longer an admin" else Role.ADMIN
    session.add(admin)
    session.commit()

    with pytest.raises(Forbidden) as refused:
        _redeem(session, token)
    assert str(refused.value) == links.NOT_ADMIN
    assert _downloads(session) == []


# Shapes no link can hold: refused before any query.
MALFORMED: list[object] = [
    None,
    123,
    1.5,
    b"bytes",
    ["list"],
    {"grant": "x"},
    "",
    "x" * 201,
    "x" * 100_000,
    "ü",
    "\ud800",  # a lone surrogate cannot even be encoded
]
# Plausible shapes that match no grant: looked up by their hash, never by their text.
UNKNOWN: list[object] = ["a" * 200, "abc\x00def", "' OR 1=1 --", "%", "*"]


@pytest.mark.parametrize("bad", MALFORMED + UNKNOWN, ids=lambda v: repr(v)[:24])
def test_bad_token_shapes_are_refused_as_not_valid(
    session: Session, admin: User, bad: object
) -> None:
    _issue(session, admin.id)
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(session.get_bind(), "before_cursor_execute", record)
    try:
        with pytest.raises(Forbidden) as refused:
            _redeem(session, bad)
    finally:
        event.remove(session.get_bind(), "before_cursor_execute", record)
    assert str(refused.value) == links.INVALID
    assert bool(statements) == (bad in UNKNOWN)
    assert _grants(session)[0].used_at is None


def test_a_changed_character_is_another_unknown_id(session: Session, admin: User) -> None:
    token = _issue(session, admin.id)
    for forged in (token[:-1] + ("A" if token[-1] != "A" else "B"), token + "A", token[:-1]):
        with pytest.raises(Forbidden) as refused:
            _redeem(session, forged)
        assert str(refused.value) == links.INVALID
    assert _redeem(session, token).user_id == admin.id


def test_the_stored_hash_is_not_a_token(session: Session, admin: User) -> None:
    token = _issue(session, admin.id)
    with pytest.raises(Forbidden, match="not valid"):
        _redeem(session, _grants(session)[0].token_hash)
    assert _redeem(session, token)


# --- two requests at once ----------------------------------------------------------------------


def _attempt(url: str, token: str) -> Callable[[], object]:
    def run() -> object:
        try:
            with session_scope(url) as own:
                return links.redeem(own, token=token, purpose="appointments_csv", now=NOW)
        except Forbidden as exc:
            return exc

    return run


def _race(url: str, token: str, requests: int) -> list[object]:
    """``requests`` threads redeem ``token`` at the same moment, each in its own session."""
    start = threading.Barrier(requests)
    results: list[object] = []
    attempt = _attempt(url, token)

    def run() -> None:
        start.wait()
        results.append(attempt())

    threads = [threading.Thread(target=run) for _ in range(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_racing_requests_with_one_id_give_one_download(
    session: Session, admin: User, url: str
) -> None:
    for _round in range(3):
        results = _race(url, _issue(session, admin.id), 6)

        winners = [r for r in results if isinstance(r, links.GrantedDownload)]
        assert len(results) == 6 and len(winners) == 1, results
        losers = [r for r in results if not isinstance(r, links.GrantedDownload)]
        assert [str(r) for r in losers] == [links.USED_OR_EXPIRED] * 5
    assert len(_downloads(session)) == 3


def _waits_on_a_lock(url: str) -> bool:
    """PostgreSQL: some other session is blocked on a row lock."""
    with get_engine(url).connect() as probe:
        return bool(
            probe.execute(
                sa.text(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE wait_event_type = 'Lock' AND datname = current_database()"
                )
            ).scalar_one()
        )


def test_a_request_arriving_while_the_first_is_uncommitted_is_refused(
    session: Session, admin: User, url: str
) -> None:
    """The first request has claimed the grant but not committed when the second runs its
    statements: a read-then-write would let the second see the grant unused and win too."""
    token = _issue(session, admin.id)
    engine = get_engine(url)
    second_started = threading.Event()

    def note_start(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if threading.current_thread().name == "second" and "download_grants" in statement:
            second_started.set()

    event.listen(engine, "before_cursor_execute", note_start)
    result: list[object] = []
    try:
        with Session(engine) as first:
            won = links.redeem(first, token=token, purpose="appointments_csv", now=NOW)
            second = threading.Thread(
                target=lambda: result.append(_attempt(url, token)()), name="second"
            )
            second.start()
            assert second_started.wait(timeout=10)
            deadline = time.monotonic() + 10
            if engine.dialect.name == "postgresql":  # wait until it blocks on our row lock
                while not _waits_on_a_lock(url) and time.monotonic() < deadline:
                    time.sleep(0.02)
                assert _waits_on_a_lock(url)
            else:  # SQLite: it waits for the write lock (busy_timeout) as long as we hold it
                time.sleep(0.3)
            assert second.is_alive()  # still waiting for our transaction
            first.commit()
        second.join(timeout=30)
    finally:
        event.remove(engine, "before_cursor_execute", note_start)

    assert won.user_id == admin.id
    [refused] = result
    assert isinstance(refused, Forbidden) and str(refused) == links.USED_OR_EXPIRED
    assert len(_downloads(session)) == 1


# --- links -------------------------------------------------------------------------------------


def test_export_link_is_opaque_and_grants_the_filters_without_the_page(
    session: Session, admin: User
) -> None:
    filters = AdminFilters(
        hospital_id=3,
        date_from=date(2026, 3, 1),
        date_to=date(2026, 3, 31),
        status="cancelled",
        sort="start_asc",
        page=4,
    )
    link = links.export_link(session, admin.id, filters, NOW)
    session.commit()

    parts = urlsplit(link)
    assert parts.path == "/api/admin/exports/appointments.csv" and not parts.netloc
    query = parse_qs(parts.query)
    assert list(query) == ["grant"]  # nothing about the user or the filters
    [token] = query["grant"]
    assert set(token) <= URLSAFE and "cancelled" not in link
    grant = _redeem(session, token)
    assert grant.user_id == admin.id
    assert grant.params == {
        "hospital": "3",
        "from": "2026-03-01",
        "to": "2026-03-31",
        "status": "cancelled",
        "sort": "start_asc",
    }
    assert AdminFilters.from_query(grant.params) == filters.without_page()


def test_monthly_links(session: Session, admin: User) -> None:
    for fmt, path, purpose in (
        ("csv", "/api/admin/reports/monthly.csv", "monthly_csv"),
        ("pdf", "/api/admin/reports/monthly.pdf", "monthly_pdf"),
        ("xlsx", "/api/admin/reports/monthly.xlsx", "monthly_xlsx"),
    ):
        link = links.monthly_link(session, admin.id, year=2026, month=2, fmt=fmt, now=NOW)  # type: ignore[arg-type]
        session.commit()
        parts = urlsplit(link)
        assert parts.path == path
        grant = _redeem(session, parse_qs(parts.query)["grant"][0], purpose)
        assert grant == links.GrantedDownload(user_id=admin.id, params={"month": "2026-02"})
    with pytest.raises(ValueError):
        links.monthly_link(session, admin.id, year=2026, month=2, fmt="docx", now=NOW)  # type: ignore[arg-type]


def test_links_are_only_made_for_an_active_admin(session: Session) -> None:
    patient = create_user(session, role=Role.PATIENT)
    with pytest.raises(Forbidden, match=links.NOT_ADMIN):
        links.export_link(session, patient.id, AdminFilters(), NOW)
    with pytest.raises(Forbidden, match=links.NOT_ADMIN):
        links.monthly_link(session, patient.id, year=2026, month=2, fmt="pdf", now=NOW)
    session.rollback()
    assert _grants(session) == []


# --- pruning -----------------------------------------------------------------------------------


def test_prune_deletes_grants_a_day_past_their_expiry_or_use(session: Session, admin: User) -> None:
    day = timedelta(days=1)
    old_expired = _issue(session, admin.id, now=NOW - 2 * day)
    old_used = _issue(session, admin.id, now=NOW - day - timedelta(minutes=5))
    _redeem(session, old_used, now=NOW - day - timedelta(minutes=4))
    recently_expired = _issue(session, admin.id, now=NOW - timedelta(hours=23))
    recently_used = _issue(session, admin.id, now=NOW - timedelta(hours=1))
    _redeem(session, recently_used, now=NOW - timedelta(minutes=59))
    fresh = _issue(session, admin.id)

    assert links.prune_download_grants(session, now=NOW) == 2
    session.commit()

    def hashed(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    left = {g.token_hash for g in _grants(session)}
    assert left == {hashed(t) for t in (recently_expired, recently_used, fresh)}
    assert hashed(old_expired) not in left and hashed(old_used) not in left
    assert _redeem(session, fresh).user_id == admin.id  # what is left still works
    assert links.prune_download_grants(session, now=NOW) == 0


def test_links_do_not_depend_on_the_secret_key(
    session: Session, admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing about a link is signed with HCP_SECRET_KEY: rotating it neither breaks an
    issued link nor lets anyone who knows it make one (the old HMAC tokens did both)."""
    token = _issue(session, admin.id)
    monkeypatch.setenv("HCP_SECRET_KEY", "another-secret-of-enough-length")
    get_settings.cache_clear()
    assert _redeem(session, token).user_id == admin.id
    assert not hasattr(links, "hmac") and not hasattr(links, "verify")
