"""The dashboard's figures shared by every open page: after a change, 50 pages with the
same filters cost one computation (counted as calls of the domain functions and as SQL
statements), other filters compute their own, a new change marker computes again and
shows the change; the clock's part in the keys; Redis shared by two app processes.

The clinic is tests/admin_data.py's, at its fixed "now" (Tue 10 Mar 2026, 12:00).
"""

from __future__ import annotations

import os
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine, event
from sqlmodel import Session

from healthcareplus.core.config import get_settings
from healthcareplus.core.db import get_engine
from healthcareplus.core.models import Role, User
from healthcareplus.core.shared_cache import RedisBackend, SharedCache, reset_shared_caches
from healthcareplus.domain.admin import dashboard_breakdowns, dashboard_charts, dashboard_views
from healthcareplus.domain.admin.actions import cancel_appointment
from healthcareplus.domain.admin.dashboard import bookings_per_day, dashboard_stats
from healthcareplus.domain.admin.dashboard_table import list_appointments
from healthcareplus.domain.admin.filters import AdminFilters
from healthcareplus.domain.admin.overview import overview
from tests.admin_data import AdminClinic, build_admin_clinic
from tests.factories import create_user
from tests.services import require_redis

PAGES = 50
TEST_REDIS_URL = os.environ.get("HCP_TEST_CACHE_REDIS_URL", "redis://127.0.0.1:6379/11")
# What dashboard_views computes with, by the name it calls it under.
DIRECT = {
    "dashboard_stats": (dashboard_views, "dashboard_stats"),
    "list_appointments": (dashboard_views, "list_appointments"),
    "bookings_per_day": (dashboard_views, "bookings_per_day"),
    "overview": (dashboard_views, "overview"),
    "hospital_bookings": (dashboard_charts, "hospital_bookings"),
    "hospital_revenue": (dashboard_charts, "hospital_revenue"),
    "top_doctors": (dashboard_charts, "top_doctors"),
    "payment_method_mix": (dashboard_charts, "payment_method_mix"),
    "bookings_per_hospital": (dashboard_breakdowns, "bookings_per_hospital"),
    "bookings_per_doctor": (dashboard_breakdowns, "bookings_per_doctor"),
}


@pytest.fixture(autouse=True)
def in_memory(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This process's memory as the store, empty at the start of each test."""
    monkeypatch.setenv("HCP_REDIS_URL", "")
    monkeypatch.delenv("REFLEX_REDIS_URL", raising=False)
    get_settings.cache_clear()
    reset_shared_caches()
    yield
    reset_shared_caches()


@pytest.fixture
def clinic(session: Session) -> AdminClinic:
    return build_admin_clinic(session)


@pytest.fixture
def admin(session: Session) -> User:
    return create_user(session, role=Role.ADMIN)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often each domain computation ran (they still run)."""
    counted: Counter[str] = Counter()
    lock = threading.Lock()
    for name, (module, attribute) in DIRECT.items():
        real = getattr(module, attribute)

        def counting(*args: Any, _real: Callable[..., Any] = real, _name: str = name, **kw: Any):
            with lock:
                counted[_name] += 1
            return _real(*args, **kw)

        monkeypatch.setattr(module, attribute, counting)
    return counted


class Statements:
    """The SQL statements the engine runs inside ``with``."""

    def __init__(self, url: str) -> None:
        self.engine, self.count = get_engine(url), 0

    def _seen(self, *args: object) -> None:
        self.count += 1

    def __enter__(self) -> Statements:
        self.count = 0
        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)


def page_refresh(db: Session, filters: AdminFilters, marker: str, now: datetime) -> tuple:
    """What one open dashboard (with the landing figures) shows after a change."""
    return (
        dashboard_views.stats(db, filters=filters, marker=marker, now=now),
        dashboard_views.appointments(db, filters=filters, marker=marker, now=now),
        dashboard_views.chart_set(db, filters=filters, marker=marker, now=now),
        dashboard_views.hospitals(db, filters=filters, marker=marker, page=1),
        dashboard_views.doctors(db, filters=filters, marker=marker, page=1),
        dashboard_views.landing(db, marker=marker, now=now),
    )


def open_page(db_url: str, filters: AdminFilters, now: datetime) -> tuple:
    """One page's tick: its own session, the marker, then the figures."""
    with Session(get_engine(db_url)) as db:
        return page_refresh(db, filters, dashboard_views.change_marker(db), now)


def cancel(session: Session, clinic: AdminClinic, admin: User, key: str) -> None:
    cancel_appointment(
        session,
        appointment_id=clinic[key].id,
        admin_id=admin.id or 0,
        reason="Doctor on leave",
        now=clinic.now,
    )
    session.commit()


# --- what is shared --------------------------------------------------------------------------


def test_the_shared_figures_are_the_domain_functions_own(
    session: Session, clinic: AdminClinic
) -> None:
    filters = AdminFilters(city_id=clinic.bangalore.id, sort="fee_desc")
    marker, now = dashboard_views.change_marker(session), clinic.now
    for _ in range(2):  # computed, then read back from the store
        stats, table, charts, hospitals, doctors, landing = page_refresh(
            session, filters, marker, now
        )
        figures = replace(filters, sort="start_desc")
        assert stats == dashboard_stats(session, filters=figures, now=now)
        assert table == list_appointments(session, filters=filters, now=now)
        assert charts.days == bookings_per_day(session, filters=figures, now=now)
        assert charts.hospital_revenue == dashboard_charts.hospital_revenue(
            session, filters=figures
        )
        assert charts.methods == dashboard_charts.payment_method_mix(session, filters=figures)
        assert hospitals == dashboard_breakdowns.bookings_per_hospital(session, filters=figures)
        assert doctors == dashboard_breakdowns.bookings_per_doctor(session, filters=figures)
        assert landing == overview(session, now=now)
    assert [r.fee_paise for r in table.items] == sorted(r.fee_paise for r in table.items)[::-1]


# --- item 2: once per change, not once per viewer --------------------------------------------


def test_fifty_open_pages_after_one_change_compute_once(
    session: Session, db_url: str, clinic: AdminClinic, admin: User, calls: Counter[str]
) -> None:
    open_page(db_url, AdminFilters(), clinic.now)  # the pages showed the figures...
    calls.clear()
    cancel(session, clinic, admin, "a4")  # ...then someone cancelled a visit

    per_page = []
    for _ in range(PAGES):
        with Statements(db_url) as sql:
            shown = open_page(db_url, AdminFilters(), clinic.now)
        per_page.append(sql.count)

    # Each figure computed once for all 50; every page after the first asks only for
    # the marker (one statement).
    assert calls == dict.fromkeys(DIRECT, 1)
    assert per_page[0] > 10 and per_page[1:] == [1] * (PAGES - 1)
    assert shown[0].cancelled == 3  # a3, a11 and now a4


def test_fifty_pages_asking_at_the_same_moment_compute_once(
    db_url: str, clinic: AdminClinic, calls: Counter[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real, gate = dashboard_views.dashboard_stats, threading.Barrier(PAGES)

    def slow_stats(*args: Any, **kw: Any) -> Any:
        threading.Event().wait(0.2)  # the others arrive while this one computes
        return real(*args, **kw)

    monkeypatch.setattr(dashboard_views, "dashboard_stats", slow_stats)
    with Session(get_engine(db_url)) as db:
        marker = dashboard_views.change_marker(db)
    answers: list[Any] = [None] * PAGES

    def page(i: int) -> None:
        gate.wait()
        with Session(get_engine(db_url)) as db:
            answers[i] = page_refresh(db, AdminFilters(), marker, clinic.now)

    threads = [threading.Thread(target=page, args=(i,)) for i in range(PAGES)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert calls == dict.fromkeys(DIRECT, 1)
    assert all(a == answers[0] for a in answers) and answers[0][0].bookings == 12


def test_other_filters_compute_their_own_and_page_and_sort_share_the_figures(
    session: Session, clinic: AdminClinic, calls: Counter[str]
) -> None:
    marker, now = dashboard_views.change_marker(session), clinic.now
    city = AdminFilters(city_id=clinic.mumbai.id)
    doctor = AdminFilters(doctor_id=clinic.anil.id)
    for filters in (city, doctor, city, doctor):
        page_refresh(session, filters, marker, now)
    assert calls["dashboard_stats"] == 2 and calls["hospital_revenue"] == 2
    assert calls["overview"] == 1  # the landing figures read no filter

    # Another page or sort of the table: the table again, the figures as they were.
    paged = replace(doctor, page=2, sort="fee_desc")
    page_refresh(session, paged, marker, now)
    assert (calls["list_appointments"], calls["dashboard_stats"]) == (3, 2)
    assert calls["bookings_per_day"] == calls["bookings_per_hospital"] == 2
    # Another page of a breakdown table is its own entry.
    dashboard_views.doctors(session, filters=doctor, marker=marker, page=2)
    assert calls["bookings_per_doctor"] == 3


def test_a_change_moves_the_marker_and_the_next_refresh_shows_it(
    session: Session, db_url: str, clinic: AdminClinic, admin: User, calls: Counter[str]
) -> None:
    filters = AdminFilters(hospital_id=clinic.sunrise.id)
    with Session(get_engine(db_url)) as db:
        before_marker = dashboard_views.change_marker(db)
        before = page_refresh(db, filters, before_marker, clinic.now)

    cancel(session, clinic, admin, "a4")
    after = open_page(db_url, filters, clinic.now)

    assert calls["dashboard_stats"] == 2  # a new marker: computed again
    assert (before[0].cancelled, after[0].cancelled) == (1, 2)
    row = next(r for r in after[1].items if r.id == clinic["a4"].id)
    assert (row.status, row.payment_status, row.can_cancel) == ("cancelled", "Refunded", False)
    sunrise = after[3].items[0]
    assert sunrise.hospital_name == "Sunrise Hospital" and sunrise.cancelled == 2
    assert after[2].hospital_revenue[0].revenue_label == "₹1,800"  # a4's ₹500 refunded
    assert after[5].upcoming_confirmed == before[5].upcoming_confirmed - 1


# --- the clock -------------------------------------------------------------------------------


def test_the_figures_that_read_the_clock_are_kept_per_minute_and_the_charts_per_day(
    session: Session, clinic: AdminClinic, calls: Counter[str]
) -> None:
    marker, noon = dashboard_views.change_marker(session), clinic.now
    for now in (noon, noon + timedelta(seconds=59)):  # one minute
        page_refresh(session, AdminFilters(), marker, now)
    assert calls == dict.fromkeys(DIRECT, 1)

    page_refresh(session, AdminFilters(), marker, noon + timedelta(minutes=1))
    minute = ("dashboard_stats", "list_appointments", "overview")
    assert {name: calls[name] for name in minute} == dict.fromkeys(minute, 2)
    assert calls["bookings_per_day"] == calls["bookings_per_doctor"] == 1

    tomorrow = noon + timedelta(days=1)
    shown = page_refresh(session, AdminFilters(), marker, tomorrow)
    assert calls["bookings_per_day"] == 2 and calls["bookings_per_doctor"] == 1
    assert shown[2].days.days[-1].iso == (clinic.today + timedelta(days=1)).isoformat()


def test_a_hold_lapsing_shows_within_the_minute(session: Session, clinic: AdminClinic) -> None:
    """Figures are computed as of the minute's start: a6's hold (until 12:05) counts as
    pending at 12:04:59 and not at 12:05, with no change marker moving."""
    marker = dashboard_views.change_marker(session)
    at = clinic.now + timedelta(minutes=4, seconds=59)
    pending = [
        dashboard_views.stats(session, filters=AdminFilters(), marker=marker, now=t)
        for t in (at, at + timedelta(seconds=1))
    ]
    assert [p.pending_payments for p in pending] == [3, 2]


def test_two_databases_never_share_an_entry(tmp_path: Any) -> None:
    one, two = (create_engine(f"sqlite:///{tmp_path / name}") for name in ("a.db", "b.db"))
    assert dashboard_views._database(Session(one)) != dashboard_views._database(Session(two))
    assert dashboard_views._database(Session(one)) == dashboard_views._database(Session(one))


# --- Redis: several app processes share the figures ------------------------------------------


@pytest.fixture
def two_processes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[SharedCache]]:
    """Two app processes' caches on the test's own Redis keys (removed afterwards);
    ``dashboard_views`` uses the first, then the other, by turns."""
    client = require_redis(TEST_REDIS_URL)
    prefix = f"hcp:test-views:{uuid.uuid4().hex[:12]}:"
    caches = [SharedCache(RedisBackend(TEST_REDIS_URL, prefix=prefix)) for _ in range(2)]
    turns = iter(range(10**6))
    monkeypatch.setattr(dashboard_views, "shared_cache", lambda: caches[next(turns) % 2])
    yield caches
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)


def test_with_redis_fifty_pages_on_two_processes_compute_once(
    session: Session,
    db_url: str,
    clinic: AdminClinic,
    admin: User,
    calls: Counter[str],
    two_processes: list[SharedCache],
) -> None:
    cancel(session, clinic, admin, "a4")
    shown = [open_page(db_url, AdminFilters(), clinic.now) for _ in range(PAGES)]
    assert calls == dict.fromkeys(DIRECT, 1)
    assert all(s == shown[0] for s in shown) and shown[0][0].cancelled == 3
    cancel(session, clinic, admin, "a5")  # the next change: computed once more
    again = [open_page(db_url, AdminFilters(), clinic.now) for _ in range(PAGES)]
    assert calls == dict.fromkeys(DIRECT, 2) and again[0][0].cancelled == 4
